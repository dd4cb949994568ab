/** Review moderation on the host: the queue from the local store, decisions as queued review.moderate mutations. */
import type { ChannelArgs } from '../../../shared/contract/backoffice.js';
import { notFound } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import { listReviews, reviewById } from './reviews.queries.js';
import { queueMutation } from './write.js';

export const reviewPage = (store: Store, input: ChannelArgs<'reviews:list'>) => listReviews(store, input);

export function moderateReview(store: Store, input: ChannelArgs<'reviews:moderate'>) {
  queueMutation(store, 'review.moderate', input);
  const review = reviewById(store, input.reviewId);
  if (!review) throw notFound('Review');
  return review;
}

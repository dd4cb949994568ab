/** Review channels: each parses its input (channel.ts bind), then calls one service. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import * as reviews from './reviews.service.js';

export function reviewsHandlers(store: Store) {
  return {
    'reviews:list': bind('reviews:list', (input) => reviews.reviewPage(store, input)),
    'reviews:moderate': bind('reviews:moderate', (input) => reviews.moderateReview(store, input)),
  };
}

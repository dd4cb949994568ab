import { z } from 'zod';
import { paginated, uuidParam } from '../../../shared/api/common.schemas.js';
import {
  adminReviewSchema,
  adminReviewsQuery,
  moderationInput,
  myReviewSchema,
  myReviewsQuery,
  reviewInput,
  reviewListQuery,
  reviewListSchema,
  reviewSchema,
} from '../../../shared/api/reviews.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { getAdminReview, listAdminReviews, moderateReview } from './moderation.service.js';
import { createReview, listMyReviews, listProductReviews } from './reviews.service.js';

const productParam = z.strictObject({ idOrSlug: z.string().min(1).max(200) });

/** Shoppers' reviews (public list, writing one, their own) and the staff moderation queue. */
export function reviewRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Reviews'];
  const adminTags = ['Admin: reviews'];
  return new ApiRouter('/api/v1')
    .add({
      method: 'get',
      path: '/products/:idOrSlug/reviews',
      summary: 'Approved reviews of an active product, with the rating summary',
      description:
        '`sort`: newest (default), highest, lowest, or verified purchases first. `rating` keeps one star ' +
        'rating. Title and body are plain text: render them escaped, never as HTML.',
      tags,
      access: 'public',
      params: productParam,
      query: reviewListQuery,
      response: reviewListSchema,
      errors: [404],
      handler: ({ params, query }) => listProductReviews(ctx.db, params.idOrSlug, query),
    })
    .add({
      method: 'post',
      path: '/products/:idOrSlug/reviews',
      summary: 'Review a product (one review per member and product)',
      description:
        '`verifiedPurchase` is set by the server: the member has a paid order containing the product. ' +
        'A verified review is published at once when REVIEWS_AUTO_APPROVE_VERIFIED is on; any other ' +
        'review waits for moderation (status `pending`, visible to its author under /me/reviews). ' +
        'A second review of the same product is a 409 `review_exists`.',
      tags,
      access: 'user',
      params: productParam,
      body: reviewInput,
      status: 201,
      response: reviewSchema,
      errors: [404, 409],
      handler: ({ params, body, auth }) =>
        createReview(ctx.db, {
          product: params.idOrSlug,
          userId: auth.userId,
          review: body,
          autoApproveVerified: ctx.config.REVIEWS_AUTO_APPROVE_VERIFIED,
        }),
    })
    .add({
      method: 'get',
      path: '/me/reviews',
      summary: "The signed-in member's reviews in every status",
      description: '`productId` narrows the list to the review of one product, if the member wrote one.',
      tags: ['Account'],
      access: 'user',
      query: myReviewsQuery,
      response: paginated(myReviewSchema),
      handler: ({ auth, query }) => listMyReviews(ctx.db, auth.userId, query),
    })
    .add({
      method: 'get',
      path: '/admin/reviews',
      summary: 'The moderation queue: reviews by status and product',
      description: '`status=pending` lists the oldest first; approved and rejected list the latest decisions first.',
      tags: adminTags,
      access: 'staff',
      query: adminReviewsQuery,
      response: paginated(adminReviewSchema),
      handler: ({ query }) => listAdminReviews(ctx.db, query),
    })
    .add({
      method: 'get',
      path: '/admin/reviews/:id',
      summary: 'One review, any status',
      tags: adminTags,
      access: 'staff',
      params: uuidParam,
      response: adminReviewSchema,
      errors: [404],
      handler: ({ params }) => getAdminReview(ctx.db, params.id),
    })
    .add({
      method: 'patch',
      path: '/admin/reviews/:id',
      summary: 'Approve or reject a review',
      description:
        "The product's rating changes in the same transaction. Setting the status the review already has " +
        'changes nothing.',
      tags: adminTags,
      access: 'staff',
      params: uuidParam,
      body: moderationInput,
      response: adminReviewSchema,
      errors: [404],
      handler: async ({ params, body, auth }) =>
        (
          await moderateReview(ctx.db, {
            reviewId: params.id,
            status: body.status,
            actorId: auth.userId,
            note: body.note,
          })
        ).review,
    });
}

import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type {
  MyReview,
  MyReviewsQuery,
  Review,
  ReviewInput,
  ReviewList,
  ReviewListQuery,
} from '../../../shared/api/reviews.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation, violatedConstraint } from '../../db/errors.js';
import { reviews } from '../../db/schema/index.js';
import { resolveProductId } from '../catalog/product-view.js';
import { hasPurchased } from '../orders/purchases.js';
import { lockProductForRating, refreshRating } from './ratings.js';
import { ratingSummary, selectReviews, toMyReview, toReview } from './review-view.js';

export interface CreateReviewInput {
  /** The product's id or slug; it must be active. */
  product: string;
  userId: string;
  review: ReviewInput;
  /** REVIEWS_AUTO_APPROVE_VERIFIED: a verified purchase is published without moderation. */
  autoApproveVerified: boolean;
}

/**
 * Creates the member's review of a product. `verifiedPurchase` is decided here, never by the
 * client. An auto-approved review updates the product's rating in the same transaction. A
 * second review of the same product is refused by the unique index (no check-then-insert race).
 */
export async function createReview(db: Db, input: CreateReviewInput): Promise<Review> {
  try {
    return await db.transaction(async (tx) => {
      const productId = await resolveProductId(tx, input.product, true);
      if (!productId) throw notFound('Product');
      const verifiedPurchase = await hasPurchased(tx, input.userId, productId);
      const approved = verifiedPurchase && input.autoApproveVerified;
      if (approved && !(await lockProductForRating(tx, productId))) throw notFound('Product');
      const [row] = await tx
        .insert(reviews)
        .values({
          productId,
          userId: input.userId,
          rating: input.review.rating,
          title: input.review.title,
          body: input.review.body,
          verifiedPurchase,
          status: approved ? 'approved' : 'pending',
          // Approved by the rule, not by a person: a moderation time without a moderator.
          moderatedAt: approved ? sql`now()` : null,
        })
        .returning({ id: reviews.id });
      if (approved) await refreshRating(tx, productId);
      const [joined] = await selectReviews(tx).where(eq(reviews.id, row!.id));
      return toReview(joined!);
    });
  } catch (err) {
    if (isUniqueViolation(err) && violatedConstraint(err) === 'reviews_product_user_key') {
      throw new AppError('review_exists', 'You have already reviewed this product');
    }
    throw err;
  }
}

function publicOrder(sort: ReviewListQuery['sort']): SQL[] {
  const newest = [desc(reviews.createdAt), desc(reviews.id)];
  switch (sort) {
    case 'newest':
      return newest;
    case 'highest':
      return [desc(reviews.rating), ...newest];
    case 'lowest':
      return [asc(reviews.rating), ...newest];
    case 'verified':
      return [desc(reviews.verifiedPurchase), ...newest];
  }
}

/** Approved reviews of an active product, one page, with the rating summary of all of them. */
export async function listProductReviews(db: DbOrTx, product: string, query: ReviewListQuery): Promise<ReviewList> {
  const productId = await resolveProductId(db, product, true);
  if (!productId) throw notFound('Product');
  const approved = and(eq(reviews.productId, productId), eq(reviews.status, 'approved'));
  const where = query.rating === undefined ? approved : and(approved, eq(reviews.rating, query.rating));
  // One after another: `db` may be a transaction (a single connection).
  const rows = await selectReviews(db)
    .where(where)
    .orderBy(...publicOrder(query.sort))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [total] = await db.select({ n: count() }).from(reviews).where(where);
  const perRating = await db
    .select({ rating: reviews.rating, n: count() })
    .from(reviews)
    .where(approved)
    .groupBy(reviews.rating);
  return {
    items: rows.map(toReview),
    page: query.page,
    limit: query.limit,
    total: total?.n ?? 0,
    summary: ratingSummary(perRating),
  };
}

/** The member's own reviews in every status (a pending one is visible to its author only). */
export async function listMyReviews(
  db: DbOrTx,
  userId: string,
  query: MyReviewsQuery,
): Promise<{ items: MyReview[]; page: number; limit: number; total: number }> {
  const where = and(
    eq(reviews.userId, userId),
    query.productId === undefined ? undefined : eq(reviews.productId, query.productId),
  );
  const rows = await selectReviews(db)
    .where(where)
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [total] = await db.select({ n: count() }).from(reviews).where(where);
  return { items: rows.map(toMyReview), page: query.page, limit: query.limit, total: total?.n ?? 0 };
}

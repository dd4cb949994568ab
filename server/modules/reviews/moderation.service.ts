import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AdminReview, AdminReviewsQuery, ModerationStatus } from '../../../shared/api/reviews.schemas.js';
import { notFound } from '../../../shared/domain/errors.js';
import type { DbOrTx } from '../../db/client.js';
import { reviews } from '../../db/schema/index.js';
import { lockProductForRating, refreshRating } from './ratings.js';
import { selectReviews, toAdminReview } from './review-view.js';

export interface ModerateReviewInput {
  reviewId: string;
  status: ModerationStatus;
  /** The moderator; null for a decision made by the system. */
  actorId: string | null;
  /** Why, for staff; replaces the previous decision's note. */
  note?: string | undefined;
}

export interface ModerationResult {
  review: AdminReview;
  /** False when the review already had this status: nothing was written (a replay is harmless). */
  changed: boolean;
}

export async function getAdminReview(db: DbOrTx, reviewId: string): Promise<AdminReview> {
  const [joined] = await selectReviews(db).where(eq(reviews.id, reviewId));
  if (!joined) throw notFound('Review');
  return toAdminReview(joined);
}

/**
 * Approves or rejects a review and keeps the product's rating in step, in one transaction (a
 * savepoint when `db` is already a transaction, as for the sync module's `review.moderate`).
 * Setting the status a review already has changes nothing, not even its version.
 */
export async function moderateReview(db: DbOrTx, input: ModerateReviewInput): Promise<ModerationResult> {
  return db.transaction(async (tx) => {
    // The product id never changes, so it can be read before any lock is held.
    const [target] = await tx
      .select({ productId: reviews.productId })
      .from(reviews)
      .where(eq(reviews.id, input.reviewId));
    if (!target) throw notFound('Review');
    await lockProductForRating(tx, target.productId);
    // Read again under the lock: another moderator may have decided in the meantime.
    const [current] = await tx
      .select({ status: reviews.status })
      .from(reviews)
      .where(eq(reviews.id, input.reviewId))
      .for('update');
    if (!current) throw notFound('Review');
    if (current.status === input.status) return { review: await getAdminReview(tx, input.reviewId), changed: false };
    await tx
      .update(reviews)
      .set({
        status: input.status,
        moderatedBy: input.actorId,
        moderatedAt: sql`now()`,
        moderationNote: input.note ?? null,
        updatedAt: sql`now()`,
      })
      .where(eq(reviews.id, input.reviewId));
    // Only approved reviews count: pending → rejected leaves the rating as it was.
    if (current.status === 'approved' || input.status === 'approved') await refreshRating(tx, target.productId);
    return { review: await getAdminReview(tx, input.reviewId), changed: true };
  });
}

function queueOrder(status: AdminReviewsQuery['status']): SQL[] {
  switch (status) {
    case 'pending':
      // A queue: whoever has waited longest comes first.
      return [asc(reviews.createdAt), asc(reviews.id)];
    case 'approved':
    case 'rejected':
      return [sql`${reviews.moderatedAt} desc nulls last`, desc(reviews.id)];
    case undefined:
      return [desc(reviews.createdAt), desc(reviews.id)];
  }
}

/** The moderation queue and its history: filter by status and product. */
export async function listAdminReviews(
  db: DbOrTx,
  query: AdminReviewsQuery,
): Promise<{ items: AdminReview[]; page: number; limit: number; total: number }> {
  const where = and(
    query.status ? eq(reviews.status, query.status) : undefined,
    query.productId ? eq(reviews.productId, query.productId) : undefined,
  );
  const rows = await selectReviews(db)
    .where(where)
    .orderBy(...queueOrder(query.status))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [total] = await db.select({ n: count() }).from(reviews).where(where);
  return { items: rows.map(toAdminReview), page: query.page, limit: query.limit, total: total?.n ?? 0 };
}

import { eq } from 'drizzle-orm';
import type { AdminReview, MyReview, RatingSummary, Review } from '../../../shared/api/reviews.schemas.js';
import type { DbOrTx } from '../../db/client.js';
import { products, reviews, users } from '../../db/schema/index.js';

type ReviewRow = typeof reviews.$inferSelect;

/**
 * What shoppers see of an author: the first name and the initial of the last ("Jane D."). Never
 * an e-mail: a part that looks like one is cut at the @.
 */
export function displayName(fullName: string): string {
  const words = fullName
    .trim()
    .split(/\s+/)
    .map((w) => (w.includes('@') ? w.slice(0, w.indexOf('@')) : w))
    .filter((w) => w.length > 0);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  if (!first) return 'Customer';
  return last ? `${first} ${Array.from(last)[0]!.toUpperCase()}.` : first;
}

/**
 * Count, distribution and mean (to two decimals, half up, as Postgres rounds the stored
 * rating_average) from the number of approved reviews per star rating.
 */
export function ratingSummary(counts: { rating: number; n: number }[]): RatingSummary {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let count = 0;
  let sum = 0;
  for (const { rating, n } of counts) {
    const key = String(rating);
    if (!(key in distribution)) continue;
    distribution[key as keyof typeof distribution] += n;
    count += n;
    sum += rating * n;
  }
  // Integers until the one division, so x.xx5 rounds as the database's numeric does.
  const average = count === 0 ? 0 : Math.round((sum * 100) / count) / 100;
  return { average, count, distribution };
}

/** Reviews with their author's name and their product, for every view. */
export const selectReviews = (db: DbOrTx) =>
  db
    .select({
      review: reviews,
      authorName: users.name,
      product: { id: products.id, slug: products.slug, name: products.name },
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .innerJoin(products, eq(products.id, reviews.productId));

export interface JoinedReview {
  review: ReviewRow;
  authorName: string;
  product: { id: string; slug: string; name: string };
}

export const toReview = ({ review: r, authorName }: JoinedReview): Review => ({
  id: r.id,
  productId: r.productId,
  rating: r.rating,
  title: r.title,
  body: r.body,
  status: r.status,
  verifiedPurchase: r.verifiedPurchase,
  authorName: displayName(authorName),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const toMyReview = (joined: JoinedReview): MyReview => ({ ...toReview(joined), product: joined.product });

export const toAdminReview = (joined: JoinedReview): AdminReview => ({
  ...toReview(joined),
  userId: joined.review.userId,
  product: joined.product,
  moderatedBy: joined.review.moderatedBy,
  moderatedAt: joined.review.moderatedAt?.toISOString() ?? null,
  moderationNote: joined.review.moderationNote,
  version: joined.review.version,
});

import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { products } from '../../db/schema/index.js';

/**
 * Every change to a product's approved reviews runs, in its own transaction:
 *   1. lockProductForRating (SELECT ... FOR UPDATE on the product row),
 *   2. the review write,
 *   3. refreshRating.
 * The lock queues concurrent writers of one product's reviews, and because refreshRating is a
 * statement of its own, issued after the lock was granted, it reads (under READ COMMITTED) every
 * review the previous holder committed. An UPDATE ... SET = (subquery) that itself waited for
 * the row lock would instead keep the snapshot it started with and lose the other approval.
 * Taking the product before the review is the one lock order all writers use, so they queue
 * rather than deadlock. Returns false when the product does not exist.
 */
export async function lockProductForRating(tx: Tx, productId: string): Promise<boolean> {
  const rows = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
  return rows.length > 0;
}

/**
 * Recomputes products.rating_average and rating_count from the approved reviews. These are
 * derived columns: the sync trigger ignores them, so a rating change is not a product edit.
 */
export async function refreshRating(tx: Tx, productId: string): Promise<void> {
  await tx.execute(sql`
    update products p set rating_average = coalesce(s.average, 0), rating_count = s.n
    from (
      select round(avg(rating), 2) as average, count(*)::int as n
      from reviews where product_id = ${productId} and status = 'approved'
    ) s
    where p.id = ${productId}`);
}

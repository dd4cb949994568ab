/**
 * What a member has bought, for other modules (reviews mark a verified purchase with it). An order
 * counts while the shopper has paid for it and kept at least part of it: paid, fulfilled,
 * delivered or partially refunded (PURCHASED_ORDER_STATUSES); unpaid, cancelled and fully refunded
 * orders, and guest orders, never do.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orderItems, orders, PURCHASED_ORDER_STATUSES } from '../../db/schema/index.js';

export async function hasPurchased(db: DbOrTx, userId: string, productId: string): Promise<boolean> {
  const rows = await db
    .select({ id: orderItems.id })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(
      and(
        eq(orderItems.productId, productId),
        eq(orders.userId, userId),
        inArray(orders.status, [...PURCHASED_ORDER_STATUSES]),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

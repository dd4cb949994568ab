import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orderItems, orders, PURCHASED_ORDER_STATUSES } from '../../db/schema/index.js';

/**
 * True when the member has a paid order (paid, fulfilled, delivered or partially refunded)
 * with a line for the product. Orders have no module of their own yet; this moves to the
 * orders service when checkout builds it. TODO(issue 5, checkout): move it there.
 */
export async function hasPurchasedProduct(db: DbOrTx, userId: string, productId: string): Promise<boolean> {
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

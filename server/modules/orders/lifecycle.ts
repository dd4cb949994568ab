/**
 * The changes of an order that move stock or money, each inside the caller's transaction with the
 * order row locked. Stock policy: checkout reserves; payment turns the reservation into a sale
 * (on hand and reserved both drop, so the level stays the ledger's sum); cancelling an unpaid
 * order releases the reservation. Restocking a paid order is the admin issue's refund/cancel.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { orders, products, type CancellationReason } from '../../db/schema/index.js';
import { recordMovement, reserveStock } from '../inventory/stock.service.js';
import { enqueueCancelled, enqueueConfirmation, type EmailSettings } from './emails.js';
import { appendEvent, quantitiesByVariant, type OrderItemRow, type OrderRow } from './orders.repo.js';
import { assertTransition } from './state.js';

export interface ShortLine {
  variantId: string;
  sku: string;
  requested: number;
  available: number;
}

/**
 * Reserves every line (quantities of one variant summed), in variant id order. Answers the short
 * lines; the caller must roll back if there are any (some lines may have been reserved).
 */
export async function reserveLines(
  tx: DbOrTx,
  orderId: string,
  lines: readonly { variantId: string; sku: string; quantity: number }[],
): Promise<ShortLine[]> {
  const wanted = new Map<string, { sku: string; quantity: number }>();
  for (const l of lines) {
    const prev = wanted.get(l.variantId);
    wanted.set(l.variantId, { sku: l.sku, quantity: (prev?.quantity ?? 0) + l.quantity });
  }
  const short: ShortLine[] = [];
  for (const variantId of [...wanted.keys()].sort()) {
    const { sku, quantity } = wanted.get(variantId)!;
    const r = await reserveStock(tx, { variantId, quantity, reason: 'order', reference: `order:${orderId}` });
    if (!r.ok) short.push({ variantId, sku, requested: quantity, available: r.available });
  }
  return short;
}

export async function releaseReservation(tx: DbOrTx, order: OrderRow, items: readonly OrderItemRow[], reason: string) {
  for (const [variantId, quantity] of quantitiesByVariant(items)) {
    await recordMovement(tx, {
      variantId,
      kind: 'release',
      onHandDelta: 0,
      reservedDelta: -quantity,
      reason,
      reference: `order:${order.id}`,
    });
  }
}

/** The reserved units leave the shelf as sold, and the products' sales counts grow. */
async function sellReservation(tx: DbOrTx, order: OrderRow, items: readonly OrderItemRow[]) {
  for (const [variantId, quantity] of quantitiesByVariant(items)) {
    await recordMovement(tx, {
      variantId,
      kind: 'sale',
      onHandDelta: -quantity,
      reservedDelta: -quantity,
      reason: 'order paid',
      reference: `order:${order.id}`,
    });
  }
  const perProduct = new Map<string, number>();
  for (const i of items) if (i.productId) perProduct.set(i.productId, (perProduct.get(i.productId) ?? 0) + i.quantity);
  for (const [productId, quantity] of [...perProduct.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx
      .update(products)
      .set({ salesCount: sql`${products.salesCount} + ${quantity}` })
      .where(eq(products.id, productId));
  }
}

export async function updateOrder(tx: DbOrTx, id: string, set: PgUpdateSetSource<typeof orders>): Promise<OrderRow> {
  const [row] = await tx
    .update(orders)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(orders.id, id))
    .returning();
  return row!;
}

/** pending_payment → cancelled: stock released, the shopper told. */
export async function cancelUnpaid(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  items: readonly OrderItemRow[],
  reason: CancellationReason,
  actor: string,
): Promise<OrderRow> {
  assertTransition(order.status, 'cancelled');
  await releaseReservation(tx, order, items, reason === 'expired' ? 'order expired' : 'order cancelled');
  const updated = await updateOrder(tx, order.id, {
    status: 'cancelled',
    cancelledAt: sql`now()`,
    cancellationReason: reason,
    paymentStatus: reason === 'payment_canceled' ? 'canceled' : order.paymentStatus,
  });
  await appendEvent(tx, order.id, 'cancelled', actor, { reason });
  await enqueueCancelled(tx, config, updated, reason);
  return updated;
}

/** pending_payment → paid (or an expired order revived, its stock already reserved again). */
export async function markPaid(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  items: readonly OrderItemRow[],
  payment: { paymentId: string; amountCents: number; currency: string; provider: string; eventId: string },
  revived: boolean,
): Promise<OrderRow> {
  if (!revived) assertTransition(order.status, 'paid');
  await sellReservation(tx, order, items);
  const mismatch = payment.amountCents !== order.totalCents || payment.currency.toUpperCase() !== order.currency;
  const updated = await updateOrder(tx, order.id, {
    status: 'paid',
    paymentStatus: 'succeeded',
    paymentIntentId: order.paymentIntentId ?? payment.paymentId,
    paidAt: sql`now()`,
    cancelledAt: null,
    cancellationReason: null,
    ...(mismatch
      ? {
          needsAttention: true,
          attentionReason: `paid ${payment.amountCents} ${payment.currency.toUpperCase()}, order total ${order.totalCents} ${order.currency}`,
        }
      : {}),
  });
  await appendEvent(tx, order.id, 'paid', `provider:${payment.provider}`, {
    eventId: payment.eventId,
    paymentId: payment.paymentId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    ...(revived ? { revived: true } : {}),
  });
  await enqueueConfirmation(tx, config, updated, items);
  return updated;
}

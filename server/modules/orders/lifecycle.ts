/**
 * The changes of an order that move stock or money, each inside the caller's transaction with the
 * order row locked. Stock policy: checkout reserves; payment turns the reservation into a sale
 * (on hand and reserved both drop, so the level stays the ledger's sum); cancelling an unpaid
 * order releases the reservation; cancelling a paid order, or a refund with restock, puts the
 * units back on hand as `return` movements. The provider's refunded total is applied in one place
 * (applyRefundedTotal), whether it comes from a staff refund or a provider event.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { AppError } from '../../../shared/domain/errors.js';
import type { DbOrTx } from '../../db/client.js';
import { orders, products, type CancellationReason } from '../../db/schema/index.js';
import { recordMovement, reserveStock } from '../inventory/stock.service.js';
import {
  enqueueCancelled,
  enqueueConfirmation,
  enqueueRefunded,
  enqueueShipped,
  type EmailSettings,
} from './emails.js';
import { appendEvent, quantitiesByVariant, type OrderItemRow, type OrderRow } from './orders.repo.js';
import { assertTransition, REFUNDABLE, refundStatus } from './state.js';

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
  detail: Record<string, unknown> = {},
): Promise<OrderRow> {
  // paid → cancelled is a transition too, but a paid order has no reservation left to release.
  if (order.status !== 'pending_payment') throw new AppError('invalid_order_transition', 'The order is not unpaid');
  assertTransition(order.status, 'cancelled');
  await releaseReservation(tx, order, items, reason === 'expired' ? 'order expired' : 'order cancelled');
  const updated = await updateOrder(tx, order.id, {
    status: 'cancelled',
    cancelledAt: sql`now()`,
    cancellationReason: reason,
    paymentStatus: reason === 'payment_canceled' ? 'canceled' : order.paymentStatus,
  });
  await appendEvent(tx, order.id, 'cancelled', actor, { ...detail, reason });
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

/** Units back on hand (a cancelled sale, a refund's restock): one `return` movement per variant, in variant order. */
export async function returnToStock(
  tx: DbOrTx,
  lines: readonly { variantId: string; quantity: number }[],
  movement: { reason: string; reference: string; actorId: string | null },
): Promise<void> {
  const sorted = [...lines].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
  for (const { variantId, quantity } of sorted) {
    await recordMovement(tx, { variantId, kind: 'return', onHandDelta: quantity, ...movement });
  }
}

/**
 * paid (not shipped) → cancelled by staff: the sold units go back on hand, the sale leaves the
 * products' sales counts, and the shopper is told the payment is being refunded. The caller
 * records the refund and asks the provider after commit.
 */
export async function cancelPaid(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  items: readonly OrderItemRow[],
  staff: { actor: string; userId: string },
  detail: Record<string, unknown>,
): Promise<OrderRow> {
  if (order.status !== 'paid') throw new AppError('invalid_order_transition', 'The order is not paid');
  assertTransition(order.status, 'cancelled');
  const lines = quantitiesByVariant(items).map(([variantId, quantity]) => ({ variantId, quantity }));
  await returnToStock(tx, lines, { reason: 'order cancelled', reference: `order:${order.id}`, actorId: staff.userId });
  const perProduct = new Map<string, number>();
  for (const i of items) if (i.productId) perProduct.set(i.productId, (perProduct.get(i.productId) ?? 0) + i.quantity);
  for (const [productId, quantity] of [...perProduct.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx
      .update(products)
      .set({ salesCount: sql`greatest(${products.salesCount} - ${quantity}, 0)` })
      .where(eq(products.id, productId));
  }
  const refundCents = order.totalCents - order.refundedCents;
  const updated = await updateOrder(tx, order.id, {
    status: 'cancelled',
    cancelledAt: sql`now()`,
    cancellationReason: 'staff',
  });
  await appendEvent(tx, order.id, 'cancelled', staff.actor, {
    ...detail,
    reason: 'staff',
    refundCents,
    restocked: lines,
  });
  await enqueueCancelled(tx, config, updated, 'staff', refundCents);
  return updated;
}

/** paid | partially_refunded (never shipped) → fulfilled, with the shipment, and the shopper told. */
export async function fulfill(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  shipment: { carrier: string; trackingNumber: string },
  actor: string,
): Promise<OrderRow> {
  if (order.shippedAt) throw new AppError('invalid_order_transition', `Order ${order.number} has already shipped`);
  assertTransition(order.status, 'fulfilled');
  const updated = await updateOrder(tx, order.id, {
    status: 'fulfilled',
    fulfillmentCarrier: shipment.carrier,
    fulfillmentTrackingNumber: shipment.trackingNumber,
    shippedAt: sql`now()`,
  });
  await appendEvent(tx, order.id, 'fulfilled', actor, { ...shipment });
  await enqueueShipped(tx, config, updated);
  return updated;
}

export async function markDelivered(tx: DbOrTx, order: OrderRow, actor: string): Promise<OrderRow> {
  assertTransition(order.status, 'delivered');
  const updated = await updateOrder(tx, order.id, { status: 'delivered' });
  await appendEvent(tx, order.id, 'delivered', actor);
  return updated;
}

/**
 * Applies the provider's cumulative refunded total, from a provider event (charge.refunded) or a
 * staff refund the provider confirmed. Only a total that grows changes anything, so the event of
 * a refund we already applied (or its replay) is a no-op, and each total mails the shopper once.
 * A cancelled order is bookkeeping only (it never counted as sold; a staff cancellation already
 * told the shopper about the refund). Answers the updated order, or undefined when nothing changed.
 */
export async function applyRefundedTotal(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  refundedCents: number,
  actor: string,
  data: Record<string, unknown>,
): Promise<OrderRow | undefined> {
  if (refundedCents <= order.refundedCents) return undefined;
  if (order.status === 'cancelled') {
    const updated = await updateOrder(tx, order.id, { paymentStatus: 'refunded', refundedCents });
    await appendEvent(tx, order.id, 'refunded', actor, { ...data, refundedCents });
    if (order.cancellationReason !== 'staff') await enqueueRefunded(tx, config, updated, order.refundedCents);
    return updated;
  }
  if (!REFUNDABLE.includes(order.status)) return undefined;
  const status = refundStatus(refundedCents, order.totalCents);
  assertTransition(order.status, status);
  const updated = await updateOrder(tx, order.id, { status, paymentStatus: status, refundedCents });
  await appendEvent(tx, order.id, status, actor, { ...data, refundedCents, from: order.status });
  await enqueueRefunded(tx, config, updated, order.refundedCents);
  return updated;
}

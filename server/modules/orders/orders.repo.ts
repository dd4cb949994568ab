/**
 * Order rows, their lines, refunds and timeline, and the API views of an order: the shopper's
 * (no staff fields, no timeline) and the staff's (everything, notes included).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { AdminOrder, Order, Refund } from '../../../shared/api/orders.schemas.js';
import type { DbOrTx } from '../../db/client.js';
import { orderEvents, orderItems, orderRefunds, orders } from '../../db/schema/index.js';

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;
export type RefundRow = typeof orderRefunds.$inferSelect;

/** Reads an order, locking its row for the rest of the caller's transaction when `lock` is set. */
export async function orderById(db: DbOrTx, id: string, lock = false): Promise<OrderRow | undefined> {
  const q = db.select().from(orders).where(eq(orders.id, id));
  const [row] = await (lock ? q.for('update') : q);
  return row;
}

export async function orderByPaymentId(db: DbOrTx, paymentId: string, lock = false): Promise<OrderRow | undefined> {
  const q = db.select().from(orders).where(eq(orders.paymentIntentId, paymentId));
  const [row] = await (lock ? q.for('update') : q);
  return row;
}

export async function itemsOf(db: DbOrTx, orderIds: string[]): Promise<Map<string, OrderItemRow[]>> {
  const out = new Map<string, OrderItemRow[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return out;
  const rows = await db
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(asc(orderItems.createdAt), asc(orderItems.id));
  for (const r of rows) out.get(r.orderId)?.push(r);
  return out;
}

/** Quantity per variant of an order's lines, variant ids sorted (the lock order of every stock change). */
export function quantitiesByVariant(items: readonly OrderItemRow[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const i of items) if (i.variantId) sums.set(i.variantId, (sums.get(i.variantId) ?? 0) + i.quantity);
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `id`: the event's id when the caller has one already (a note pushed by a device: its mutation id). */
export async function appendEvent(
  tx: DbOrTx,
  orderId: string,
  type: string,
  actor: string,
  data: Record<string, unknown> = {},
  id?: string,
): Promise<OrderEventRow> {
  const [row] = await tx
    .insert(orderEvents)
    .values({ ...(id ? { id } : {}), orderId, type, actor, data })
    .returning();
  return row!;
}

/** The timeline, oldest first. */
export async function eventsOf(db: DbOrTx, orderId: string): Promise<OrderEventRow[]> {
  return db
    .select()
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id));
}

export async function refundsOf(db: DbOrTx, orderId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(orderRefunds)
    .where(eq(orderRefunds.orderId, orderId))
    .orderBy(asc(orderRefunds.createdAt), asc(orderRefunds.id));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toOrderView(row: OrderRow, items: readonly OrderItemRow[]): Order {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    email: row.email,
    items: items.map((i) => ({
      variantId: i.variantId,
      sku: i.sku,
      name: i.name,
      quantity: i.quantity,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
    })),
    subtotalCents: row.subtotalCents,
    shippingCents: row.shippingCents,
    taxCents: row.taxCents,
    totalCents: row.totalCents,
    currency: row.currency,
    shippingAddress: row.shippingAddress,
    billingAddress: row.billingAddress,
    payment: { provider: row.paymentProvider, status: row.paymentStatus },
    fulfillment:
      row.shippedAt || row.fulfillmentCarrier
        ? {
            carrier: row.fulfillmentCarrier,
            trackingNumber: row.fulfillmentTrackingNumber,
            shippedAt: iso(row.shippedAt),
          }
        : null,
    expiresAt: row.status === 'pending_payment' ? iso(row.expiresAt) : null,
    paidAt: iso(row.paidAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAdminSummary(row: OrderRow, items: readonly OrderItemRow[]) {
  return {
    ...toOrderView(row, items),
    needsAttention: row.needsAttention,
    attentionReason: row.attentionReason,
    refundedCents: row.refundedCents,
    cancellationReason: row.cancellationReason,
  };
}

export const toRefundView = (r: RefundRow, currency: string): Refund => ({
  id: r.id,
  amountCents: r.amountCents,
  currency,
  reason: r.reason,
  restock: r.restock,
  lines: r.lines,
  status: r.status,
  providerRefundId: r.providerRefundId,
  failureReason: r.failureReason,
  actor: r.actor,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export function toAdminOrderView(
  row: OrderRow,
  items: readonly OrderItemRow[],
  refunds: readonly RefundRow[],
  events: readonly OrderEventRow[],
): AdminOrder {
  return {
    ...toAdminSummary(row, items),
    refunds: refunds.map((r) => toRefundView(r, row.currency)),
    notes: events
      .filter((e) => e.type === 'note')
      .map((e) => ({
        id: e.id,
        body: typeof e.data.body === 'string' ? e.data.body : '',
        actor: e.actor,
        at: e.createdAt.toISOString(),
      })),
    timeline: events.map((e) => ({
      id: e.id,
      type: e.type,
      actor: e.actor,
      data: e.data,
      at: e.createdAt.toISOString(),
    })),
  };
}

/**
 * The staff side of orders: the filtered list, the full view (refunds, notes, timeline), and the
 * changes staff make: fulfil, deliver, cancel, notes. Each change locks the order row and goes
 * through lifecycle.ts (so through the state machine); money goes back through refunds.service.
 */
import { and, count, desc, eq, gte, inArray, like, lt, sql, type SQL } from 'drizzle-orm';
import type { AdminOrder, AdminOrdersQuery } from '../../../shared/api/orders.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import type { Db, Tx } from '../../db/client.js';
import { orders } from '../../db/schema/index.js';
import type { PaymentProvider } from '../payments/contract.js';
import { cancelPaid, cancelUnpaid, fulfill, markDelivered } from './lifecycle.js';
import {
  appendEvent,
  eventsOf,
  itemsOf,
  orderById,
  refundsOf,
  toAdminOrderView,
  toAdminSummary,
  type OrderItemRow,
  type OrderRow,
} from './orders.repo.js';
import { hasPendingRefund, recordCancellationRefund, sendRefund, type Staff } from './refunds.service.js';
import { assertTransition } from './state.js';

export const staffOf = (userId: string): Staff => ({ userId, actor: `user:${userId}` });

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listOrders(db: Db, query: AdminOrdersQuery) {
  const filters: SQL[] = [];
  if (query.status) filters.push(inArray(orders.status, query.status));
  if (query.from) filters.push(gte(orders.createdAt, new Date(query.from)));
  // Stored times have microseconds, answers milliseconds: `to` covers its whole millisecond.
  if (query.to) filters.push(lt(orders.createdAt, new Date(Date.parse(query.to) + 1)));
  if (query.email) filters.push(like(sql`lower(${orders.email})`, `${escapeLike(query.email)}%`));
  if (query.number) filters.push(eq(orders.number, query.number));
  if (query.needsAttention !== undefined) filters.push(eq(orders.needsAttention, query.needsAttention));
  const where = filters.length > 0 ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ n: count() }).from(orders).where(where),
  ]);
  const items = await itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => toAdminSummary(r, items.get(r.id) ?? [])),
    page: query.page,
    limit: query.limit,
    total: total?.n ?? 0,
  };
}

export async function adminOrder(db: Db, id: string): Promise<AdminOrder> {
  const row = await orderById(db, id);
  if (!row) throw notFound('Order');
  // One after another: `db` may be a transaction (a fulfilment applied by sync), and a
  // transaction's single connection must not be given several queries at once.
  const items = await itemsOf(db, [id]);
  const refunds = await refundsOf(db, id);
  const events = await eventsOf(db, id);
  return toAdminOrderView(row, items.get(id) ?? [], refunds, events);
}

/** Runs `change` on the locked order (404 when unknown), then wakes the outbox. */
async function withLockedOrder<T>(
  ctx: AppContext,
  id: string,
  change: (tx: Tx, order: OrderRow, items: OrderItemRow[]) => Promise<T>,
): Promise<T> {
  const result = await ctx.db.transaction(async (tx) => {
    const order = await orderById(tx, id, true);
    if (!order) throw notFound('Order');
    return change(tx, order, (await itemsOf(tx, [id])).get(id)!);
  });
  ctx.outbox.poke();
  return result;
}

export async function fulfillOrder(
  ctx: AppContext,
  id: string,
  shipment: { carrier: string; trackingNumber: string },
  staff: Staff,
) {
  await withLockedOrder(ctx, id, (tx, order) => fulfill(tx, ctx.config, order, shipment, staff.actor));
  return adminOrder(ctx.db, id);
}

export async function deliverOrder(ctx: AppContext, id: string, staff: Staff) {
  await withLockedOrder(ctx, id, (tx, order) => markDelivered(tx, order, staff.actor));
  return adminOrder(ctx.db, id);
}

/**
 * Unpaid: cancelled and its reservation released. Paid and not shipped: cancelled, its units back
 * on hand, and the money refunded in full (after commit; a provider failure answers 502 and flags
 * the order, which stays cancelled: the goods never left). Anything else: 409.
 */
export async function cancelOrder(
  ctx: AppContext,
  provider: PaymentProvider,
  id: string,
  input: { reason?: string | undefined },
  staff: Staff,
) {
  const detail = input.reason ? { note: input.reason } : {};
  const refund = await withLockedOrder(ctx, id, async (tx, order, items) => {
    if (order.status === 'pending_payment') {
      await cancelUnpaid(tx, ctx.config, order, items, 'staff', staff.actor, detail);
      return undefined;
    }
    assertTransition(order.status, 'cancelled');
    if (await hasPendingRefund(tx, id)) {
      throw new AppError('conflict', 'A refund of this order is under way: wait for it to finish');
    }
    const cancelled = await cancelPaid(tx, ctx.config, order, items, staff, detail);
    return recordCancellationRefund(tx, cancelled, input.reason ?? 'order cancelled', staff);
  });
  if (refund) await sendRefund(ctx, provider, refund, staff);
  return adminOrder(ctx.db, id);
}

/**
 * `eventId`: a note pushed by a device takes the mutation's id, so the device can tell its queued
 * note from the synced event (it shows the queued one until that event has arrived, never both).
 */
export async function addNote(ctx: AppContext, id: string, body: string, staff: Staff, eventId?: string) {
  const event = await withLockedOrder(ctx, id, (tx) => appendEvent(tx, id, 'note', staff.actor, { body }, eventId));
  return { id: event.id, body, actor: event.actor, at: event.createdAt.toISOString() };
}

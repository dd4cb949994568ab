/**
 * Staff refunds (POST /admin/orders/:id/refunds) and the refund of a paid order's cancellation.
 *
 * Three steps, no transaction held across provider I/O:
 *  1. with the order row locked: the refund must fit (paid total − refunded − pending), its
 *     restock lines must be units the order has and that are not already going back; a `pending`
 *     row is recorded (so concurrent refunds see it) with a 'refund_requested' timeline event;
 *  2. after commit the provider refunds with key `refund:<row id>`, so however often the row is
 *     retried the money moves once;
 *  3. with the order locked again: the row becomes succeeded (units go back on hand only now,
 *     so a failed refund restocks nothing) and the new refunded total is applied through
 *     lifecycle.applyRefundedTotal, the same function a provider's charge.refunded event takes;
 *     or the row becomes failed and the order is flagged for staff (502 to the caller).
 *
 * Idempotency-Key (per order): the same key and body answer the same refund: a succeeded row is
 * replayed, a pending one (a concurrent duplicate, or a crashed request) is driven to its end with
 * the same provider key, a failed one is retried. The same key with another body is 422.
 *
 * Refunds made outside Nexus (the Stripe dashboard) arrive only as charge.refunded totals, which
 * do not say which refunds they include. So the order's refunded total is the larger of the
 * provider's last total and our succeeded refunds: it never counts a refund twice (ours and its
 * event), and when refunds were also made elsewhere it lags until the provider's next total.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { RefundInput } from '../../../shared/api/orders.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { formatMoney } from '../../../shared/domain/money.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { orderRefunds, type RefundLine } from '../../db/schema/index.js';
import type { PaymentProvider } from '../payments/contract.js';
import { requestHash } from '../checkout/idempotency.js';
import { applyRefundedTotal, returnToStock, updateOrder } from './lifecycle.js';
import {
  appendEvent,
  itemsOf,
  orderById,
  quantitiesByVariant,
  type OrderItemRow,
  type OrderRow,
  type RefundRow,
} from './orders.repo.js';
import { REFUNDABLE } from './state.js';

export interface Staff {
  userId: string;
  /** `user:<id>`, as the timeline names staff. */
  actor: string;
}

const field = (path: string, message: string) => ({ path, message });

/** What the order's live refunds (pending and succeeded) add up to, in money and restocked units. */
async function liveRefunds(tx: DbOrTx, orderId: string, except?: string) {
  const rows = await tx
    .select()
    .from(orderRefunds)
    .where(
      and(
        eq(orderRefunds.orderId, orderId),
        inArray(orderRefunds.status, ['pending', 'succeeded']),
        except ? ne(orderRefunds.id, except) : undefined,
      ),
    );
  const restocked = new Map<string, number>();
  for (const r of rows)
    for (const l of r.lines) restocked.set(l.variantId, (restocked.get(l.variantId) ?? 0) + l.quantity);
  const sum = (status: string) => rows.filter((r) => r.status === status).reduce((n, r) => n + r.amountCents, 0);
  return { succeeded: sum('succeeded'), pending: sum('pending'), restocked };
}

/** Money still refundable: the paid total less what the provider or we refunded, less refunds under way. */
const leftToRefund = (order: OrderRow, live: { succeeded: number; pending: number }) =>
  order.totalCents - Math.max(order.refundedCents, live.succeeded) - live.pending;

export async function hasPendingRefund(tx: DbOrTx, orderId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: orderRefunds.id })
    .from(orderRefunds)
    .where(and(eq(orderRefunds.orderId, orderId), eq(orderRefunds.status, 'pending')))
    .limit(1);
  return row !== undefined;
}

/**
 * The units a refund puts back: the lines asked for (each within what the order has, less what
 * is already going back), or with none given on a refund of everything left, every such unit.
 */
function restockLines(
  input: RefundInput,
  items: readonly OrderItemRow[],
  restocked: Map<string, number>,
  refundsEverything: boolean,
): RefundLine[] {
  if (!input.restock) {
    if (input.lines) {
      throw new AppError('validation_failed', 'Lines are only read with restock', {
        errors: [field('body.lines', 'send lines only with "restock": true')],
      });
    }
    return [];
  }
  const left = new Map(quantitiesByVariant(items).map(([v, q]) => [v, q - (restocked.get(v) ?? 0)]));
  if (!input.lines) {
    if (!refundsEverything) {
      throw new AppError('validation_failed', 'Say which units go back on a partial refund', {
        errors: [field('body.lines', 'are required with restock unless the refund covers everything left')],
      });
    }
    return [...left].filter(([, q]) => q > 0).map(([variantId, quantity]) => ({ variantId, quantity }));
  }
  const wanted = new Map<string, number>();
  const errors = [];
  for (const [i, l] of input.lines.entries()) {
    const total = (wanted.get(l.variantId) ?? 0) + l.quantity;
    wanted.set(l.variantId, total);
    const available = left.get(l.variantId);
    if (available === undefined) errors.push(field(`body.lines.${i}.variantId`, 'is not a line of this order'));
    else if (total > available) {
      errors.push(field(`body.lines.${i}.quantity`, `at most ${available} of this variant can still go back`));
    }
  }
  if (errors.length > 0) throw new AppError('validation_failed', 'Some restock lines do not fit the order', { errors });
  return [...wanted].map(([variantId, quantity]) => ({ variantId, quantity }));
}

type Opened = { row: RefundRow; callProvider: boolean };

/** Step 1, in its own transaction. */
async function openRefund(ctx: AppContext, orderId: string, key: string, input: RefundInput, staff: Staff) {
  const hash = requestHash(input);
  return ctx.db.transaction(async (tx): Promise<Opened> => {
    const order = await orderById(tx, orderId, true);
    if (!order) throw notFound('Order');
    const [existing] = await tx
      .select()
      .from(orderRefunds)
      .where(and(eq(orderRefunds.orderId, orderId), eq(orderRefunds.idempotencyKey, key)));
    if (existing && existing.requestHash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body: use a new key for a new refund',
      );
    }
    if (existing?.status === 'succeeded') return { row: existing, callProvider: false };
    if (existing?.status === 'pending') return { row: existing, callProvider: true };
    if (!REFUNDABLE.includes(order.status)) {
      throw new AppError(
        'invalid_order_transition',
        `An order that is ${order.status.replace('_', ' ')} cannot be refunded`,
      );
    }
    if (!order.paymentIntentId) throw new AppError('conflict', 'The order has no payment to refund');
    const live = await liveRefunds(tx, orderId, existing?.id);
    const left = leftToRefund(order, live);
    if (input.amountCents > left) {
      const m = (cents: number) => formatMoney({ amount: Math.max(cents, 0), currency: order.currency });
      throw new AppError(
        'refund_exceeds_paid',
        `At most ${m(left)} of order ${order.number} can still be refunded (paid ${m(order.totalCents)})`,
        { errors: [field('body.amountCents', `must be at most ${Math.max(left, 0)}`)] },
      );
    }
    const items = (await itemsOf(tx, [orderId])).get(orderId)!;
    const lines = restockLines(input, items, live.restocked, input.amountCents === left);
    const values = { amountCents: input.amountCents, reason: input.reason, restock: input.restock, lines };
    const [row] = existing
      ? await tx
          .update(orderRefunds)
          .set({ ...values, status: 'pending', failureReason: null, updatedAt: sql`now()` })
          .where(eq(orderRefunds.id, existing.id))
          .returning()
      : await tx
          .insert(orderRefunds)
          .values({ ...values, orderId, idempotencyKey: key, requestHash: hash, actor: staff.actor })
          .returning();
    await appendEvent(tx, orderId, existing ? 'refund_retried' : 'refund_requested', staff.actor, {
      refundId: row!.id,
      ...values,
    });
    return { row: row!, callProvider: true };
  });
}

/** Records the refund that comes with cancelling a paid order, in the cancellation's transaction. */
export async function recordCancellationRefund(tx: DbOrTx, order: OrderRow, reason: string, staff: Staff) {
  const [row] = await tx
    .insert(orderRefunds)
    .values({ orderId: order.id, amountCents: order.totalCents - order.refundedCents, reason, actor: staff.actor })
    .returning();
  await appendEvent(tx, order.id, 'refund_requested', staff.actor, {
    refundId: row!.id,
    amountCents: row!.amountCents,
    reason,
  });
  return row!;
}

type Outcome = { status: 'succeeded' | 'pending'; providerRefundId: string } | { status: 'failed'; reason: string };

/** Step 3: the provider's answer, applied once whoever (of concurrent duplicates) gets here first. */
async function settle(ctx: AppContext, refundId: string, orderId: string, outcome: Outcome, staff: Staff) {
  return ctx.db.transaction(async (tx) => {
    const order = (await orderById(tx, orderId, true))!;
    const [row] = await tx.select().from(orderRefunds).where(eq(orderRefunds.id, refundId));
    if (!row || row.status !== 'pending') return row!;
    if (outcome.status === 'pending') {
      const [updated] = await tx
        .update(orderRefunds)
        .set({ providerRefundId: outcome.providerRefundId, updatedAt: sql`now()` })
        .where(eq(orderRefunds.id, refundId))
        .returning();
      return updated!;
    }
    if (outcome.status === 'failed') {
      const m = formatMoney({ amount: row.amountCents, currency: order.currency });
      await updateOrder(tx, orderId, {
        needsAttention: true,
        attentionReason: `The refund of ${m} failed at the payment provider: ${outcome.reason}`,
      });
      await appendEvent(tx, orderId, 'refund_failed', staff.actor, { refundId, reason: outcome.reason });
      const [failed] = await tx
        .update(orderRefunds)
        .set({ status: 'failed', failureReason: outcome.reason, updatedAt: sql`now()` })
        .where(eq(orderRefunds.id, refundId))
        .returning();
      return failed!;
    }
    const [done] = await tx
      .update(orderRefunds)
      .set({ status: 'succeeded', providerRefundId: outcome.providerRefundId, updatedAt: sql`now()` })
      .where(eq(orderRefunds.id, refundId))
      .returning();
    if (row.lines.length > 0) {
      await returnToStock(tx, row.lines, { reason: 'refund', reference: `refund:${refundId}`, actorId: staff.userId });
    }
    await appendEvent(tx, orderId, 'refund_succeeded', staff.actor, {
      refundId,
      providerRefundId: outcome.providerRefundId,
      restocked: row.lines,
    });
    const { succeeded } = await liveRefunds(tx, orderId);
    await applyRefundedTotal(tx, ctx.config, order, Math.max(order.refundedCents, succeeded), staff.actor, {
      refundId,
    });
    return done!;
  });
}

/** Steps 2 and 3. Throws 502 `payment_provider_error` when the refund ends failed. */
export async function sendRefund(ctx: AppContext, provider: PaymentProvider, row: RefundRow, staff: Staff) {
  const order = await orderById(ctx.db, row.orderId);
  let outcome: Outcome;
  try {
    const created = await provider.refund({
      paymentId: order!.paymentIntentId!,
      amountCents: row.amountCents,
      idempotencyKey: `refund:${row.id}`,
      reason: row.reason,
    });
    outcome =
      created.status === 'failed'
        ? { status: 'failed', reason: `the provider declined refund ${created.refundId}` }
        : { status: created.status, providerRefundId: created.refundId };
  } catch (err) {
    ctx.logger.error({ err, orderId: row.orderId, refundId: row.id }, 'refund failed at the payment provider');
    outcome = { status: 'failed', reason: err instanceof AppError ? err.message : 'the provider could not be reached' };
  }
  const settled = await settle(ctx, row.id, row.orderId, outcome, staff);
  ctx.outbox.poke();
  if (settled.status === 'failed') {
    throw new AppError(
      'payment_provider_error',
      `The refund failed at the payment provider (${settled.failureReason ?? 'no reason given'}); ` +
        `the order is flagged for staff${settled.idempotencyKey ? '. Retry with the same Idempotency-Key' : ''}`,
    );
  }
  return settled;
}

/** POST /admin/orders/:id/refunds: answers the refund row (its status succeeded, or pending at the provider). */
export async function refundOrder(
  ctx: AppContext,
  provider: PaymentProvider,
  orderId: string,
  key: string,
  input: RefundInput,
  staff: Staff,
): Promise<RefundRow> {
  const opened = await openRefund(ctx, orderId, key, input, staff);
  return opened.callProvider ? sendRefund(ctx, provider, opened.row, staff) : opened.row;
}

/**
 * The orders side of the payments seam (contract.ts): applies a normalised provider event to its
 * order through the state machine, inside the transaction in which payments recorded the event id.
 * The order row is locked first, so the expiry sweeper and concurrent deliveries serialise on it.
 */
import { isUuid } from '../../../shared/domain/ids.js';
import type { Tx } from '../../db/client.js';
import { lockAvailable, reserveStock } from '../inventory/stock.service.js';
import type { PaymentEvent, PaymentEventHandler, PaymentEventResult } from '../payments/contract.js';
import { enqueuePaymentFailed, type EmailSettings } from './emails.js';
import { applyRefundedTotal, cancelUnpaid, markPaid, updateOrder } from './lifecycle.js';
import {
  appendEvent,
  itemsOf,
  orderById,
  orderByPaymentId,
  quantitiesByVariant,
  type OrderItemRow,
  type OrderRow,
} from './orders.repo.js';
import { canRevive } from './state.js';

const IGNORED: PaymentEventResult = { outcome: 'ignored' };
const APPLIED: PaymentEventResult = { outcome: 'applied' };

async function findOrder(tx: Tx, event: PaymentEvent): Promise<OrderRow | undefined> {
  if (event.orderId !== undefined && isUuid(event.orderId)) return orderById(tx, event.orderId, true);
  return orderByPaymentId(tx, event.paymentId, true);
}

/** Reserves every line again if all of them fit (levels locked first): all or nothing. */
async function reReserve(tx: Tx, order: OrderRow, items: readonly OrderItemRow[]): Promise<boolean> {
  const wanted = quantitiesByVariant(items);
  const available = await lockAvailable(
    tx,
    wanted.map(([v]) => v),
  );
  if (wanted.some(([v, q]) => (available.get(v) ?? 0) < q)) return false;
  for (const [variantId, quantity] of wanted) {
    const r = await reserveStock(tx, { variantId, quantity, reason: 'late payment', reference: `order:${order.id}` });
    if (!r.ok) throw new Error(`re-reservation of ${variantId} failed under lock`);
  }
  return true;
}

async function succeeded(tx: Tx, config: EmailSettings, order: OrderRow, event: PaymentEvent) {
  const payment = { ...event, eventId: event.id };
  if (order.status === 'pending_payment') {
    await markPaid(tx, config, order, (await itemsOf(tx, [order.id])).get(order.id)!, payment, false);
    return APPLIED;
  }
  // Cancelled and already handled (revived orders are no longer cancelled): a repeat of the news.
  if (order.status !== 'cancelled' || order.paymentStatus === 'succeeded' || order.paymentStatus === 'refunded') {
    return IGNORED;
  }
  const items = (await itemsOf(tx, [order.id])).get(order.id)!;
  if (canRevive(order.status, order.cancellationReason) && (await reReserve(tx, order, items))) {
    await appendEvent(tx, order.id, 'revived', `provider:${event.provider}`, { eventId: event.id });
    await markPaid(tx, config, order, items, payment, true);
    return APPLIED;
  }
  const reason =
    order.cancellationReason === 'expired'
      ? 'paid after the order expired; the stock was gone, so the payment is refunded'
      : 'paid for a cancelled order; the payment is refunded';
  await updateOrder(tx, order.id, {
    paymentStatus: 'succeeded',
    paymentIntentId: order.paymentIntentId ?? event.paymentId,
    needsAttention: true,
    attentionReason: reason,
  });
  await appendEvent(tx, order.id, 'late_payment_refunded', `provider:${event.provider}`, {
    eventId: event.id,
    amountCents: event.amountCents,
  });
  return {
    outcome: 'applied',
    refund: {
      paymentId: event.paymentId,
      amountCents: event.amountCents,
      reason,
      idempotencyKey: `refund:late-payment:${order.id}`,
    },
  } satisfies PaymentEventResult;
}

async function failed(tx: Tx, config: EmailSettings, order: OrderRow, event: PaymentEvent) {
  if (order.status !== 'pending_payment') return IGNORED;
  const updated = await updateOrder(tx, order.id, { paymentStatus: 'failed' });
  await appendEvent(tx, order.id, 'payment_failed', `provider:${event.provider}`, {
    eventId: event.id,
    message: event.failureMessage ?? null,
  });
  await enqueuePaymentFailed(tx, config, updated, event.id, event.failureMessage);
  return APPLIED;
}

async function canceled(tx: Tx, config: EmailSettings, order: OrderRow, event: PaymentEvent) {
  if (order.status !== 'pending_payment') return IGNORED;
  const items = (await itemsOf(tx, [order.id])).get(order.id)!;
  await cancelUnpaid(tx, config, order, items, 'payment_canceled', `provider:${event.provider}`);
  return APPLIED;
}

async function refunded(tx: Tx, config: EmailSettings, order: OrderRow, event: PaymentEvent) {
  const updated = await applyRefundedTotal(tx, config, order, event.amountCents, `provider:${event.provider}`, {
    eventId: event.id,
  });
  return updated ? APPLIED : IGNORED;
}

/**
 * Builds the handler payments calls. `ignored` answers news that changes nothing (a repeat, or
 * an event the order's status has moved past); `unknown_order` when no order matches.
 */
export function paymentEventHandler(config: EmailSettings): PaymentEventHandler {
  return async (tx, event) => {
    const order = await findOrder(tx, event);
    if (!order) return { outcome: 'unknown_order' };
    if (order.paymentIntentId && order.paymentIntentId !== event.paymentId) return IGNORED;
    switch (event.type) {
      case 'payment.succeeded':
        return succeeded(tx, config, order, event);
      case 'payment.failed':
        return failed(tx, config, order, event);
      case 'payment.canceled':
        return canceled(tx, config, order, event);
      case 'charge.refunded':
        return refunded(tx, config, order, event);
    }
  };
}

/** The handler as a plain function of the running config (for payments to wire in). */
export const applyPaymentEvent = (config: EmailSettings, tx: Tx, event: PaymentEvent): Promise<PaymentEventResult> =>
  paymentEventHandler(config)(tx, event);

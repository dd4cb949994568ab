/**
 * An order's history as the detail shows it, newest first. It is the server's timeline as synced
 * (notes from every device and the admin API, payments, shipments, cancellations, refunds, with who
 * did them), plus the staff notes still in this device's outbox, marked as not sent yet.
 *
 * What the order row says but no event shows yet is filled in from the row: a shipment or
 * cancellation made on this device (its event comes with the next sync), or an order whose events
 * this device does not hold. Pure, so each entry is tested.
 */
import type { OrderDetail, OrderTimelineEvent } from '../../../../shared/contract/backoffice.js';
import { formatCents } from '../../lib/format.js';

export interface TimelineEntry {
  key: string;
  at: string | null;
  title: string;
  detail?: string;
  /** The staff member who did it, when the server named one. */
  by?: string;
  tone: 'success' | 'info' | 'warning' | 'danger' | 'neutral' | 'pending';
  /** Still waiting in this device's outbox. */
  pending?: boolean;
}

type Entry = Omit<TimelineEntry, 'key' | 'at' | 'by'>;

const CANCEL_REASONS: Record<string, string> = {
  expired: 'Payment did not arrive in time; the reserved stock was released.',
  payment_canceled: 'The payment was cancelled.',
  staff: 'Cancelled by staff.',
  customer: 'Cancelled by the customer.',
};

const time = (at: string | null) => (at === null ? 0 : Date.parse(at) || 0);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const joined = (...parts: unknown[]) => parts.map(text).filter(Boolean).join(' · ') || undefined;
const withDetail = (entry: Entry, detail: string | undefined): Entry => (detail ? { ...entry, detail } : entry);

/** An event's amount (`key`, in minor units) as money, in the event's currency or else the order's. */
function amountOf(order: OrderDetail, data: Record<string, unknown>, key = 'amountCents'): string | undefined {
  const cents = data[key];
  if (typeof cents !== 'number') return undefined;
  return formatCents(cents, text(data.currency)?.toUpperCase() ?? order.currency);
}

/** The entry of one synced event. */
function fromEvent(order: OrderDetail, e: OrderTimelineEvent): Entry {
  const d = e.data;
  const amount = amountOf(order, d);
  switch (e.type) {
    case 'created':
      return { title: 'Order placed', detail: `by ${order.email}`, tone: 'neutral' };
    case 'paid':
      return {
        title: amount ? `Payment of ${amount} received` : 'Payment received',
        detail: d.revived === true ? 'After the order had lapsed: it was revived' : `via ${order.payment.provider}`,
        tone: 'success',
      };
    case 'payment_failed':
      return withDetail({ title: 'Payment failed', tone: 'danger' }, text(d.message));
    case 'revived':
      return { title: 'Revived by a late payment', tone: 'info' };
    case 'late_payment_refunded':
      return {
        title: amount ? `Late payment of ${amount} refunded` : 'Late payment refunded',
        detail: 'It arrived after the order had lapsed and its stock was gone.',
        tone: 'warning',
      };
    case 'fulfilled':
      return withDetail({ title: 'Shipped', tone: 'info' }, joined(d.carrier, d.trackingNumber));
    case 'delivered':
      return { title: 'Delivered', tone: 'success' };
    case 'cancelled':
      return withDetail(
        { title: 'Cancelled', tone: 'danger' },
        [CANCEL_REASONS[String(d.reason)], text(d.note)].filter(Boolean).join(' ') || undefined,
      );
    case 'refund_requested':
    case 'refund_retried':
      return withDetail(
        {
          title: `Refund${amount ? ` of ${amount}` : ''} ${e.type === 'refund_retried' ? 'asked again' : 'requested'}`,
          tone: 'neutral',
        },
        text(d.reason),
      );
    case 'refund_succeeded':
      return { title: 'Refund confirmed by the payment provider', tone: 'success' };
    case 'refund_failed':
      return withDetail({ title: 'Refund failed', tone: 'danger' }, text(d.reason));
    case 'refunded':
    case 'partially_refunded': {
      const total = amountOf(order, d, 'refundedCents');
      const title = e.type === 'refunded' ? 'Refunded' : 'Partly refunded';
      return { title: total ? `${title}: ${total}` : title, tone: 'warning' };
    }
    case 'note':
      return withDetail({ title: 'Note', tone: 'neutral' }, text(d.body));
    default: {
      const words = e.type.replaceAll('_', ' ');
      return { title: words.charAt(0).toUpperCase() + words.slice(1), tone: 'neutral' };
    }
  }
}

/** What the order row shows that no synced event covers (see the note at the top). */
function fromRow(order: OrderDetail, has: (...types: string[]) => boolean): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (entry: TimelineEntry) => entries.push(entry);
  if (!has('created'))
    add({ key: 'placed', at: order.createdAt, title: 'Order placed', detail: `by ${order.email}`, tone: 'neutral' });
  if (order.status === 'pending_payment' && order.expiresAt)
    add({
      key: 'expires',
      at: order.expiresAt,
      title: 'Payment due',
      detail: 'Unpaid orders lapse at this time.',
      tone: 'warning',
    });
  if (order.paidAt && !has('paid'))
    add({
      key: 'paid',
      at: order.paidAt,
      title: `Payment of ${formatCents(order.totalCents, order.currency)} received`,
      detail: `via ${order.payment.provider}`,
      tone: 'success',
    });
  const shipped = order.fulfillment?.shippedAt;
  if (shipped && !has('fulfilled')) {
    const { carrier, trackingNumber } = order.fulfillment!;
    const tracking = joined(carrier, trackingNumber);
    add({ key: 'shipped', at: shipped, title: 'Shipped', ...(tracking ? { detail: tracking } : {}), tone: 'info' });
  }
  if (order.status === 'delivered' && !has('delivered'))
    add({ key: 'delivered', at: order.updatedAt, title: 'Delivered', tone: 'success' });
  if (order.status === 'cancelled' && !has('cancelled'))
    add({
      key: 'cancelled',
      at: order.updatedAt,
      title: 'Cancelled',
      detail: CANCEL_REASONS[order.cancellationReason ?? ''] ?? order.cancellationReason ?? undefined,
      tone: 'danger',
    });
  if (order.refundedCents > 0 && !has('refunded', 'partially_refunded'))
    add({
      key: 'refunded',
      at: order.updatedAt,
      title: `${order.refundedCents >= order.totalCents ? 'Refunded' : 'Partly refunded'}: ${formatCents(order.refundedCents, order.currency)}`,
      tone: 'warning',
    });
  return entries;
}

export function buildTimeline(order: OrderDetail): TimelineEntry[] {
  const types = new Set(order.timeline.map((e) => e.type));
  const entries: TimelineEntry[] = [
    ...fromRow(order, (...wanted) => wanted.some((t) => types.has(t))),
    ...order.timeline.map((e) => ({
      key: e.id,
      at: e.at,
      ...(e.actorName ? { by: e.actorName } : {}),
      ...fromEvent(order, e),
    })),
  ];
  // The note's key is its mutation id, which its event takes: the entry stays put when it arrives.
  for (const note of order.pendingNotes)
    entries.push({
      key: note.mutationId,
      at: note.at,
      title: 'Note',
      detail: note.note,
      tone: 'pending',
      pending: true,
    });
  // Newest first; entries of the same instant keep the order they happened in, reversed.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => time(b.entry.at) - time(a.entry.at) || b.index - a.index)
    .map(({ entry }) => entry);
}

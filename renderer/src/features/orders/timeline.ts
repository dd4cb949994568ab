/**
 * An order's history as the detail shows it, newest first, built from what the synced order carries
 * (placed, paid, shipped, delivered, cancelled, refunded) plus the staff notes still in this
 * device's outbox, which are marked as not sent yet. Pure, so each entry is tested.
 */
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { formatCents } from '../../lib/format.js';

export interface TimelineEntry {
  key: string;
  at: string | null;
  title: string;
  detail?: string;
  tone: 'success' | 'info' | 'warning' | 'danger' | 'neutral' | 'pending';
  /** Still waiting in this device's outbox. */
  pending?: boolean;
}

const CANCEL_REASONS: Record<string, string> = {
  expired: 'Payment did not arrive in time; the reserved stock was released.',
  payment_canceled: 'The payment was cancelled.',
  staff: 'Cancelled by staff.',
  customer: 'Cancelled by the customer.',
};

const time = (at: string | null) => (at === null ? 0 : Date.parse(at) || 0);

export function buildTimeline(order: OrderDetail): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (entry: TimelineEntry) => entries.push(entry);
  add({ key: 'placed', at: order.createdAt, title: 'Order placed', detail: `by ${order.email}`, tone: 'neutral' });
  if (order.status === 'pending_payment' && order.expiresAt)
    add({
      key: 'expires',
      at: order.expiresAt,
      title: 'Payment due',
      detail: 'Unpaid orders lapse at this time.',
      tone: 'warning',
    });
  if (order.paidAt)
    add({
      key: 'paid',
      at: order.paidAt,
      title: `Payment of ${formatCents(order.totalCents, order.currency)} received`,
      detail: `via ${order.payment.provider}`,
      tone: 'success',
    });
  const shipped = order.fulfillment?.shippedAt;
  if (shipped) {
    const { carrier, trackingNumber } = order.fulfillment!;
    const tracking = [carrier, trackingNumber].filter(Boolean).join(' · ');
    add({ key: 'shipped', at: shipped, title: 'Shipped', ...(tracking ? { detail: tracking } : {}), tone: 'info' });
  }
  if (order.status === 'delivered') add({ key: 'delivered', at: order.updatedAt, title: 'Delivered', tone: 'success' });
  if (order.status === 'cancelled')
    add({
      key: 'cancelled',
      at: order.updatedAt,
      title: 'Cancelled',
      detail: CANCEL_REASONS[order.cancellationReason ?? ''] ?? order.cancellationReason ?? undefined,
      tone: 'danger',
    });
  if (order.refundedCents > 0)
    add({
      key: 'refunded',
      at: order.updatedAt,
      title: `${order.refundedCents >= order.totalCents ? 'Refunded' : 'Partly refunded'}: ${formatCents(order.refundedCents, order.currency)}`,
      tone: 'warning',
    });
  for (const note of order.pendingNotes)
    add({ key: note.mutationId, at: note.at, title: 'Note', detail: note.note, tone: 'pending', pending: true });
  // Newest first; entries of the same instant keep the order they happened in, reversed.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => time(b.entry.at) - time(a.entry.at) || b.index - a.index)
    .map(({ entry }) => entry);
}

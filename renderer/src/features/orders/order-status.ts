/** Order and payment statuses in words and badge colours, shared by the list and the detail. */
import { ORDER_STATUS_VALUES } from '../../../../shared/api/orders.schemas.js';
import type { BadgeTone } from '../../components/Badge.js';

export type OrderStatus = (typeof ORDER_STATUS_VALUES)[number];
export { ORDER_STATUS_VALUES };

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'To fulfil',
  fulfilled: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
};

export const STATUS_TONES: Record<OrderStatus, BadgeTone> = {
  pending_payment: 'warning',
  paid: 'accent',
  fulfilled: 'info',
  delivered: 'success',
  cancelled: 'neutral',
  refunded: 'neutral',
  partially_refunded: 'warning',
};

const PAYMENT_LABELS: Record<string, [string, BadgeTone]> = {
  succeeded: ['Paid', 'success'],
  pending: ['Pending', 'warning'],
  requires_payment: ['Pending', 'warning'],
  processing: ['Processing', 'info'],
  failed: ['Failed', 'danger'],
  canceled: ['Voided', 'neutral'],
  refunded: ['Refunded', 'neutral'],
  partially_refunded: ['Partly refunded', 'warning'],
};

/** A payment status from the provider in words; unknown ones are shown as they come. */
export function paymentBadge(status: string | null | undefined): [string, BadgeTone] {
  if (!status) return ['—', 'neutral'];
  return PAYMENT_LABELS[status] ?? [status.replace(/_/g, ' '), 'neutral'];
}

/** Fulfilment is for a paid order not yet shipped (shared/sync/rebase.ts fulfillOrder). */
export const canFulfill = (o: { status: OrderStatus; fulfillment: { shippedAt: string | null } | null }) =>
  (o.status === 'paid' || o.status === 'partially_refunded') && !o.fulfillment?.shippedAt;

/**
 * Staff cancel an unpaid order here; a paid one is cancelled by refunding it (the money moves at
 * the provider, which needs the server), as the host refuses a paid cancel with needs_connection.
 */
export const canCancel = (o: { status: OrderStatus; payment: { status: string } }) =>
  o.status === 'pending_payment' && o.payment.status !== 'succeeded';

export const shortNumber = (number: string) => number.replace(/^#/, '');

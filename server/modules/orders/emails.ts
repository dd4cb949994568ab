/**
 * The shopper's order e-mails, enqueued in the transaction of the change that causes them. Each
 * key names the order and the event, so however often a change is retried or replayed, each
 * e-mail is sent once.
 */
import type { CancellationReason } from '../../db/schema/index.js';
import type { DbOrTx } from '../../db/client.js';
import { enqueueEmail } from '../notifications/outbox.js';
import { orderAccessToken } from './access-token.js';
import type { OrderItemRow, OrderRow } from './orders.repo.js';

export interface EmailSettings {
  PUBLIC_URL: string;
  JWT_SECRET: string;
}

/** The order page; a guest's link carries the order's access token (the e-mail is their only way back). */
export function orderUrl(config: EmailSettings, order: OrderRow): string {
  const base = `${config.PUBLIC_URL}/orders/${order.id}`;
  return order.userId ? base : `${base}?token=${orderAccessToken(config.JWT_SECRET, order.id)}`;
}

export async function enqueueConfirmation(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  items: readonly OrderItemRow[],
): Promise<void> {
  await enqueueEmail(tx, {
    key: `order-confirmation:${order.id}`,
    template: 'order-confirmation',
    to: order.email,
    data: {
      number: order.number,
      currency: order.currency,
      items: items.map((i) => ({
        name: i.name,
        sku: i.sku,
        quantity: i.quantity,
        unitPriceCents: i.unitPriceCents,
        lineTotalCents: i.lineTotalCents,
      })),
      subtotalCents: order.subtotalCents,
      shippingCents: order.shippingCents,
      taxCents: order.taxCents,
      totalCents: order.totalCents,
      orderUrl: orderUrl(config, order),
    },
  });
}

/** One per provider event: a shopper who retries and fails again hears about each failure once. */
export async function enqueuePaymentFailed(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  eventId: string,
  reason: string | undefined,
): Promise<void> {
  await enqueueEmail(tx, {
    key: `order-payment-failed:${order.id}:${eventId}`,
    template: 'order-payment-failed',
    to: order.email,
    data: { number: order.number, reason: reason ?? null, orderUrl: orderUrl(config, order) },
  });
}

/** `refundCents`: a paid order cancelled by staff, whose payment goes back. */
export async function enqueueCancelled(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  reason: CancellationReason,
  refundCents?: number,
): Promise<void> {
  await enqueueEmail(tx, {
    key: `order-cancelled:${order.id}`,
    template: 'order-cancelled',
    to: order.email,
    data: {
      number: order.number,
      reason,
      orderUrl: orderUrl(config, order),
      ...(refundCents ? { refundCents, currency: order.currency } : {}),
    },
  });
}

const TRACKING_URLS: Record<string, (n: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  royalmail: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
};

/** The carrier's public tracking page for well-known carriers (name matched loosely: "FedEx", "fed-ex"). */
export function trackingUrl(carrier: string, trackingNumber: string): string | null {
  const make = TRACKING_URLS[carrier.toLowerCase().replace(/[^a-z]/g, '')];
  return make ? make(encodeURIComponent(trackingNumber)) : null;
}

export async function enqueueShipped(tx: DbOrTx, config: EmailSettings, order: OrderRow): Promise<void> {
  const carrier = order.fulfillmentCarrier ?? '';
  const trackingNumber = order.fulfillmentTrackingNumber ?? '';
  await enqueueEmail(tx, {
    key: `order-shipped:${order.id}`,
    template: 'order-shipped',
    to: order.email,
    data: {
      number: order.number,
      carrier,
      trackingNumber,
      trackingUrl: trackingUrl(carrier, trackingNumber),
      orderUrl: orderUrl(config, order),
    },
  });
}

/** One per cumulative refunded total: our refund and its provider event land on the same key. */
export async function enqueueRefunded(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  previousCents: number,
): Promise<void> {
  await enqueueEmail(tx, {
    key: `order-refunded:${order.id}:${order.refundedCents}`,
    template: 'order-refunded',
    to: order.email,
    data: {
      number: order.number,
      currency: order.currency,
      amountCents: order.refundedCents - previousCents,
      refundedCents: order.refundedCents,
      totalCents: order.totalCents,
      orderUrl: orderUrl(config, order),
    },
  });
}

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

export async function enqueueCancelled(
  tx: DbOrTx,
  config: EmailSettings,
  order: OrderRow,
  reason: CancellationReason,
): Promise<void> {
  await enqueueEmail(tx, {
    key: `order-cancelled:${order.id}`,
    template: 'order-cancelled',
    to: order.email,
    data: { number: order.number, reason, orderUrl: orderUrl(config, order) },
  });
}

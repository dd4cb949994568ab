import { z } from 'zod';
import { formatMoney } from '../../../shared/domain/money.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Who the e-mails speak for: the shop's name (config SHOP_NAME). */
export interface Shop {
  name: string;
}

const DEFAULT_SHOP: Shop = { name: 'Nexus Store' };

function layout(shop: Shop, title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:32px 16px">
<table role="presentation" width="100%" style="max-width:560px;background:#fff;border-radius:8px;padding:32px">
<tr><td><p style="font-weight:700;font-size:20px;margin:0 0 24px">${escapeHtml(shop.name)}</p>${bodyHtml}
<p style="color:#71717a;font-size:12px;margin-top:32px">You receive this e-mail because of an action on your ${escapeHtml(shop.name)} account.</p>
</td></tr></table></td></tr></table></body></html>`;
}

const button = (href: string, label: string) =>
  `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="background:#18181b;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>`;

interface TemplateDef<S extends z.ZodType> {
  payload: S;
  /** Payload keys scrubbed once the e-mail is sent (one-time links must not linger in the outbox). */
  sensitive?: (keyof z.output<S>)[];
  render(data: z.output<S>, shop: Shop): RenderedEmail;
}

const define = <S extends z.ZodType>(def: TemplateDef<S>) => def;

const orderPayload = z.object({
  number: z.string(),
  currency: z.string(),
  items: z.array(
    z.object({
      name: z.string(),
      sku: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int(),
      lineTotalCents: z.number().int(),
    }),
  ),
  subtotalCents: z.number().int(),
  shippingCents: z.number().int(),
  taxCents: z.number().int(),
  totalCents: z.number().int(),
  orderUrl: z.string(),
});

export const templates = {
  welcome: define({
    payload: z.object({ name: z.string(), shopUrl: z.string() }),
    render: ({ name, shopUrl }, shop) => ({
      subject: `Welcome to ${shop.name}`,
      text: `Hello ${name},\n\nYour ${shop.name} account is ready. Start shopping at ${shopUrl}\n\nThe ${shop.name} team`,
      html: layout(
        shop,
        `Welcome to ${shop.name}`,
        `<p>Hello ${escapeHtml(name)},</p><p>Your ${escapeHtml(shop.name)} account is ready.</p>${button(shopUrl, 'Start shopping')}`,
      ),
    }),
  }),
  'password-reset': define({
    payload: z.object({ name: z.string(), resetUrl: z.string(), expiresInMinutes: z.number().int() }),
    sensitive: ['resetUrl'],
    render: ({ name, resetUrl, expiresInMinutes }, shop) => ({
      subject: `Reset your ${shop.name} password`,
      text:
        `Hello ${name},\n\nSomeone asked to reset the password of your ${shop.name} account. ` +
        `Open this link within ${expiresInMinutes} minutes to choose a new one:\n\n${resetUrl}\n\n` +
        `If it was not you, ignore this e-mail: your password stays as it is.`,
      html: layout(
        shop,
        'Reset your password',
        `<p>Hello ${escapeHtml(name)},</p><p>Someone asked to reset the password of your ${shop.name} account. ` +
          `The link works once, within ${expiresInMinutes} minutes.</p>${button(resetUrl, 'Choose a new password')}` +
          `<p>If it was not you, ignore this e-mail: your password stays as it is.</p>`,
      ),
    }),
  }),
  'low-stock-alert': define({
    payload: z.object({
      productName: z.string(),
      variantTitle: z.string(),
      sku: z.string(),
      location: z.string(),
      available: z.number().int(),
      threshold: z.number().int(),
      productUrl: z.string(),
    }),
    render: (a, shop) => {
      const item = a.variantTitle ? `${a.productName} – ${a.variantTitle}` : a.productName;
      const left =
        a.available > 0 ? `${a.available} left` : a.available === 0 ? 'sold out' : `oversold by ${-a.available}`;
      return {
        subject: `Low stock: ${item} (${a.sku}), ${left}`,
        text:
          `${item} (SKU ${a.sku}) is low at ${a.location}: ${a.available} available, ` +
          `alert threshold ${a.threshold}.\n\nRestock or adjust it in the back-office: ${a.productUrl}\n`,
        html: layout(
          shop,
          `Low stock: ${item}`,
          `<p><strong>${escapeHtml(item)}</strong> (SKU ${escapeHtml(a.sku)}) is low at ${escapeHtml(a.location)}.</p>` +
            `<p>Available: <strong>${a.available}</strong> (alert threshold ${a.threshold}).</p>` +
            button(a.productUrl, 'Open the product'),
        ),
      };
    },
  }),
  'order-confirmation': define({
    payload: orderPayload,
    // A guest's link carries the order's access token.
    sensitive: ['orderUrl'],
    render: (o, shop) => {
      const m = (cents: number) => formatMoney({ amount: cents, currency: o.currency });
      const rows = o.items
        .map(
          (i) =>
            `<tr><td style="padding:4px 0">${escapeHtml(i.name)} <span style="color:#71717a">(${escapeHtml(i.sku)})</span> × ${i.quantity}</td>` +
            `<td align="right">${escapeHtml(m(i.lineTotalCents))}</td></tr>`,
        )
        .join('');
      const totals: [string, number][] = [
        ['Subtotal', o.subtotalCents],
        ['Shipping', o.shippingCents],
        ['Tax', o.taxCents],
      ];
      const totalRows = totals
        .map(([label, cents]) => `<tr><td>${label}</td><td align="right">${escapeHtml(m(cents))}</td></tr>`)
        .join('');
      return {
        subject: `Order ${o.number} confirmed`,
        text:
          `Thank you for your order ${o.number}.\n\n` +
          o.items.map((i) => `${i.quantity} × ${i.name} (${i.sku})  ${m(i.lineTotalCents)}`).join('\n') +
          `\n\nSubtotal ${m(o.subtotalCents)}\nShipping ${m(o.shippingCents)}\nTax ${m(o.taxCents)}\nTotal ${m(o.totalCents)}\n\n` +
          `Your order: ${o.orderUrl}\n\nThe ${shop.name} team`,
        html: layout(
          shop,
          `Order ${o.number} confirmed`,
          `<p>Thank you for your order <strong>${escapeHtml(o.number)}</strong>. We have your payment and will ship soon.</p>` +
            `<table role="presentation" width="100%" style="border-collapse:collapse">${rows}</table>` +
            `<hr style="border:none;border-top:1px solid #e4e4e7"><table role="presentation" width="100%">${totalRows}` +
            `<tr><td><strong>Total</strong></td><td align="right"><strong>${escapeHtml(m(o.totalCents))}</strong></td></tr></table>` +
            button(o.orderUrl, 'View your order'),
        ),
      };
    },
  }),
  'order-payment-failed': define({
    payload: z.object({ number: z.string(), reason: z.string().nullable(), orderUrl: z.string() }),
    sensitive: ['orderUrl'],
    render: ({ number, reason, orderUrl }, shop) => ({
      subject: `Payment for order ${number} did not go through`,
      text:
        `The payment for your order ${number} did not go through${reason ? `: ${reason}` : '.'}\n\n` +
        `Your order is kept for a while: you can try again with another card.\n\n${orderUrl}\n\nThe ${shop.name} team`,
      html: layout(
        shop,
        'Payment did not go through',
        `<p>The payment for your order <strong>${escapeHtml(number)}</strong> did not go through` +
          `${reason ? `: ${escapeHtml(reason)}` : '.'}</p><p>Your order is kept for a while: you can try again with another card.</p>` +
          button(orderUrl, 'View your order'),
      ),
    }),
  }),
  'order-cancelled': define({
    payload: z.object({
      number: z.string(),
      reason: z.enum(['expired', 'payment_canceled', 'staff']),
      orderUrl: z.string(),
      /** A paid order cancelled by staff: the payment being refunded. */
      refundCents: z.number().int().positive().optional(),
      currency: z.string().optional(),
    }),
    sensitive: ['orderUrl'],
    render: ({ number, reason, orderUrl, refundCents, currency }, shop) => {
      const why =
        reason === 'expired'
          ? 'it was not paid in time'
          : reason === 'payment_canceled'
            ? 'its payment was canceled'
            : 'our staff cancelled it';
      const money = refundCents
        ? `Your payment of ${formatMoney({ amount: refundCents, currency: currency ?? 'USD' })} is being refunded to your original payment method.`
        : 'Nothing was charged for it.';
      return {
        subject: `Order ${number} cancelled`,
        text: `Your order ${number} was cancelled because ${why}. ${money}\n\n${orderUrl}\n\nThe ${shop.name} team`,
        html: layout(
          shop,
          `Order ${number} cancelled`,
          `<p>Your order <strong>${escapeHtml(number)}</strong> was cancelled because ${escapeHtml(why)}. ${escapeHtml(money)}</p>` +
            button(orderUrl, 'View your order'),
        ),
      };
    },
  }),
  'order-shipped': define({
    payload: z.object({
      number: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string().nullable(),
      orderUrl: z.string(),
    }),
    sensitive: ['orderUrl'],
    render: ({ number, carrier, trackingNumber, trackingUrl, orderUrl }, shop) => ({
      subject: `Order ${number} has shipped`,
      text:
        `Good news: your order ${number} is on its way.\n\nCarrier: ${carrier}\nTracking number: ${trackingNumber}\n` +
        (trackingUrl ? `Track it: ${trackingUrl}\n` : '') +
        `\nYour order: ${orderUrl}\n\nThe ${shop.name} team`,
      html: layout(
        shop,
        `Order ${number} has shipped`,
        `<p>Good news: your order <strong>${escapeHtml(number)}</strong> is on its way.</p>` +
          `<p>Carrier: ${escapeHtml(carrier)}<br>Tracking number: <strong>${escapeHtml(trackingNumber)}</strong></p>` +
          (trackingUrl ? button(trackingUrl, 'Track your parcel') : '') +
          `<p><a href="${escapeHtml(orderUrl)}">View your order</a></p>`,
      ),
    }),
  }),
  'order-refunded': define({
    payload: z.object({
      number: z.string(),
      currency: z.string(),
      /** This refund. */
      amountCents: z.number().int().positive(),
      /** Refunded so far, this one included. */
      refundedCents: z.number().int().positive(),
      totalCents: z.number().int(),
      orderUrl: z.string(),
    }),
    sensitive: ['orderUrl'],
    render: (r, shop) => {
      const m = (cents: number) => formatMoney({ amount: cents, currency: r.currency });
      const full = r.refundedCents >= r.totalCents;
      const summary = full
        ? `Your order has been refunded in full (${m(r.refundedCents)}).`
        : `${m(r.refundedCents)} of the ${m(r.totalCents)} you paid has been refunded so far.`;
      const lead = `We have refunded ${m(r.amountCents)} for your order ${r.number}.`;
      return {
        subject: `Refund of ${m(r.amountCents)} for order ${r.number}`,
        text:
          `${lead} ${summary}\n\nIt may take a few days to show on your statement.\n\n` +
          `Your order: ${r.orderUrl}\n\nThe ${shop.name} team`,
        html: layout(
          shop,
          `Refund for order ${r.number}`,
          `<p>We have refunded <strong>${escapeHtml(m(r.amountCents))}</strong> for your order <strong>${escapeHtml(r.number)}</strong>. ` +
            `${escapeHtml(summary)}</p><p>It may take a few days to show on your statement.</p>` +
            button(r.orderUrl, 'View your order'),
        ),
      };
    },
  }),
} satisfies Record<string, TemplateDef<z.ZodType>>;

export type TemplateName = keyof typeof templates;
export type TemplatePayload<T extends TemplateName> = z.input<(typeof templates)[T]['payload']>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

// Own keys only: a stored name like "constructor" must be "unknown", not an inherited property.
const findTemplate = (name: string): TemplateDef<z.ZodType> | undefined =>
  Object.hasOwn(templates, name) ? (templates as Record<string, TemplateDef<z.ZodType>>)[name] : undefined;

/** Renders a stored outbox row; a bad row is a permanent failure, never a retry loop. */
export function renderTemplate(name: string, payload: unknown, shop: Shop = DEFAULT_SHOP): RenderedEmail {
  const def = findTemplate(name);
  if (!def) throw new TemplateError(`unknown e-mail template "${name}"`);
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) throw new TemplateError(`bad payload for "${name}": ${parsed.error.message}`);
  return def.render(parsed.data, shop);
}

export function scrubPayload(name: string, payload: Record<string, unknown>): Record<string, unknown> {
  const def = findTemplate(name);
  const out = { ...payload };
  for (const key of def?.sensitive ?? []) if (key in out) out[key as string] = '[scrubbed after send]';
  return out;
}

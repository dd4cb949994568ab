import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../../shared/domain/ids.js';
import { products, variants } from './catalog.js';
import { syncVersion } from './sync-columns.js';
import { createdAt, updatedAt, users } from './users.js';

/**
 * Orders and their lines (API.md "Checkout, payments, orders"). Only the storage is defined
 * here; reviews read it to tell a verified purchase. The checkout issue adds the services.
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilled',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses in which the customer has paid and kept (at least part of) the goods. */
export const PURCHASED_ORDER_STATUSES = [
  'paid',
  'fulfilled',
  'delivered',
  'partially_refunded',
] as const satisfies readonly OrderStatus[];

export const orderStatusEnum = pgEnum('order_status', ORDER_STATUSES);

/** A postal address as the shopper gave it at checkout, copied so later address-book edits do not rewrite history. */
export interface OrderAddress {
  name: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
}

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Human order numbers: `NX-` + the next value (NX-100001, NX-100002, ...). Gaps are normal (rolled-back checkouts). */
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 100001, minValue: 100001 });

/** Why an order was cancelled; `expired` orders may still be revived by a late successful payment. */
export const CANCELLATION_REASONS = ['expired', 'payment_canceled', 'staff'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The human order number shown to shoppers and staff (e.g. on e-mails); unique. */
    number: text('number').notNull(),
    /** Null for guest checkouts, and nulled when the account is deleted: the order stays for the books. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    status: orderStatusEnum('status').notNull().default('pending_payment'),
    currency: text('currency').notNull().default('USD'),
    subtotalCents: integer('subtotal_cents').notNull(),
    shippingCents: integer('shipping_cents').notNull().default(0),
    taxCents: integer('tax_cents').notNull().default(0),
    totalCents: integer('total_cents').notNull(),
    shippingAddress: jsonb('shipping_address').$type<OrderAddress>().notNull(),
    billingAddress: jsonb('billing_address').$type<OrderAddress>(),
    /** `stripe` or `test` (the built-in provider). */
    paymentProvider: text('payment_provider').notNull(),
    /** The provider's view of the payment (e.g. pending, succeeded, failed, refunded). */
    paymentStatus: text('payment_status').notNull().default('pending'),
    paymentIntentId: text('payment_intent_id'),
    /** SHA-256 of the guest's order access token; the token itself is only ever in the checkout response. */
    accessTokenHash: text('access_token_hash'),
    fulfillmentCarrier: text('fulfillment_carrier'),
    fulfillmentTrackingNumber: text('fulfillment_tracking_number'),
    shippedAt: tsz('shipped_at'),
    /** When an unpaid order's stock reservation lapses. */
    expiresAt: tsz('expires_at'),
    paidAt: tsz('paid_at'),
    cancelledAt: tsz('cancelled_at'),
    cancellationReason: text('cancellation_reason').$type<CancellationReason>(),
    /** What the provider reports refunded so far, in total. */
    refundedCents: integer('refunded_cents').notNull().default(0),
    /** Set when staff must look at the order (e.g. paid after expiry with the stock gone: refunded automatically). */
    needsAttention: boolean('needs_attention').notNull().default(false),
    attentionReason: text('attention_reason'),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_number_key').on(t.number),
    // Webhooks find their order by the provider's payment id.
    uniqueIndex('orders_payment_intent_key')
      .on(t.paymentIntentId)
      .where(sql`${t.paymentIntentId} is not null`),
    index('orders_user_created_idx').on(t.userId, t.createdAt),
    index('orders_status_created_idx').on(t.status, t.createdAt),
    // The staff list, newest first, when no status narrows it.
    index('orders_created_idx').on(t.createdAt, t.id),
    // Pattern ops: the staff list finds orders by an e-mail prefix (`lower(email) like 'ada%'`) as well as exactly.
    index('orders_email_prefix_idx').on(sql`lower(${t.email}) text_pattern_ops`),
    index('orders_version_idx').on(t.version),
    // The reservation sweeper reads only unpaid orders.
    index('orders_attention_idx')
      .on(t.createdAt)
      .where(sql`${t.needsAttention}`),
    index('orders_pending_expires_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending_payment'`),
    check(
      'orders_amounts_nonnegative',
      sql`${t.subtotalCents} >= 0 and ${t.shippingCents} >= 0 and ${t.taxCents} >= 0 and ${t.totalCents} >= 0`,
    ),
    check('orders_refunded_nonnegative', sql`${t.refundedCents} >= 0`),
  ],
);

/**
 * One line of an order, a snapshot of what was bought: SKU, name and price are copied, so the
 * line survives later catalog edits. The variant and product links are kept for reports and
 * reviews, and nulled if the catalog row is ever deleted.
 */
export const orderItems = pgTable(
  'order_items',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').references(() => variants.id, { onDelete: 'set null' }),
    productId: uuid('product_id').references(() => products.id, { onDelete: 'set null' }),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    lineTotalCents: integer('line_total_cents').notNull(),
    version: syncVersion(),
    createdAt: createdAt(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    index('order_items_product_idx').on(t.productId),
    index('order_items_variant_idx').on(t.variantId),
    index('order_items_version_idx').on(t.version),
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    check('order_items_amounts_nonnegative', sql`${t.unitPriceCents} >= 0 and ${t.lineTotalCents} >= 0`),
  ],
);

/**
 * The timeline of an order: one row per applied change (created, paid, payment failed, cancelled,
 * refunded, ...), appended in the transaction of the change. Never updated.
 */
export const orderEvents = pgTable(
  'order_events',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** Who: `system`, `customer`, `provider:<name>`, or `user:<id>` for staff. */
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.createdAt)],
);

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Units of one variant put back on hand by a refund. */
export interface RefundLine {
  variantId: string;
  quantity: number;
}

/**
 * Refunds staff asked for (admin refunds and paid-order cancellations; refunds made elsewhere,
 * e.g. in the Stripe dashboard, only show in `orders.refunded_cents`). A row is `pending` from the
 * request until the provider answers; pending and succeeded rows count against what is left to
 * refund. The idempotency key is the staff client's, unique per order; the provider is called with
 * `refund:<id>`, so a retried row never refunds twice.
 */
export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason').notNull(),
    restock: boolean('restock').notNull().default(false),
    /** The units to put back on hand once the provider confirms (empty without restock). */
    lines: jsonb('lines').$type<RefundLine[]>().notNull().default([]),
    /** Null for refunds that come with a cancellation. */
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    status: text('status').$type<RefundStatus>().notNull().default('pending'),
    providerRefundId: text('provider_refund_id'),
    /** Why the provider refused, for staff; never a secret. */
    failureReason: text('failure_reason'),
    /** `user:<id>` of the staff member who asked. */
    actor: text('actor').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('order_refunds_order_key').on(t.orderId, t.idempotencyKey),
    index('order_refunds_order_idx').on(t.orderId, t.createdAt),
    check('order_refunds_amount_positive', sql`${t.amountCents} > 0`),
    check('order_refunds_status_valid', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
  ],
);

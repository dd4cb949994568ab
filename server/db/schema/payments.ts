import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './users.js';

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Every provider event the server has taken in (server-only, not synced). The row is inserted in
 * the transaction that hands the event to the orders module, so a repeated event id finds its row
 * and is a no-op, and an event whose handling failed leaves no row and is applied on redelivery.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    /** The provider's event id (Stripe `evt_…`, or the test provider's own). */
    id: text('id').primaryKey(),
    /** `stripe` or `test`. */
    provider: text('provider').notNull(),
    /** The event type as the provider delivered it (e.g. `payment_intent.succeeded`). */
    type: text('type').notNull(),
    /** From the payment's metadata, as sent: not a reference, since an unknown id is recorded too. */
    orderId: text('order_id'),
    paymentId: text('payment_id'),
    receivedAt: tsz('received_at').notNull().defaultNow(),
    /** applied | ignored | unknown_order. */
    outcome: text('outcome').notNull(),
    /** Set when handling asked for the money to go back: pending, then succeeded or failed (staff look at failed). */
    refundStatus: text('refund_status'),
    refundId: text('refund_id'),
    /** Why an automatic refund failed, without secrets. */
    refundError: text('refund_error'),
  },
  (t) => [
    index('payment_events_order_idx').on(t.orderId),
    // Staff look for automatic refunds that did not go through.
    index('payment_events_refund_failed_idx')
      .on(t.receivedAt)
      .where(sql`${t.refundStatus} = 'failed'`),
  ],
);

export const TEST_PAYMENT_STATUSES = ['requires_confirmation', 'succeeded', 'failed'] as const;
export type TestPaymentStatus = (typeof TEST_PAYMENT_STATUSES)[number];

/**
 * Payments of the built-in test provider (the default when no Stripe key is set). Kept in the
 * database, not in memory, so a confirmation reaches any instance and survives a restart.
 */
export const testPayments = pgTable(
  'test_payments',
  {
    /** `testpay_<uuid>`, stored on the order as its payment id. */
    id: text('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    email: text('email').notNull(),
    clientSecret: text('client_secret').notNull(),
    status: text('status').$type<TestPaymentStatus>().notNull().default('requires_confirmation'),
    /** The checkout's key: a retried checkout gets the same payment back. */
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('test_payments_idempotency_key').on(t.idempotencyKey),
    index('test_payments_order_idx').on(t.orderId, t.createdAt),
    check('test_payments_amount_nonnegative', sql`${t.amountCents} >= 0`),
  ],
);

/** Refunds of test payments; the idempotency key makes a repeated refund request return the first. */
export const testRefunds = pgTable(
  'test_refunds',
  {
    /** `testre_<uuid>`. */
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => testPayments.id, { onDelete: 'cascade' }),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason'),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('test_refunds_idempotency_key').on(t.idempotencyKey),
    index('test_refunds_payment_idx').on(t.paymentId),
    check('test_refunds_amount_positive', sql`${t.amountCents} > 0`),
  ],
);

/**
 * The built-in test provider, the default when no Stripe key is set. Payments and refunds live in
 * the database (test_payments, test_refunds) so any instance can confirm them, and every outcome
 * travels the same event path as a Stripe webhook.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { TEST_CARDS, TEST_DECLINE_MESSAGE, type TestConfirmResult } from '../../../shared/api/payments.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { orders, testPayments, testRefunds } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import type {
  CreatedPayment,
  CreatedRefund,
  CreatePaymentInput,
  PaymentEvent,
  PaymentProvider,
  RefundInput,
} from './contract.js';
import type { HandledPaymentEvent, HandleEventOptions } from './events.js';

export type EmitPaymentEvent = (event: PaymentEvent, options?: HandleEventOptions) => Promise<HandledPaymentEvent>;

const compactId = (prefix: string) => `${prefix}_${newId().replaceAll('-', '')}`;

function providerError(message: string): AppError {
  return new AppError('payment_provider_error', message);
}

export class TestProvider implements PaymentProvider {
  readonly name = 'test' as const;

  constructor(
    private readonly db: Db,
    private readonly emit: EmitPaymentEvent,
  ) {}

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const id = compactId('testpay');
    const values = {
      id,
      orderId: input.orderId,
      orderNumber: input.orderNumber,
      amountCents: input.amountCents,
      currency: input.currency.toUpperCase(),
      email: input.email,
      clientSecret: `${id}_secret_${randomBytes(16).toString('hex')}`,
      idempotencyKey: input.idempotencyKey,
    };
    await this.db.insert(testPayments).values(values).onConflictDoNothing();
    const [payment] = await this.db
      .select()
      .from(testPayments)
      .where(eq(testPayments.idempotencyKey, input.idempotencyKey));
    if (!payment) throw providerError('The test payment could not be stored');
    // As Stripe does: a key reused for another payment is refused, not silently answered.
    if (
      payment.orderId !== values.orderId ||
      payment.amountCents !== values.amountCents ||
      payment.currency !== values.currency
    ) {
      throw providerError('The idempotency key was already used for a different payment');
    }
    return { provider: 'test', paymentId: payment.id, clientSecret: payment.clientSecret };
  }

  /** Succeeds at once, then reports `charge.refunded` (the total refunded so far) through the event path. */
  async refund(input: RefundInput): Promise<CreatedRefund> {
    const refund = await this.storeRefund(input);
    const [payment] = await this.db.select().from(testPayments).where(eq(testPayments.id, refund.paymentId));
    if (!payment) throw providerError('No such test payment');
    const [total] = await queryRows<{ cents: number }>(
      this.db,
      sql`select coalesce(sum(amount_cents), 0)::int as cents from test_refunds where payment_id = ${payment.id}`,
    );
    // One event per refund: a repeated refund request re-sends the same event, a no-op if it was applied.
    await this.emit(
      {
        id: `evt_${refund.id}`,
        provider: 'test',
        type: 'charge.refunded',
        orderId: payment.orderId,
        paymentId: payment.id,
        amountCents: total?.cents ?? refund.amountCents,
        currency: payment.currency,
      },
      { providerType: 'charge.refunded' },
    );
    return { refundId: refund.id, status: 'succeeded' };
  }

  private async storeRefund(input: RefundInput) {
    const existing = await this.refundByKey(input.idempotencyKey);
    if (existing) return this.sameRefund(existing, input);
    if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) {
      throw providerError('A refund must be a positive whole number of cents');
    }
    try {
      return await this.db.transaction(async (tx) => {
        // The payment row is locked so two refunds cannot both pass the "not more than paid" check.
        const [payment] = await tx
          .select()
          .from(testPayments)
          .where(eq(testPayments.id, input.paymentId))
          .for('update');
        if (!payment) throw providerError('No such test payment');
        if (payment.status !== 'succeeded') throw providerError('The test payment has not succeeded');
        const [refunded] = await queryRows<{ cents: number }>(
          tx,
          sql`select coalesce(sum(amount_cents), 0)::int as cents from test_refunds where payment_id = ${payment.id}`,
        );
        if ((refunded?.cents ?? 0) + input.amountCents > payment.amountCents) {
          throw providerError('The refund is larger than what is left of the payment');
        }
        const [created] = await tx
          .insert(testRefunds)
          .values({
            id: compactId('testre'),
            paymentId: payment.id,
            amountCents: input.amountCents,
            reason: input.reason ?? null,
            idempotencyKey: input.idempotencyKey,
          })
          .returning();
        return created!;
      });
    } catch (err) {
      // The same key raced in from elsewhere: answer its refund.
      const raced = isUniqueViolation(err) ? await this.refundByKey(input.idempotencyKey) : undefined;
      if (raced) return this.sameRefund(raced, input);
      throw err;
    }
  }

  private async refundByKey(key: string) {
    const [row] = await this.db.select().from(testRefunds).where(eq(testRefunds.idempotencyKey, key));
    return row;
  }

  private sameRefund(existing: typeof testRefunds.$inferSelect, input: RefundInput) {
    if (existing.paymentId !== input.paymentId || existing.amountCents !== input.amountCents) {
      throw providerError('The idempotency key was already used for a different refund');
    }
    return existing;
  }

  /**
   * POST /payments/test/confirm: the shopper "pays" a pending order with a test card. The outcome
   * is recorded and handed to the orders module exactly like a Stripe webhook.
   */
  async confirm(orderId: string, card: string): Promise<TestConfirmResult> {
    const outcome = (TEST_CARDS as Record<string, 'succeeded' | 'failed' | undefined>)[card.replace(/[\s-]/g, '')];
    if (!outcome) {
      throw new AppError(
        'invalid_test_card',
        'Use test card 4242424242424242 (succeeds) or 4000000000000002 (is declined)',
      );
    }
    const [order] = await this.db
      .select({ status: orders.status, provider: orders.paymentProvider, paymentId: orders.paymentIntentId })
      .from(orders)
      .where(eq(orders.id, orderId));
    if (!order) throw notFound('Order');
    const [payment] = await this.db
      .select()
      .from(testPayments)
      .where(
        order.paymentId
          ? and(eq(testPayments.id, order.paymentId), eq(testPayments.orderId, orderId))
          : eq(testPayments.orderId, orderId),
      )
      .orderBy(desc(testPayments.createdAt))
      .limit(1);
    if (order.status !== 'pending_payment' || order.provider !== 'test' || !payment) {
      throw new AppError('order_not_payable', 'This order is not waiting for a test payment');
    }
    if (payment.status === 'succeeded') {
      throw new AppError('order_not_payable', 'This order has already been paid');
    }
    const event: PaymentEvent = {
      // One event per payment and outcome: a double click or a retried request is a no-op.
      id: `evt_${payment.id}_${outcome}`,
      provider: 'test',
      type: outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
      orderId,
      paymentId: payment.id,
      amountCents: payment.amountCents,
      currency: payment.currency,
      ...(outcome === 'failed' ? { failureMessage: TEST_DECLINE_MESSAGE } : {}),
    };
    await this.emit(event, {
      withinTransaction: async (tx) => {
        await tx
          .update(testPayments)
          .set({ status: outcome, updatedAt: new Date() })
          .where(eq(testPayments.id, payment.id));
      },
    });
    return {
      orderId,
      paymentId: payment.id,
      status: outcome,
      ...(outcome === 'failed' ? { failureMessage: TEST_DECLINE_MESSAGE } : {}),
    };
  }
}

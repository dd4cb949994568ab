/**
 * The seam between payments (providers, webhooks) and orders (checkout, the order state machine).
 * Payments turns every provider's news into a PaymentEvent and hands it to the orders module's
 * handler inside the transaction that records the event id, so a repeated event is a no-op and an
 * applied one is applied exactly once. Money leaves only through a provider, after commit.
 */
import type { Tx } from '../../db/client.js';

export type PaymentProviderName = 'stripe' | 'test';

export interface CreatePaymentInput {
  orderId: string;
  orderNumber: string;
  amountCents: number;
  /** ISO 4217, upper case. */
  currency: string;
  email: string;
  /** Stable per order: a retried checkout creates no second payment at the provider. */
  idempotencyKey: string;
}

export interface CreatedPayment {
  provider: PaymentProviderName;
  /** The provider's id (a Stripe PaymentIntent id, or the test provider's own id). */
  paymentId: string;
  clientSecret: string;
  publishableKey?: string;
}

export interface RefundInput {
  paymentId: string;
  amountCents: number;
  idempotencyKey: string;
  reason?: string;
}

export interface CreatedRefund {
  refundId: string;
  status: 'pending' | 'succeeded' | 'failed';
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  refund(input: RefundInput): Promise<CreatedRefund>;
}

/** A provider event, normalised. Stripe's `payment_intent.*` and `charge.refunded` map onto these. */
export interface PaymentEvent {
  /** The provider's event id; recorded once (payment_events) so a replay is a no-op. */
  id: string;
  provider: PaymentProviderName;
  type: 'payment.succeeded' | 'payment.failed' | 'payment.canceled' | 'charge.refunded';
  /** From the payment's metadata; undefined when the provider sent none. */
  orderId: string | undefined;
  paymentId: string;
  /** Amount paid (succeeded) or refunded so far in total (charge.refunded). */
  amountCents: number;
  currency: string;
  /** payment.failed: the provider's reason, safe to show the shopper. */
  failureMessage?: string;
}

export interface PaymentEventResult {
  outcome: 'applied' | 'ignored' | 'unknown_order';
  /**
   * Set when the money must go back: a payment that succeeded for an order that had expired and
   * whose stock could not be re-reserved. Payments issues the refund after the transaction commits.
   */
  refund?: { paymentId: string; amountCents: number; reason: string; idempotencyKey: string };
}

/** Implemented by the orders module; runs inside the transaction that recorded the event id. */
export type PaymentEventHandler = (tx: Tx, event: PaymentEvent) => Promise<PaymentEventResult>;

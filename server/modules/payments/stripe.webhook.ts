/**
 * Verifying Stripe webhooks and mapping the events we act on to PaymentEvents. The signature is
 * checked on the raw bytes as received; only then is the body parsed.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors.js';
import type { PaymentEvent } from './contract.js';

/** Verifies the `Stripe-Signature` header over the raw body and parses the event. */
export function verifyStripeEvent(raw: Buffer, signature: string | undefined, secret: string): unknown {
  if (!signature) throw new AppError('invalid_signature', 'The Stripe-Signature header is missing');
  try {
    return Stripe.webhooks.constructEvent(raw, signature, secret);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError('invalid_signature', 'The Stripe-Signature header does not match the body');
    }
    // Signed, but not JSON: only a bug at the sender can do this.
    throw new AppError('invalid_json', 'The webhook body is not valid JSON', { cause: err });
  }
}

const metadata = z.record(z.string(), z.string()).nullish();
const orderIdOf = (meta: z.infer<typeof metadata>): string | undefined => meta?.orderId || undefined;
const cents = z.number().int().nonnegative();

const paymentIntent = z.object({
  id: z.string().min(1),
  amount: cents,
  amount_received: cents.nullish(),
  currency: z.string().min(1),
  metadata,
  last_payment_error: z.object({ message: z.string().nullish() }).nullish(),
});

const charge = z.object({
  id: z.string().min(1),
  amount_refunded: cents,
  currency: z.string().min(1),
  metadata,
  // A payment intent id, or the intent itself when expanded.
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
});

const envelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const PAYMENT_INTENT_TYPES = {
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
  'payment_intent.canceled': 'payment.canceled',
} as const;

export type MappedStripeEvent =
  { kind: 'payment'; stripeType: string; event: PaymentEvent } | { kind: 'ignored'; id: string; stripeType: string };

function malformed(error: z.ZodError, type: string): AppError {
  const where = error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
  return new AppError('bad_request', `The ${type} event does not have the expected shape (${where})`);
}

/** A verified Stripe event as a PaymentEvent, or `ignored` for types we do not act on. */
export function mapStripeEvent(body: unknown): MappedStripeEvent {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) throw malformed(parsed.error, 'webhook');
  const { id, type, data } = parsed.data;
  if (type in PAYMENT_INTENT_TYPES) {
    const pi = paymentIntent.safeParse(data.object);
    if (!pi.success) throw malformed(pi.error, type);
    const normalised = PAYMENT_INTENT_TYPES[type as keyof typeof PAYMENT_INTENT_TYPES];
    const failureMessage = pi.data.last_payment_error?.message ?? undefined;
    return {
      kind: 'payment',
      stripeType: type,
      event: {
        id,
        provider: 'stripe',
        type: normalised,
        orderId: orderIdOf(pi.data.metadata),
        paymentId: pi.data.id,
        amountCents: normalised === 'payment.succeeded' ? pi.data.amount_received || pi.data.amount : pi.data.amount,
        currency: pi.data.currency.toUpperCase(),
        ...(normalised === 'payment.failed' && failureMessage ? { failureMessage } : {}),
      },
    };
  }
  if (type === 'charge.refunded') {
    const ch = charge.safeParse(data.object);
    if (!ch.success) throw malformed(ch.error, type);
    const intent = ch.data.payment_intent;
    const paymentId = typeof intent === 'string' ? intent : intent?.id;
    // A charge made without a payment intent was not made by this shop.
    if (!paymentId) return { kind: 'ignored', id, stripeType: type };
    return {
      kind: 'payment',
      stripeType: type,
      event: {
        id,
        provider: 'stripe',
        type: 'charge.refunded',
        orderId: orderIdOf(ch.data.metadata),
        paymentId,
        amountCents: ch.data.amount_refunded,
        currency: ch.data.currency.toUpperCase(),
      },
    };
  }
  return { kind: 'ignored', id, stripeType: type };
}

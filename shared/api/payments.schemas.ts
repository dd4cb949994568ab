import { z } from 'zod';

export const STRIPE_WEBHOOK_PATH = '/api/v1/payments/stripe/webhook';

/** The built-in test provider's cards (API.md): any other number is 422 `invalid_test_card`. */
export const TEST_CARDS = {
  '4242424242424242': 'succeeded',
  '4000000000000002': 'failed',
} as const satisfies Record<string, 'succeeded' | 'failed'>;

/** What a declined test card tells the shopper (Stripe's own wording). */
export const TEST_DECLINE_MESSAGE = 'Your card was declined.';

export const testConfirmBody = z.strictObject({
  orderId: z.uuid({ message: 'must be an order id' }),
  card: z
    .string({ message: 'must be a card number' })
    .min(1, { message: 'must be a card number' })
    .max(64, { message: 'must be at most 64 characters' }),
});
export type TestConfirm = z.infer<typeof testConfirmBody>;

export const testConfirmResponse = z.object({
  orderId: z.uuid(),
  paymentId: z.string(),
  status: z.enum(['succeeded', 'failed']),
  /** Shown to the shopper when the card was declined. */
  failureMessage: z.string().optional(),
});
export type TestConfirmResult = z.infer<typeof testConfirmResponse>;

export const webhookResponse = z.object({
  received: z.literal(true),
  /** An event type the server does not act on. */
  ignored: z.boolean().optional(),
  /** The event id had been handled before: nothing was done again. */
  duplicate: z.boolean().optional(),
});

import {
  STRIPE_WEBHOOK_PATH,
  testConfirmBody,
  testConfirmResponse,
  webhookResponse,
} from '../../../shared/api/payments.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { StripeProvider } from './stripe.provider.js';
import { mapStripeEvent, verifyStripeEvent } from './stripe.webhook.js';
import { TestProvider } from './test.provider.js';

const PREFIX = '/api/v1/payments';

/**
 * Payments routes. The Stripe webhook exists when Stripe is the provider, the test confirmation
 * when the built-in test provider is. The webhook's raw body is kept by `express.raw` mounted
 * ahead of the JSON parser in app.ts (STRIPE_WEBHOOK_PATH).
 */
export function paymentRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Payments'];
  const router = new ApiRouter(PREFIX);
  const provider = ctx.payments.provider;

  if (provider instanceof StripeProvider) {
    router.add({
      method: 'post',
      path: STRIPE_WEBHOOK_PATH.slice(PREFIX.length),
      summary: 'Stripe webhook',
      description:
        'Stripe events, verified with the `Stripe-Signature` header over the raw body (400 `invalid_signature` ' +
        'otherwise, and nothing is recorded). `payment_intent.succeeded`, `payment_intent.payment_failed`, ' +
        '`payment_intent.canceled` and `charge.refunded` go to the order; each event id is handled once ' +
        '(a repeat answers `duplicate: true`). Other types answer `ignored: true`. A 500 asks Stripe to retry.',
      tags,
      access: 'public',
      response: webhookResponse,
      errors: [400, 500, 503],
      handler: async ({ req }) => {
        const secret = ctx.config.STRIPE_WEBHOOK_SECRET;
        if (!secret) {
          req.log.error('STRIPE_WEBHOOK_SECRET is not set: Stripe webhooks cannot be verified');
          throw new AppError('service_unavailable', 'Webhooks are not configured on this server');
        }
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const mapped = mapStripeEvent(verifyStripeEvent(raw, req.get('stripe-signature'), secret));
        if (mapped.kind === 'ignored') {
          const first = await ctx.payments.events.recordIgnored({
            id: mapped.id,
            provider: 'stripe',
            type: mapped.stripeType,
          });
          return { received: true as const, ignored: true, ...(first ? {} : { duplicate: true }) };
        }
        const result = await ctx.payments.handleEvent(mapped.event, { providerType: mapped.stripeType });
        return { received: true as const, ...(result.duplicate ? { duplicate: true } : {}) };
      },
    });
  }

  if (provider instanceof TestProvider) {
    router.add({
      method: 'post',
      path: '/test/confirm',
      summary: 'Pay a pending order with a test card (built-in test provider only)',
      description:
        '`4242424242424242` succeeds, `4000000000000002` is declined ("Your card was declined."), any other ' +
        'card is 422 `invalid_test_card`. The outcome travels the same event path as a Stripe webhook. ' +
        '404 for an unknown order, 409 `order_not_payable` when the order is not waiting for a test payment. ' +
        'The route exists only when no Stripe key is configured.',
      tags,
      access: 'public',
      body: testConfirmBody,
      response: testConfirmResponse,
      errors: [404, 409],
      handler: ({ body }) => provider.confirm(body.orderId, body.card),
    });
  }
  return router;
}

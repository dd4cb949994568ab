import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { createLogger } from '../../logger.js';
import {
  FAKE_PUBLISHABLE_KEY,
  FAKE_SECRET_KEY,
  startFakeStripe,
  stripeFixture,
  type FakeStripe,
} from './payments.testkit.js';
import { StripeProvider } from './stripe.provider.js';

let fake: FakeStripe;
let provider: StripeProvider;

const logger = createLogger('silent');
const makeProvider = (extra: { timeoutMs?: number; publishableKey?: string } = {}) =>
  new StripeProvider({
    secretKey: FAKE_SECRET_KEY,
    publishableKey: FAKE_PUBLISHABLE_KEY,
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    logger,
    ...extra,
  });

const payment = {
  orderId: '0190a4c8-0000-7000-8000-000000000001',
  orderNumber: 'NX-1001',
  amountCents: 4599,
  currency: 'EUR',
  email: 'shopper@example.com',
  idempotencyKey: 'checkout-key-1',
};

beforeAll(async () => {
  fake = await startFakeStripe();
  provider = makeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.replies.length = 0;
});

async function providerError(run: () => Promise<unknown>): Promise<AppError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('StripeProvider.createPayment (real SDK against a fake Stripe)', () => {
  it('sends a PaymentIntent create with amount, lower-case currency, metadata and the idempotency key', async () => {
    const created = await provider.createPayment(payment);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/payment_intents');
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(`Bearer ${FAKE_SECRET_KEY}`);
    expect(req.headers['idempotency-key']).toBe('checkout-key-1');
    expect(req.form).toEqual({
      amount: '4599',
      currency: 'eur',
      receipt_email: 'shopper@example.com',
      'metadata[orderId]': payment.orderId,
      'metadata[orderNumber]': 'NX-1001',
      'automatic_payment_methods[enabled]': 'true',
    });
    expect(created).toEqual({
      provider: 'stripe',
      paymentId: expect.stringMatching(/^pi_fake\d+$/),
      clientSecret: expect.stringMatching(/^pi_fake\d+_secret_/),
      publishableKey: FAKE_PUBLISHABLE_KEY,
    });
  });

  it('answers the fixture PaymentIntent as Stripe sends it and leaves out an unset publishable key', async () => {
    fake.replies.push({ status: 200, body: stripeFixture('payment_intent') });
    const created = await makeProvider({ publishableKey: '' }).createPayment(payment);
    expect(created).toEqual({
      provider: 'stripe',
      paymentId: 'pi_1PgafyB7WZ01zgkWSjxsAJo3',
      clientSecret: 'pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM',
    });
  });

  it('turns a Stripe error into 502 payment_provider_error without the key in the message', async () => {
    fake.replies.push({
      status: 401,
      body: {
        error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${FAKE_SECRET_KEY}` },
      },
    });
    const err = await providerError(() => provider.createPayment(payment));
    expect(err.code).toBe('payment_provider_error');
    expect(err.status).toBe(502);
    expect(err.message).toContain('StripeAuthenticationError');
    expect(err.message).not.toContain(FAKE_SECRET_KEY);
    expect(err.message).not.toContain('sk_test');
  });

  it('answers 502 when the PaymentIntent comes back without a client secret', async () => {
    fake.replies.push({
      status: 200,
      body: { id: 'pi_x', object: 'payment_intent', client_secret: null },
    });
    const err = await providerError(() => provider.createPayment(payment));
    expect(err.code).toBe('payment_provider_error');
  });

  it('gives up after its timeout when Stripe does not answer', async () => {
    fake.replies.push({ status: 200, body: {}, hang: true });
    const started = Date.now();
    const err = await providerError(() => makeProvider({ timeoutMs: 300 }).createPayment(payment));
    expect(err.code).toBe('payment_provider_error');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('StripeProvider.refund', () => {
  it('sends a refund for the payment intent with amount, reason, metadata and the idempotency key', async () => {
    const refund = await provider.refund({
      paymentId: 'pi_123',
      amountCents: 1500,
      idempotencyKey: 'refund-key-1',
      reason: 'requested_by_customer',
    });
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/refunds');
    expect(req.headers['idempotency-key']).toBe('refund-key-1');
    expect(req.headers.authorization).toBe(`Bearer ${FAKE_SECRET_KEY}`);
    expect(req.form).toEqual({
      payment_intent: 'pi_123',
      amount: '1500',
      reason: 'requested_by_customer',
      'metadata[reason]': 'requested_by_customer',
    });
    expect(refund).toEqual({ refundId: expect.stringMatching(/^re_fake\d+$/), status: 'succeeded' });
  });

  it("keeps a reason that is not one of Stripe's codes in the metadata only", async () => {
    await provider.refund({ paymentId: 'pi_123', amountCents: 100, idempotencyKey: 'k2', reason: 'order expired' });
    expect(fake.requests[0]!.form).toEqual({
      payment_intent: 'pi_123',
      amount: '100',
      'metadata[reason]': 'order expired',
    });
  });

  it('maps the fixture refund and a pending refund', async () => {
    fake.replies.push({ status: 200, body: stripeFixture('refund') });
    fake.replies.push({ status: 200, body: { ...stripeFixture('refund'), id: 're_pending', status: 'pending' } });
    expect(await provider.refund({ paymentId: 'pi_1', amountCents: 100, idempotencyKey: 'k3' })).toEqual({
      refundId: 're_1Pgc72B7WZ01zgkWqPvrRrPE',
      status: 'succeeded',
    });
    expect(await provider.refund({ paymentId: 'pi_1', amountCents: 100, idempotencyKey: 'k4' })).toEqual({
      refundId: 're_pending',
      status: 'pending',
    });
  });

  it('turns a refused refund into 502 payment_provider_error naming the code', async () => {
    fake.replies.push({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'charge_already_refunded',
          message: 'Charge ch_1 has already been refunded.',
        },
      },
    });
    const err = await providerError(() =>
      provider.refund({ paymentId: 'pi_1', amountCents: 100, idempotencyKey: 'k5' }),
    );
    expect(err.code).toBe('payment_provider_error');
    expect(err.message).toContain('charge_already_refunded');
  });
});

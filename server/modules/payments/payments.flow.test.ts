/**
 * End to end through the real orders handler: checkout creates the payment at the provider, and
 * the provider's news (test card, or a signed Stripe webhook) moves the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../shared/api/payments.schemas.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { paymentIntent, signPayload, startFakeStripe, stripeEvent, type FakeStripe } from './payments.testkit.js';

const address = {
  name: 'Ada Lovelace',
  line1: '1 Analytical Way',
  city: 'London',
  postalCode: 'N1 1AA',
  country: 'US',
};
let keys = 0;

async function checkout(app: TestApp) {
  const kit = await cartKit(app);
  const product = await kit.product({ stock: [5], price: 2000 });
  const guest = await kit.newGuestCart();
  await kit.add(guest.headers, product.variants[0]!, 2).expect(200);
  const res = await app.request
    .post('/api/v1/checkout')
    .set(guest.headers)
    .set('Idempotency-Key', `flow-${Date.now()}-${++keys}`)
    .send({ email: 'flow@example.com', shippingAddress: address });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as {
    order: { id: string; status: string; totalCents: number; accessToken: string };
    payment: { provider: string; clientSecret: string; publishableKey?: string };
  };
}

const orderStatus = async (app: TestApp, id: string, token: string) => {
  const res = await app.request.get(`/api/v1/orders/${id}`).query({ token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { status: string; payment: { provider: string; status: string } };
};

describe('test provider, end to end', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('a shopper checks out and pays with 4242…: the order is paid', async () => {
    const { order, payment } = await checkout(app);
    expect(payment.provider).toBe('test');
    expect(order.status).toBe('pending_payment');
    const res = await app.request
      .post('/api/v1/payments/test/confirm')
      .send({ orderId: order.id, card: '4242424242424242' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await orderStatus(app, order.id, order.accessToken)).status).toBe('paid');
    // Paid now: a second confirmation is refused.
    const again = await app.request
      .post('/api/v1/payments/test/confirm')
      .send({ orderId: order.id, card: '4242424242424242' });
    expect(again.status).toBe(409);
  });

  it('a declined card leaves the order unpaid', async () => {
    const { order } = await checkout(app);
    const res = await app.request
      .post('/api/v1/payments/test/confirm')
      .send({ orderId: order.id, card: '4000000000000002' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect((await orderStatus(app, order.id, order.accessToken)).status).not.toBe('paid');
  });
});

describe('Stripe, end to end against the fake Stripe', () => {
  let app: TestApp;
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
    app = await createTestApp({ env: fake.env });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('checkout creates a PaymentIntent; its signed succeeded webhook pays the order, once', async () => {
    const { order, payment } = await checkout(app);
    expect(payment.provider).toBe('stripe');
    expect(payment.publishableKey).toBe(fake.env.STRIPE_PUBLISHABLE_KEY);
    const created = fake.requests.find((r) => r.path === '/v1/payment_intents');
    expect(created?.form).toMatchObject({
      amount: String(order.totalCents),
      currency: 'usd',
      'metadata[orderId]': order.id,
    });
    const piId = payment.clientSecret.split('_secret_')[0]!;

    const body = JSON.stringify(
      stripeEvent('payment_intent.succeeded', paymentIntent({ id: piId, amount: order.totalCents, orderId: order.id })),
    );
    const deliveries = await Promise.all(
      [1, 2, 3].map(() =>
        app.request
          .post(STRIPE_WEBHOOK_PATH)
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', signPayload(body))
          .send(body),
      ),
    );
    for (const d of deliveries) expect(d.status).toBe(200);
    expect(deliveries.filter((d) => d.body.duplicate !== true)).toHaveLength(1);
    expect((await orderStatus(app, order.id, order.accessToken)).status).toBe('paid');
  });

  it('a webhook for an order id nobody knows is answered 2xx', async () => {
    const body = JSON.stringify(
      stripeEvent(
        'payment_intent.succeeded',
        paymentIntent({ id: 'pi_nobody', amount: 100, orderId: '0190a4c8-0000-7000-8000-00000000beef' }),
      ),
    );
    const res = await app.request
      .post(STRIPE_WEBHOOK_PATH)
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signPayload(body))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
  });
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { orders, testPayments, type OrderStatus } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { FAKE_SECRET_KEY, recordingHandler, type RecordingHandler } from './payments.testkit.js';
import { TestProvider } from './test.provider.js';

const CONFIRM = '/api/v1/payments/test/confirm';
const GOOD = '4242424242424242';
const DECLINED = '4000000000000002';

let app: TestApp;
let recorder: RecordingHandler;
let provider: TestProvider;
let seq = 0;

beforeAll(async () => {
  app = await createTestApp();
  recorder = await recordingHandler(app.nexus.ctx.db);
  app.nexus.ctx.payments.setHandler(recorder.handler);
  provider = app.nexus.ctx.payments.provider as TestProvider;
});
afterAll(() => app?.close());
beforeEach(() => {
  recorder.seen.length = 0;
  recorder.failNext = 0;
  recorder.answer = () => ({ outcome: 'applied' });
});

/** An order as checkout leaves it: pending, with a test payment created for it. */
async function pendingOrder(options: { status?: OrderStatus; provider?: string; totalCents?: number } = {}) {
  const db = app.nexus.ctx.db;
  const id = newId();
  const number = `T-${Date.now()}-${++seq}`;
  const totalCents = options.totalCents ?? 5000;
  await db.insert(orders).values({
    id,
    number,
    email: 'shopper@example.com',
    status: options.status ?? 'pending_payment',
    currency: 'USD',
    subtotalCents: totalCents,
    totalCents,
    shippingAddress: { name: 'A Shopper', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    paymentProvider: options.provider ?? 'test',
  });
  const payment = await provider.createPayment({
    orderId: id,
    orderNumber: number,
    amountCents: totalCents,
    currency: 'usd',
    email: 'shopper@example.com',
    idempotencyKey: `checkout-${id}`,
  });
  await db.update(orders).set({ paymentIntentId: payment.paymentId }).where(eq(orders.id, id));
  return { id, number, payment };
}

async function paymentStatus(paymentId: string) {
  const [row] = await app.nexus.ctx.db.select().from(testPayments).where(eq(testPayments.id, paymentId));
  return row?.status;
}

async function eventCount(orderId: string) {
  const [row] = await queryRows<{ n: number }>(
    app.nexus.ctx.db,
    sql`select count(*)::int as n from payment_events where order_id = ${orderId}`,
  );
  return row!.n;
}

async function providerError(run: () => Promise<unknown>): Promise<AppError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('test provider: createPayment', () => {
  it('is the provider when no Stripe key is set, and stores the payment in the database', async () => {
    expect(provider).toBeInstanceOf(TestProvider);
    const { id, payment } = await pendingOrder({ totalCents: 1234 });
    expect(payment).toEqual({
      provider: 'test',
      paymentId: expect.stringMatching(/^testpay_[0-9a-f]{32}$/),
      clientSecret: expect.stringMatching(/^testpay_[0-9a-f]{32}_secret_[0-9a-f]{32}$/),
    });
    const [row] = await app.nexus.ctx.db.select().from(testPayments).where(eq(testPayments.id, payment.paymentId));
    expect(row).toMatchObject({ orderId: id, amountCents: 1234, currency: 'USD', status: 'requires_confirmation' });
  });

  it('answers the same payment for the same idempotency key, and refuses the key for a different payment', async () => {
    const input = {
      orderId: newId(),
      orderNumber: 'T-IDEM',
      amountCents: 700,
      currency: 'USD',
      email: 'a@example.com',
      idempotencyKey: `key-${newId()}`,
    };
    const first = await provider.createPayment(input);
    expect(await provider.createPayment(input)).toEqual(first);
    const err = await providerError(() => provider.createPayment({ ...input, amountCents: 701 }));
    expect(err.code).toBe('payment_provider_error');
  });
});

describe('POST /payments/test/confirm', () => {
  it('4242… succeeds: the order handler gets payment.succeeded through the event path', async () => {
    const { id, payment } = await pendingOrder({ totalCents: 5000 });
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: GOOD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orderId: id, paymentId: payment.paymentId, status: 'succeeded' });
    expect(recorder.seen).toEqual([
      {
        id: `evt_${payment.paymentId}_succeeded`,
        provider: 'test',
        type: 'payment.succeeded',
        orderId: id,
        paymentId: payment.paymentId,
        amountCents: 5000,
        currency: 'USD',
      },
    ]);
    expect(await recorder.appliedCount(`evt_${payment.paymentId}_succeeded`)).toBe(1);
    expect(await paymentStatus(payment.paymentId)).toBe('succeeded');
    expect(await eventCount(id)).toBe(1);
  });

  it('accepts the card number with spaces', async () => {
    const { id } = await pendingOrder();
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: '4242 4242 4242 4242' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('succeeded');
  });

  it('4000…0002 is declined: payment.failed with the shopper-facing reason', async () => {
    const { id, payment } = await pendingOrder();
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: DECLINED });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orderId: id,
      paymentId: payment.paymentId,
      status: 'failed',
      failureMessage: 'Your card was declined.',
    });
    expect(recorder.seen).toMatchObject([
      { type: 'payment.failed', orderId: id, failureMessage: 'Your card was declined.', amountCents: 5000 },
    ]);
    expect(await paymentStatus(payment.paymentId)).toBe('failed');
  });

  it('a declined payment can be retried with a good card while the order is still pending', async () => {
    const { id, payment } = await pendingOrder();
    await app.request.post(CONFIRM).send({ orderId: id, card: DECLINED }).expect(200);
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: GOOD });
    expect(res.status).toBe(200);
    expect(recorder.seen.map((e) => e.type)).toEqual(['payment.failed', 'payment.succeeded']);
    expect(await paymentStatus(payment.paymentId)).toBe('succeeded');
  });

  it('any other card is 422 invalid_test_card and changes nothing', async () => {
    const { id, payment } = await pendingOrder();
    for (const card of ['4111111111111111', 'abc', '42424242424242421']) {
      const res = await app.request.post(CONFIRM).send({ orderId: id, card });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_test_card');
    }
    expect(recorder.seen).toHaveLength(0);
    expect(await eventCount(id)).toBe(0);
    expect(await paymentStatus(payment.paymentId)).toBe('requires_confirmation');
  });

  it('an unknown order is 404', async () => {
    const res = await app.request.post(CONFIRM).send({ orderId: newId(), card: GOOD });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(recorder.seen).toHaveLength(0);
  });

  it('an order that is not pending is 409 order_not_payable', async () => {
    const { id } = await pendingOrder({ status: 'paid' });
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: GOOD });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('order_not_payable');
    expect(recorder.seen).toHaveLength(0);
    expect(await eventCount(id)).toBe(0);
  });

  it('an order paid through another provider, or without a test payment, is 409', async () => {
    const { id: stripeOrder } = await pendingOrder({ provider: 'stripe' });
    expect((await app.request.post(CONFIRM).send({ orderId: stripeOrder, card: GOOD })).status).toBe(409);
    const bare = newId();
    await app.nexus.ctx.db.insert(orders).values({
      id: bare,
      number: `T-BARE-${++seq}`,
      email: 'x@example.com',
      subtotalCents: 100,
      totalCents: 100,
      shippingAddress: { name: 'X', line1: '1', city: 'C', postalCode: '1', country: 'US' },
      paymentProvider: 'test',
    });
    const res = await app.request.post(CONFIRM).send({ orderId: bare, card: GOOD });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('order_not_payable');
    expect(recorder.seen).toHaveLength(0);
  });

  it('confirming an order whose payment already succeeded is 409 and applies nothing again', async () => {
    const { id } = await pendingOrder();
    await app.request.post(CONFIRM).send({ orderId: id, card: GOOD }).expect(200);
    const again = await app.request.post(CONFIRM).send({ orderId: id, card: GOOD });
    expect(again.status).toBe(409);
    expect(recorder.seen).toHaveLength(1);
  });

  it('two confirmations at once are applied once', async () => {
    const { id, payment } = await pendingOrder();
    const results = await Promise.all([1, 2, 3].map(() => app.request.post(CONFIRM).send({ orderId: id, card: GOOD })));
    for (const res of results) expect([200, 409]).toContain(res.status);
    expect(await recorder.appliedCount(`evt_${payment.paymentId}_succeeded`)).toBe(1);
  });

  it('a handler that throws is a 500, the payment stays unconfirmed, and a retry is applied', async () => {
    const { id, payment } = await pendingOrder();
    recorder.failNext = 1;
    expect((await app.request.post(CONFIRM).send({ orderId: id, card: GOOD })).status).toBe(500);
    expect(await paymentStatus(payment.paymentId)).toBe('requires_confirmation');
    expect(await eventCount(id)).toBe(0);
    expect((await app.request.post(CONFIRM).send({ orderId: id, card: GOOD })).status).toBe(200);
    expect(await recorder.appliedCount(`evt_${payment.paymentId}_succeeded`)).toBe(1);
  });

  it('validates the body: missing, extra and mistyped fields are 422, bad JSON is 400', async () => {
    const { id } = await pendingOrder();
    const cases: [unknown, string[]][] = [
      [{}, ['body.orderId', 'body.card']],
      [{ orderId: id }, ['body.card']],
      [{ orderId: 'not-a-uuid', card: GOOD }, ['body.orderId']],
      [{ orderId: id, card: 4242424242424242 }, ['body.card']],
      [{ orderId: id, card: GOOD, amountCents: 1 }, ['body.amountCents']],
      [{ orderId: id, card: 'x'.repeat(65) }, ['body.card']],
    ];
    for (const [body, paths] of cases) {
      const res = await app.request.post(CONFIRM).send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
    }
    const bad = await app.request.post(CONFIRM).set('Content-Type', 'application/json').send('{"orderId": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_json');
    const text = await app.request.post(CONFIRM).set('Content-Type', 'text/plain').send(`orderId=${id}`);
    expect(text.status).toBe(415);
    expect(recorder.seen).toHaveLength(0);
    expect(await eventCount(id)).toBe(0);
  });

  it('works from another instance: the payment lives in the database', async () => {
    const { id } = await pendingOrder();
    const other = await createTestApp({ database: app.database });
    try {
      other.nexus.ctx.payments.setHandler(recorder.handler);
      const res = await other.request.post(CONFIRM).send({ orderId: id, card: GOOD });
      expect(res.status).toBe(200);
      expect(recorder.seen).toHaveLength(1);
    } finally {
      await other.close({ keepDatabase: true });
    }
  });

  it('does not exist when Stripe is configured (404)', async () => {
    const { id } = await pendingOrder();
    const other = await createTestApp({ database: app.database, env: { STRIPE_SECRET_KEY: FAKE_SECRET_KEY } });
    try {
      const res = await other.request.post(CONFIRM).send({ orderId: id, card: GOOD });
      expect(res.status).toBe(404);
      expect(recorder.seen).toHaveLength(0);
    } finally {
      await other.close({ keepDatabase: true });
    }
  });
});

describe('test provider: refunds', () => {
  async function paidOrder(totalCents = 5000) {
    const order = await pendingOrder({ totalCents });
    await app.request.post(CONFIRM).send({ orderId: order.id, card: GOOD }).expect(200);
    recorder.seen.length = 0;
    return order;
  }

  it('succeed at once and report charge.refunded with the total refunded through the event path', async () => {
    const { id, payment } = await paidOrder(5000);
    const first = await provider.refund({ paymentId: payment.paymentId, amountCents: 500, idempotencyKey: `r1-${id}` });
    expect(first).toEqual({ refundId: expect.stringMatching(/^testre_/), status: 'succeeded' });
    const second = await provider.refund({
      paymentId: payment.paymentId,
      amountCents: 300,
      idempotencyKey: `r2-${id}`,
      reason: 'damaged',
    });
    expect(recorder.seen).toEqual([
      {
        id: `evt_${first.refundId}`,
        provider: 'test',
        type: 'charge.refunded',
        orderId: id,
        paymentId: payment.paymentId,
        amountCents: 500,
        currency: 'USD',
      },
      {
        id: `evt_${second.refundId}`,
        provider: 'test',
        type: 'charge.refunded',
        orderId: id,
        paymentId: payment.paymentId,
        amountCents: 800,
        currency: 'USD',
      },
    ]);
    expect(await recorder.appliedCount(`evt_${second.refundId}`)).toBe(1);
  });

  it('the same idempotency key twice is one refund, applied once', async () => {
    const { id, payment } = await paidOrder(5000);
    const input = { paymentId: payment.paymentId, amountCents: 1000, idempotencyKey: `same-${id}` };
    const [a, b] = await Promise.all([provider.refund(input), provider.refund(input)]);
    expect(a.refundId).toBe(b.refundId);
    const again = await provider.refund(input);
    expect(again.refundId).toBe(a.refundId);
    expect(await recorder.appliedCount(`evt_${a.refundId}`)).toBe(1);
    const [sum] = await queryRows<{ cents: number }>(
      app.nexus.ctx.db,
      sql`select coalesce(sum(amount_cents), 0)::int as cents from test_refunds where payment_id = ${payment.paymentId}`,
    );
    expect(sum!.cents).toBe(1000);
    const reused = await providerError(() => provider.refund({ ...input, amountCents: 999 }));
    expect(reused.code).toBe('payment_provider_error');
  });

  it('refuses more than was paid, a payment that has not succeeded, an unknown payment and a non-positive amount', async () => {
    const { id, payment } = await paidOrder(1000);
    await provider.refund({ paymentId: payment.paymentId, amountCents: 600, idempotencyKey: `ok-${id}` });
    const over = await providerError(() =>
      provider.refund({ paymentId: payment.paymentId, amountCents: 401, idempotencyKey: `over-${id}` }),
    );
    expect(over.message).toContain('larger than');
    const unpaid = await pendingOrder();
    const notPaid = await providerError(() =>
      provider.refund({ paymentId: unpaid.payment.paymentId, amountCents: 1, idempotencyKey: `np-${unpaid.id}` }),
    );
    expect(notPaid.message).toContain('not succeeded');
    const unknown = await providerError(() =>
      provider.refund({ paymentId: 'testpay_nope', amountCents: 1, idempotencyKey: `unk-${id}` }),
    );
    expect(unknown.message).toContain('No such');
    const zero = await providerError(() =>
      provider.refund({ paymentId: payment.paymentId, amountCents: 0, idempotencyKey: `zero-${id}` }),
    );
    expect(zero.code).toBe('payment_provider_error');
    expect(recorder.seen).toHaveLength(1);
  });

  it('a refund the handler asks for is issued after commit and its charge.refunded comes back through the path', async () => {
    const { id, payment } = await pendingOrder({ totalCents: 2500 });
    recorder.answer = (e) =>
      e.type === 'payment.succeeded'
        ? {
            outcome: 'applied',
            refund: {
              paymentId: e.paymentId,
              amountCents: 2500,
              reason: 'order expired',
              idempotencyKey: `auto-${e.id}`,
            },
          }
        : { outcome: 'applied' };
    const res = await app.request.post(CONFIRM).send({ orderId: id, card: GOOD });
    expect(res.status).toBe(200);
    expect(recorder.seen.map((e) => [e.type, e.amountCents])).toEqual([
      ['payment.succeeded', 2500],
      ['charge.refunded', 2500],
    ]);
    const [event] = await queryRows<{ refund_status: string; refund_id: string }>(
      app.nexus.ctx.db,
      sql`select refund_status, refund_id from payment_events where id = ${`evt_${payment.paymentId}_succeeded`}`,
    );
    expect(event).toEqual({ refund_status: 'succeeded', refund_id: expect.stringMatching(/^testre_/) });
  });
});

import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../shared/api/payments.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import {
  paymentIntent,
  recordingHandler,
  refundedCharge,
  signPayload,
  startFakeStripe,
  stripeEvent,
  stripeFixture,
  type FakeStripe,
  type RecordingHandler,
} from './payments.testkit.js';
import { StripeProvider } from './stripe.provider.js';

let fake: FakeStripe;
let app: TestApp;
let recorder: RecordingHandler;
const logLines: string[] = [];

const ORDER_ID = '0190a4c8-0000-7000-8000-0000000000aa';

beforeAll(async () => {
  fake = await startFakeStripe();
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  app = await createTestApp({ env: fake.env, logger });
  recorder = await recordingHandler(app.nexus.ctx.db);
  app.nexus.ctx.payments.setHandler(recorder.handler);
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});
beforeEach(() => {
  recorder.seen.length = 0;
  recorder.failNext = 0;
  recorder.answer = () => ({ outcome: 'applied' });
  fake.requests.length = 0;
  fake.replies.length = 0;
  fake.onRequest = undefined;
  logLines.length = 0;
});

type Json = Record<string, unknown>;

/** `signature: null` sends no Stripe-Signature header. */
function deliver(body: string, signature: string | null = signPayload(body)) {
  const req = app.request.post(STRIPE_WEBHOOK_PATH).set('Content-Type', 'application/json; charset=utf-8');
  if (signature !== null) req.set('Stripe-Signature', signature);
  return req.send(body);
}

const deliverEvent = (event: Json) => deliver(JSON.stringify(event));

let n = 0;
const piId = () => `pi_webhook_${++n}`;

async function eventRow(id: string) {
  const rows = await queryRows<{
    id: string;
    provider: string;
    type: string;
    order_id: string | null;
    payment_id: string | null;
    outcome: string;
    refund_status: string | null;
    refund_id: string | null;
    refund_error: string | null;
  }>(app.nexus.ctx.db, sql`select * from payment_events where id = ${id}`);
  return rows[0];
}

describe('Stripe webhook: verified events reach the orders handler', () => {
  it('uses the Stripe provider when STRIPE_SECRET_KEY is set', () => {
    expect(app.nexus.ctx.payments.provider).toBeInstanceOf(StripeProvider);
    expect(app.nexus.ctx.payments.provider.name).toBe('stripe');
  });

  it('payment_intent.succeeded: handler called once with the normalised event, event recorded', async () => {
    const pi = piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 4599, orderId: ORDER_ID }));
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(recorder.seen).toEqual([
      {
        id: event.id,
        provider: 'stripe',
        type: 'payment.succeeded',
        orderId: ORDER_ID,
        paymentId: pi,
        amountCents: 4599,
        currency: 'USD',
      },
    ]);
    expect(await recorder.appliedCount(event.id as string)).toBe(1);
    expect(await eventRow(event.id as string)).toMatchObject({
      provider: 'stripe',
      type: 'payment_intent.succeeded',
      order_id: ORDER_ID,
      payment_id: pi,
      outcome: 'applied',
      refund_status: null,
    });
  });

  it('payment_intent.payment_failed carries the reason to show the shopper', async () => {
    const pi = piId();
    const event = stripeEvent(
      'payment_intent.payment_failed',
      paymentIntent({
        id: pi,
        amount: 1200,
        amount_received: 0,
        status: 'requires_payment_method',
        orderId: ORDER_ID,
        last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
      }),
    );
    expect((await deliverEvent(event)).status).toBe(200);
    expect(recorder.seen).toEqual([
      {
        id: event.id,
        provider: 'stripe',
        type: 'payment.failed',
        orderId: ORDER_ID,
        paymentId: pi,
        amountCents: 1200,
        currency: 'USD',
        failureMessage: 'Your card was declined.',
      },
    ]);
  });

  it('payment_intent.canceled maps to payment.canceled', async () => {
    const pi = piId();
    const event = stripeEvent(
      'payment_intent.canceled',
      paymentIntent({
        id: pi,
        amount: 800,
        amount_received: 0,
        status: 'canceled',
        currency: 'eur',
        orderId: ORDER_ID,
      }),
    );
    expect((await deliverEvent(event)).status).toBe(200);
    expect(recorder.seen).toMatchObject([
      { type: 'payment.canceled', paymentId: pi, amountCents: 800, currency: 'EUR' },
    ]);
  });

  it('charge.refunded reports the total refunded, with the payment intent as id or expanded', async () => {
    const pi = piId();
    const first = stripeEvent(
      'charge.refunded',
      refundedCharge({ paymentIntent: pi, amountRefunded: 300, amount: 1000, orderId: ORDER_ID }),
    );
    const second = stripeEvent(
      'charge.refunded',
      refundedCharge({ paymentIntent: pi, amountRefunded: 1000, amount: 1000, orderId: ORDER_ID }),
    );
    (second.data as { object: Json }).object.payment_intent = { ...paymentIntent({ id: pi, amount: 1000 }) };
    expect((await deliverEvent(first)).status).toBe(200);
    expect((await deliverEvent(second)).status).toBe(200);
    expect(recorder.seen).toEqual([
      {
        id: first.id,
        provider: 'stripe',
        type: 'charge.refunded',
        orderId: ORDER_ID,
        paymentId: pi,
        amountCents: 300,
        currency: 'USD',
      },
      {
        id: second.id,
        provider: 'stripe',
        type: 'charge.refunded',
        orderId: ORDER_ID,
        paymentId: pi,
        amountCents: 1000,
        currency: 'USD',
      },
    ]);
  });

  it('an event without an order id in its metadata still reaches the handler, with orderId undefined', async () => {
    const pi = piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 100 }));
    expect((await deliverEvent(event)).status).toBe(200);
    expect(recorder.seen).toHaveLength(1);
    expect(recorder.seen[0]!.orderId).toBeUndefined();
  });
});

describe('Stripe webhook: bad input changes nothing', () => {
  const validEvent = () =>
    stripeEvent('payment_intent.succeeded', paymentIntent({ id: piId(), amount: 4599, orderId: ORDER_ID }));

  async function expectRejected(res: { status: number; body: Json }, id: unknown, code: string) {
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(recorder.seen).toHaveLength(0);
    expect(await eventRow(id as string)).toBeUndefined();
  }

  it('a missing Stripe-Signature header is 400 invalid_signature', async () => {
    const event = validEvent();
    await expectRejected(await deliver(JSON.stringify(event), null), event.id, 'invalid_signature');
  });

  it('a garbage signature is 400 invalid_signature', async () => {
    const event = validEvent();
    await expectRejected(await deliver(JSON.stringify(event), 't=123,v1=abc'), event.id, 'invalid_signature');
  });

  it('a body changed after signing is 400 invalid_signature', async () => {
    const event = validEvent();
    const signed = JSON.stringify(event);
    const tampered = signed.replace('"amount":4599', '"amount":1');
    expect(tampered).not.toBe(signed);
    await expectRejected(await deliver(tampered, signPayload(signed)), event.id, 'invalid_signature');
  });

  it('re-serialised JSON (same object, other bytes) fails: the raw body is what is verified', async () => {
    const event = validEvent();
    const signed = JSON.stringify(event, null, 2);
    await expectRejected(await deliver(JSON.stringify(event), signPayload(signed)), event.id, 'invalid_signature');
  });

  it('a signature made with another secret is 400 invalid_signature', async () => {
    const event = validEvent();
    const body = JSON.stringify(event);
    await expectRejected(await deliver(body, signPayload(body, 'whsec_someone_else')), event.id, 'invalid_signature');
  });

  it('an empty body is 400: invalid_signature when signed for other bytes, invalid_json when signed as empty', async () => {
    const other = await app.request.post(STRIPE_WEBHOOK_PATH).set('Stripe-Signature', signPayload('{}'));
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('invalid_signature');
    const signedEmpty = await app.request.post(STRIPE_WEBHOOK_PATH).set('Stripe-Signature', signPayload(''));
    expect(signedEmpty.status).toBe(400);
    expect(signedEmpty.body.code).toBe('invalid_json');
    expect(recorder.seen).toHaveLength(0);
  });

  it('malformed JSON with a valid signature is 400 invalid_json', async () => {
    const body = '{"id": "evt_broken", "type": "payment_intent.succeeded", ';
    const res = await deliver(body);
    await expectRejected(res, 'evt_broken', 'invalid_json');
  });

  it('a signed event of a handled type without the fields we need is 400 and not recorded', async () => {
    const event = stripeEvent('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent', currency: 'usd' });
    const res = await deliverEvent(event);
    await expectRejected(res, event.id, 'bad_request');
    expect(res.body.detail).toContain('amount');
  });

  it('a signed body that is not an event is 400 bad_request', async () => {
    const res = await deliver(JSON.stringify({ hello: 'world' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('bad_request');
    expect(recorder.seen).toHaveLength(0);
  });
});

describe('Stripe webhook: replays, ignored types, unknown orders, failures', () => {
  it('the same event delivered 5 times concurrently is applied once, and every delivery is 2xx', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: piId(), amount: 2500, orderId: ORDER_ID }),
    );
    const body = JSON.stringify(event);
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(body)));
    for (const res of results) expect(res.status).toBe(200);
    expect(results.filter((r) => r.body.duplicate === true)).toHaveLength(4);
    expect(await recorder.appliedCount(event.id as string)).toBe(1);
    const [count] = await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select count(*)::int as n from payment_events where id = ${event.id as string}`,
    );
    expect(count!.n).toBe(1);
  });

  it('a later redelivery of an applied event does not call the handler', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: piId(), amount: 2500, orderId: ORDER_ID }),
    );
    expect((await deliverEvent(event)).body).toEqual({ received: true });
    const again = await deliverEvent(event);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(recorder.seen).toHaveLength(1);
  });

  it('event types we do not act on are answered 2xx, recorded as ignored, and never reach the handler', async () => {
    const event = stripeFixture('event'); // Stripe's own example: plan.created
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(recorder.seen).toHaveLength(0);
    expect(await eventRow(event.id as string)).toMatchObject({ type: 'plan.created', outcome: 'ignored' });
    const again = await deliverEvent(event);
    expect(again.body).toEqual({ received: true, ignored: true, duplicate: true });
  });

  it('a charge.refunded for a charge without a payment intent is ignored', async () => {
    const event = stripeEvent('charge.refunded', { ...stripeFixture('charge'), amount_refunded: 100 });
    const res = await deliverEvent(event);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(recorder.seen).toHaveLength(0);
  });

  it('an unknown order is answered 2xx, recorded as unknown_order and logged as a warning', async () => {
    recorder.answer = () => ({ outcome: 'unknown_order' });
    const unknownOrder = '0190a4c8-0000-7000-8000-00000000dead';
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: piId(), amount: 100, orderId: unknownOrder }),
    );
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    expect(await eventRow(event.id as string)).toMatchObject({ outcome: 'unknown_order', order_id: unknownOrder });
    const warning = logLines.map((l) => JSON.parse(l) as Json).find((l) => l.eventId === event.id);
    expect(warning).toMatchObject({ level: 40, orderId: unknownOrder, msg: 'payment event for an unknown order' });
  });

  it('a handler that throws is a 500 (Stripe retries), the event row rolls back, and the redelivery is applied', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: piId(), amount: 900, orderId: ORDER_ID }),
    );
    recorder.failNext = 1;
    const failed = await deliverEvent(event);
    expect(failed.status).toBe(500);
    expect(await eventRow(event.id as string)).toBeUndefined();
    expect(await recorder.appliedCount(event.id as string)).toBe(0);

    const retried = await deliverEvent(event);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ received: true });
    expect(recorder.seen).toHaveLength(2);
    expect(await recorder.appliedCount(event.id as string)).toBe(1);
    expect(await eventRow(event.id as string)).toMatchObject({ outcome: 'applied' });
  });
});

describe('Stripe webhook: refunds the handler asks for', () => {
  it('are issued through Stripe after the event commits, with the handler’s idempotency key', async () => {
    const pi = piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 3000, orderId: ORDER_ID }));
    const eventId = event.id as string;
    recorder.answer = (e) => ({
      outcome: 'applied',
      refund: { paymentId: e.paymentId, amountCents: 3000, reason: 'order expired', idempotencyKey: `refund-${e.id}` },
    });
    let seenAtRefund: unknown = 'not called';
    fake.onRequest = async () => {
      // Read while the SDK waits: the event must be committed by now (on PGlite an open
      // transaction would block this read; on Postgres it would not see the row).
      seenAtRefund = (await eventRow(eventId))?.outcome;
    };
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    expect(seenAtRefund).toBe('applied');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      path: '/v1/refunds',
      form: { payment_intent: pi, amount: '3000', 'metadata[reason]': 'order expired' },
    });
    expect(fake.requests[0]!.headers['idempotency-key']).toBe(`refund-${eventId}`);
    expect(await eventRow(eventId)).toMatchObject({
      refund_status: 'succeeded',
      refund_id: expect.stringMatching(/^re_/),
    });
  });

  it('a refund Stripe refuses is flagged on the event for staff and logged, and the webhook still answers 2xx', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: piId(), amount: 3000, orderId: ORDER_ID }),
    );
    recorder.answer = (e) => ({
      outcome: 'applied',
      refund: { paymentId: e.paymentId, amountCents: 3000, reason: 'order expired', idempotencyKey: `refund-${e.id}` },
    });
    fake.replies.push({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Already refunded' } },
    });
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    const row = await eventRow(event.id as string);
    expect(row).toMatchObject({ outcome: 'applied', refund_status: 'failed', refund_id: null });
    expect(row!.refund_error).toContain('charge_already_refunded');
    const logged = logLines.map((l) => JSON.parse(l) as Json).find((l) => l.eventId === event.id && l.level === 50);
    expect(logged).toMatchObject({ msg: 'automatic refund failed: flagged for staff' });
    expect(JSON.stringify(logged)).not.toContain('sk_test');
  });
});

describe('Stripe webhook: configuration', () => {
  it('without STRIPE_WEBHOOK_SECRET the webhook answers 503 and records nothing', async () => {
    const { STRIPE_WEBHOOK_SECRET: _omit, ...env } = fake.env;
    const other = await createTestApp({ env, database: app.database });
    try {
      const body = JSON.stringify(stripeEvent('payment_intent.succeeded', paymentIntent({ id: piId(), amount: 1 })));
      const res = await other.request
        .post(STRIPE_WEBHOOK_PATH)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signPayload(body))
        .send(body);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
    } finally {
      await other.close({ keepDatabase: true });
    }
  });

  it('with the test provider there is no Stripe webhook (404)', async () => {
    const other = await createTestApp({ database: app.database });
    try {
      const body = JSON.stringify(stripeEvent('payment_intent.succeeded', paymentIntent({ id: piId(), amount: 1 })));
      const res = await other.request
        .post(STRIPE_WEBHOOK_PATH)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signPayload(body))
        .send(body);
      expect(res.status).toBe(404);
    } finally {
      await other.close({ keepDatabase: true });
    }
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../shared/api/payments.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp } from '../../test/harness.js';
import { paymentIntent, refundedCharge, signPayload, stripeEvent, stripeFixture } from './payments.testkit.js';
import { StripeProvider } from './stripe.provider.js';
import { ORDER_ID, type Json, webhookHarness } from './stripe.webhook.testkit.js';

const w = webhookHarness();

describe('Stripe webhook: verified events reach the orders handler', () => {
  it('uses the Stripe provider when STRIPE_SECRET_KEY is set', () => {
    expect(w.app.nexus.ctx.payments.provider).toBeInstanceOf(StripeProvider);
    expect(w.app.nexus.ctx.payments.provider.name).toBe('stripe');
  });

  it('payment_intent.succeeded: handler called once with the normalised event, event recorded', async () => {
    const pi = w.piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 4599, orderId: ORDER_ID }));
    const res = await w.deliverEvent(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(w.recorder.seen).toEqual([
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
    expect(await w.recorder.appliedCount(event.id as string)).toBe(1);
    expect(await w.eventRow(event.id as string)).toMatchObject({
      provider: 'stripe',
      type: 'payment_intent.succeeded',
      order_id: ORDER_ID,
      payment_id: pi,
      outcome: 'applied',
      refund_status: null,
    });
  });

  it('payment_intent.payment_failed carries the reason to show the shopper', async () => {
    const pi = w.piId();
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
    expect((await w.deliverEvent(event)).status).toBe(200);
    expect(w.recorder.seen).toEqual([
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
    const pi = w.piId();
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
    expect((await w.deliverEvent(event)).status).toBe(200);
    expect(w.recorder.seen).toMatchObject([
      { type: 'payment.canceled', paymentId: pi, amountCents: 800, currency: 'EUR' },
    ]);
  });

  it('charge.refunded reports the total refunded, with the payment intent as id or expanded', async () => {
    const pi = w.piId();
    const first = stripeEvent(
      'charge.refunded',
      refundedCharge({ paymentIntent: pi, amountRefunded: 300, amount: 1000, orderId: ORDER_ID }),
    );
    const second = stripeEvent(
      'charge.refunded',
      refundedCharge({ paymentIntent: pi, amountRefunded: 1000, amount: 1000, orderId: ORDER_ID }),
    );
    (second.data as { object: Json }).object.payment_intent = { ...paymentIntent({ id: pi, amount: 1000 }) };
    expect((await w.deliverEvent(first)).status).toBe(200);
    expect((await w.deliverEvent(second)).status).toBe(200);
    expect(w.recorder.seen).toEqual([
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
    const pi = w.piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 100 }));
    expect((await w.deliverEvent(event)).status).toBe(200);
    expect(w.recorder.seen).toHaveLength(1);
    expect(w.recorder.seen[0]!.orderId).toBeUndefined();
  });
});

describe('Stripe webhook: replays, ignored types, unknown orders, failures', () => {
  it('the same event delivered 5 times concurrently is applied once, and every delivery is 2xx', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: w.piId(), amount: 2500, orderId: ORDER_ID }),
    );
    const body = JSON.stringify(event);
    const results = await Promise.all(Array.from({ length: 5 }, () => w.deliver(body)));
    for (const res of results) expect(res.status).toBe(200);
    expect(results.filter((r) => r.body.duplicate === true)).toHaveLength(4);
    expect(await w.recorder.appliedCount(event.id as string)).toBe(1);
    const [count] = await queryRows<{ n: number }>(
      w.app.nexus.ctx.db,
      sql`select count(*)::int as n from payment_events where id = ${event.id as string}`,
    );
    expect(count!.n).toBe(1);
  });

  it('a later redelivery of an applied event does not call the handler', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: w.piId(), amount: 2500, orderId: ORDER_ID }),
    );
    expect((await w.deliverEvent(event)).body).toEqual({ received: true });
    const again = await w.deliverEvent(event);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(w.recorder.seen).toHaveLength(1);
  });

  it('event types we do not act on are answered 2xx, recorded as ignored, and never reach the handler', async () => {
    const event = stripeFixture('event'); // Stripe's own example: plan.created
    const res = await w.deliverEvent(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(w.recorder.seen).toHaveLength(0);
    expect(await w.eventRow(event.id as string)).toMatchObject({ type: 'plan.created', outcome: 'ignored' });
    const again = await w.deliverEvent(event);
    expect(again.body).toEqual({ received: true, ignored: true, duplicate: true });
  });

  it('a charge.refunded for a charge without a payment intent is ignored', async () => {
    const event = stripeEvent('charge.refunded', { ...stripeFixture('charge'), amount_refunded: 100 });
    const res = await w.deliverEvent(event);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(w.recorder.seen).toHaveLength(0);
  });

  it('an unknown order is answered 2xx, recorded as unknown_order and logged as a warning', async () => {
    w.recorder.answer = () => ({ outcome: 'unknown_order' });
    const unknownOrder = '0190a4c8-0000-7000-8000-00000000dead';
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: w.piId(), amount: 100, orderId: unknownOrder }),
    );
    const res = await w.deliverEvent(event);
    expect(res.status).toBe(200);
    expect(await w.eventRow(event.id as string)).toMatchObject({ outcome: 'unknown_order', order_id: unknownOrder });
    const warning = w.logLines.map((l) => JSON.parse(l) as Json).find((l) => l.eventId === event.id);
    expect(warning).toMatchObject({ level: 40, orderId: unknownOrder, msg: 'payment event for an unknown order' });
  });

  it('a handler that throws is a 500 (Stripe retries), the event row rolls back, and the redelivery is applied', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: w.piId(), amount: 900, orderId: ORDER_ID }),
    );
    w.recorder.failNext = 1;
    const failed = await w.deliverEvent(event);
    expect(failed.status).toBe(500);
    expect(await w.eventRow(event.id as string)).toBeUndefined();
    expect(await w.recorder.appliedCount(event.id as string)).toBe(0);

    const retried = await w.deliverEvent(event);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ received: true });
    expect(w.recorder.seen).toHaveLength(2);
    expect(await w.recorder.appliedCount(event.id as string)).toBe(1);
    expect(await w.eventRow(event.id as string)).toMatchObject({ outcome: 'applied' });
  });
});

describe('Stripe webhook: refunds the handler asks for', () => {
  it('are issued through Stripe after the event commits, with the handler’s idempotency key', async () => {
    const pi = w.piId();
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ id: pi, amount: 3000, orderId: ORDER_ID }));
    const eventId = event.id as string;
    w.recorder.answer = (e) => ({
      outcome: 'applied',
      refund: { paymentId: e.paymentId, amountCents: 3000, reason: 'order expired', idempotencyKey: `refund-${e.id}` },
    });
    let seenAtRefund: unknown = 'not called';
    w.fake.onRequest = async () => {
      // Read while the SDK waits: the event must be committed by now (on PGlite an open
      // transaction would block this read; on Postgres it would not see the row).
      seenAtRefund = (await w.eventRow(eventId))?.outcome;
    };
    const res = await w.deliverEvent(event);
    expect(res.status).toBe(200);
    expect(seenAtRefund).toBe('applied');
    expect(w.fake.requests).toHaveLength(1);
    expect(w.fake.requests[0]).toMatchObject({
      path: '/v1/refunds',
      form: { payment_intent: pi, amount: '3000', 'metadata[reason]': 'order expired' },
    });
    expect(w.fake.requests[0]!.headers['idempotency-key']).toBe(`refund-${eventId}`);
    expect(await w.eventRow(eventId)).toMatchObject({
      refund_status: 'succeeded',
      refund_id: expect.stringMatching(/^re_/),
    });
  });

  it('a refund Stripe refuses is flagged on the event for staff and logged, and the webhook still answers 2xx', async () => {
    const event = stripeEvent(
      'payment_intent.succeeded',
      paymentIntent({ id: w.piId(), amount: 3000, orderId: ORDER_ID }),
    );
    w.recorder.answer = (e) => ({
      outcome: 'applied',
      refund: { paymentId: e.paymentId, amountCents: 3000, reason: 'order expired', idempotencyKey: `refund-${e.id}` },
    });
    w.fake.replies.push({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Already refunded' } },
    });
    const res = await w.deliverEvent(event);
    expect(res.status).toBe(200);
    const row = await w.eventRow(event.id as string);
    expect(row).toMatchObject({ outcome: 'applied', refund_status: 'failed', refund_id: null });
    expect(row!.refund_error).toContain('charge_already_refunded');
    const logged = w.logLines.map((l) => JSON.parse(l) as Json).find((l) => l.eventId === event.id && l.level === 50);
    expect(logged).toMatchObject({ msg: 'automatic refund failed: flagged for staff' });
    expect(JSON.stringify(logged)).not.toContain('sk_test');
  });
});

describe('Stripe webhook: configuration', () => {
  it('without STRIPE_WEBHOOK_SECRET the webhook answers 503 and records nothing', async () => {
    const { STRIPE_WEBHOOK_SECRET: _omit, ...env } = w.fake.env;
    const other = await createTestApp({ env, database: w.app.database });
    try {
      const body = JSON.stringify(stripeEvent('payment_intent.succeeded', paymentIntent({ id: w.piId(), amount: 1 })));
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
    const other = await createTestApp({ database: w.app.database });
    try {
      const body = JSON.stringify(stripeEvent('payment_intent.succeeded', paymentIntent({ id: w.piId(), amount: 1 })));
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

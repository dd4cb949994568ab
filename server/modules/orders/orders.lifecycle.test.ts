import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/api/orders.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit } from '../checkout/checkout.testkit.js';
import type { PaymentEvent } from '../payments/contract.js';
import { expireOrders, purgeIdempotencyKeys, scheduleOrderExpiry } from './expiry.js';
import { applyPaymentEvent } from './payment-events.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
});
afterAll(() => app.close());

let eventSeq = 0;
const event = (
  order: { id: string; totalCents: number },
  type: PaymentEvent['type'],
  extra: Partial<PaymentEvent> = {},
) =>
  ({
    id: `evt_${++eventSeq}`,
    provider: 'test',
    type,
    orderId: order.id,
    paymentId: `pay_${order.id}`,
    amountCents: order.totalCents,
    currency: 'USD',
    ...extra,
  }) satisfies PaymentEvent;

const apply = (e: PaymentEvent) => app.nexus.ctx.db.transaction((tx) => applyPaymentEvent(app.nexus.ctx.config, tx, e));
const expire = () => expireOrders(app.nexus.ctx.db, app.nexus.ctx.config);

async function place(stock = 5, quantity = 2, name?: string) {
  const p = await kit.product({ stock: [stock], price: 1000, ...(name ? { name } : {}) });
  const guest = await kit.guestCartWith([[p.variants[0]!, quantity]]);
  const res = await kit
    .checkout(guest.headers, { email: 'shopper@example.com', shippingAddress: address() })
    .expect(201);
  return { order: res.body.order as Order & { accessToken: string }, product: p, variant: p.variants[0]! };
}

async function mailFor(number: string) {
  await app.flushOutbox();
  return app.mail.sent.filter((m) => m.subject.includes(number));
}

const salesCount = async (productId: string) =>
  (
    await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select sales_count as n from products where id = ${productId}::uuid`,
    )
  )[0]!.n;

async function expectLedgerMatchesLevel(variantId: string) {
  const level = await kit.level(variantId);
  const ledger = await kit.ledger(variantId);
  expect({ on_hand: ledger.on_hand, reserved: ledger.reserved }).toEqual(level);
}

describe(`payment events (${TEST_DB})`, () => {
  it('payment.succeeded pays a pending order: reservation becomes a sale, sales count grows, one confirmation', async () => {
    const { order, product, variant } = await place(5, 2, 'Tea <b>&</b> "biscuits"');
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'applied' });
    expect(await kit.orderRow(order.id)).toMatchObject({
      status: 'paid',
      payment_status: 'succeeded',
      needs_attention: false,
    });
    expect(await kit.level(variant)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await kit.ledger(variant)).kinds).toEqual(['received', 'reservation', 'sale']);
    await expectLedgerMatchesLevel(variant);
    expect(await salesCount(product.id)).toBe(2);
    expect(await kit.events(order.id)).toEqual(['created', 'paid']);

    // Another delivery of the same news (a new event id) changes nothing.
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'ignored' });
    expect(await kit.level(variant)).toEqual({ on_hand: 3, reserved: 0 });
    expect(await salesCount(product.id)).toBe(2);

    const mail = await mailFor(order.number);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe('shopper@example.com');
    expect(mail[0]!.subject).toBe(`Order ${order.number} confirmed`);
    expect(mail[0]!.text).toContain('Total $24.99');
    expect(mail[0]!.text).toContain('Subtotal $20.00');
    expect(mail[0]!.html).toContain('Tea &lt;b&gt;&amp;&lt;/b&gt; &quot;biscuits&quot;');
    expect(mail[0]!.html).not.toContain('<b>&</b>');
    // The guest's link opens the order.
    expect(mail[0]!.text).toContain(`/orders/${order.id}?token=${order.accessToken}`);

    const read = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(read.body).toMatchObject({ status: 'paid', payment: { status: 'succeeded' }, expiresAt: null });
    expect(read.body.paidAt).not.toBeNull();
  });

  it('a paid amount that differs from the total is paid but flagged for staff', async () => {
    const { order } = await place();
    await apply(event(order, 'payment.succeeded', { amountCents: order.totalCents - 1 }));
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'paid', needs_attention: true });
  });

  it('finds the order by payment id when the event has no order id; unknown ones are unknown_order', async () => {
    const { order } = await place();
    expect(await apply(event(order, 'payment.succeeded', { orderId: undefined }))).toEqual({ outcome: 'applied' });
    expect((await kit.orderRow(order.id)).status).toBe('paid');
    expect(
      await apply(event({ id: '00000000-0000-7000-8000-000000000000', totalCents: 1 }, 'payment.succeeded')),
    ).toEqual({ outcome: 'unknown_order' });
    expect(await apply(event(order, 'payment.succeeded', { orderId: 'not-a-uuid', paymentId: 'pay_nobody' }))).toEqual({
      outcome: 'unknown_order',
    });
  });

  it("ignores an event for another payment than the order's", async () => {
    const { order, variant } = await place();
    expect(await apply(event(order, 'payment.succeeded', { paymentId: 'pay_other' }))).toEqual({ outcome: 'ignored' });
    expect((await kit.orderRow(order.id)).status).toBe('pending_payment');
    expect((await kit.level(variant)).reserved).toBe(2);
  });

  it('payment.failed keeps the order pending for a retry and mails once per failure event', async () => {
    const { order, variant } = await place();
    const first = event(order, 'payment.failed', { failureMessage: 'Your card was <declined>' });
    expect(await apply(first)).toEqual({ outcome: 'applied' });
    // The same event applied again (a transaction retried by payments) must not mail twice.
    await apply(first);
    await apply(event(order, 'payment.failed', { failureMessage: 'Insufficient funds' }));
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'pending_payment', payment_status: 'failed' });
    expect((await kit.level(variant)).reserved).toBe(2);
    const mail = await mailFor(order.number);
    expect(mail.map((m) => m.subject)).toEqual([
      `Payment for order ${order.number} did not go through`,
      `Payment for order ${order.number} did not go through`,
    ]);
    expect(mail[0]!.html).toContain('Your card was &lt;declined&gt;');
    // Then it succeeds.
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'applied' });
    expect((await kit.orderRow(order.id)).status).toBe('paid');
    expect(await apply(event(order, 'payment.failed'))).toEqual({ outcome: 'ignored' });
  });

  it('payment.canceled cancels and releases; a later success is refunded and flagged', async () => {
    const { order, variant } = await place();
    expect(await apply(event(order, 'payment.canceled'))).toEqual({ outcome: 'applied' });
    expect(await kit.orderRow(order.id)).toMatchObject({
      status: 'cancelled',
      cancellation_reason: 'payment_canceled',
    });
    expect(await kit.level(variant)).toEqual({ on_hand: 5, reserved: 0 });
    await expectLedgerMatchesLevel(variant);
    expect(await apply(event(order, 'payment.canceled'))).toEqual({ outcome: 'ignored' });
    const late = await apply(event(order, 'payment.succeeded'));
    expect(late.refund).toMatchObject({ paymentId: `pay_${order.id}`, amountCents: order.totalCents });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'cancelled', needs_attention: true });
    expect((await mailFor(order.number)).map((m) => m.subject)).toEqual([`Order ${order.number} cancelled`]);
  });

  it('charge.refunded: partial, then full; stale or repeated totals are ignored', async () => {
    const { order } = await place();
    expect(await apply(event(order, 'charge.refunded', { amountCents: 100 }))).toEqual({ outcome: 'ignored' });
    await apply(event(order, 'payment.succeeded'));
    expect(await apply(event(order, 'charge.refunded', { amountCents: 500 }))).toEqual({ outcome: 'applied' });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'partially_refunded', refunded_cents: 500 });
    expect(await apply(event(order, 'charge.refunded', { amountCents: 500 }))).toEqual({ outcome: 'ignored' });
    expect(await apply(event(order, 'charge.refunded', { amountCents: 300 }))).toEqual({ outcome: 'ignored' });
    expect(await apply(event(order, 'charge.refunded', { amountCents: order.totalCents }))).toEqual({
      outcome: 'applied',
    });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'refunded', refunded_cents: order.totalCents });
    expect(await kit.events(order.id)).toEqual(['created', 'paid', 'partially_refunded', 'refunded']);
  });
});

describe(`expiry (${TEST_DB})`, () => {
  it('cancels unpaid orders past their time, releases stock through the ledger, mails once', async () => {
    const { order, variant } = await place(5, 3);
    const fresh = await place(5, 1);
    await kit.lapse(order.id);
    expect(await expire()).toBe(1);
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'expired' });
    expect(await kit.level(variant)).toEqual({ on_hand: 5, reserved: 0 });
    expect((await kit.ledger(variant)).kinds).toEqual(['received', 'reservation', 'release']);
    await expectLedgerMatchesLevel(variant);
    expect((await kit.orderRow(fresh.order.id)).status).toBe('pending_payment');
    expect(await expire()).toBe(0);
    expect(await kit.events(order.id)).toEqual(['created', 'cancelled']);
    const mail = await mailFor(order.number);
    expect(mail.map((m) => m.subject)).toEqual([`Order ${order.number} cancelled`]);
    expect(mail[0]!.text).toContain('not paid in time');
    // Paid orders are never touched.
    await apply(event(fresh.order, 'payment.succeeded'));
    await kit.lapse(fresh.order.id);
    expect(await expire()).toBe(0);
    expect((await kit.orderRow(fresh.order.id)).status).toBe('paid');
  });

  it('a payment after expiry revives the order when the stock is still there', async () => {
    const { order, variant } = await place(5, 2);
    await kit.lapse(order.id);
    await expire();
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'applied' });
    expect(await kit.orderRow(order.id)).toMatchObject({
      status: 'paid',
      cancellation_reason: null,
      needs_attention: false,
    });
    expect(await kit.level(variant)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await kit.ledger(variant)).kinds).toEqual(['received', 'reservation', 'release', 'reservation', 'sale']);
    await expectLedgerMatchesLevel(variant);
    expect(await kit.events(order.id)).toEqual(['created', 'cancelled', 'revived', 'paid']);
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'ignored' });
    const subjects = (await mailFor(order.number)).map((m) => m.subject).sort();
    expect(subjects).toEqual([`Order ${order.number} cancelled`, `Order ${order.number} confirmed`]);
  });

  it('a payment after expiry with the stock gone stays cancelled, is flagged and asks for a refund once', async () => {
    const { order, variant } = await place(3, 2);
    await kit.lapse(order.id);
    await expire();
    // Someone else buys the stock meanwhile.
    const other = await kit.guestCartWith([[variant, 2]]);
    await kit.checkout(other.headers, { email: 'other@example.com', shippingAddress: address() }).expect(201);
    const result = await apply(event(order, 'payment.succeeded'));
    expect(result).toEqual({
      outcome: 'applied',
      refund: {
        paymentId: `pay_${order.id}`,
        amountCents: order.totalCents,
        reason: expect.stringContaining('expired'),
        idempotencyKey: `refund:late-payment:${order.id}`,
      },
    });
    expect(await kit.orderRow(order.id)).toMatchObject({
      status: 'cancelled',
      payment_status: 'succeeded',
      needs_attention: true,
    });
    expect(await kit.level(variant)).toEqual({ on_hand: 3, reserved: 2 });
    await expectLedgerMatchesLevel(variant);
    expect(await apply(event(order, 'payment.succeeded'))).toEqual({ outcome: 'ignored' });
    // The refund arrives: bookkeeping only.
    expect(await apply(event(order, 'charge.refunded'))).toEqual({ outcome: 'applied' });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await kit.events(order.id)).toEqual(['created', 'cancelled', 'late_payment_refunded', 'refunded']);
  });

  it('is scheduled: a run starts at once as tracked background work, and stops', async () => {
    const { order, variant } = await place(5, 1);
    await kit.lapse(order.id);
    const stop = scheduleOrderExpiry(app.nexus.ctx, 3_600_000);
    await app.nexus.ctx.background.drain();
    stop();
    expect((await kit.orderRow(order.id)).status).toBe('cancelled');
    expect((await kit.level(variant)).reserved).toBe(0);
  });

  it('forgets idempotency keys after 24 hours, not before', async () => {
    const db = app.nexus.ctx.db;
    const count = async () =>
      (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from idempotency_keys`))[0]!.n;
    await place();
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await db.execute(
      sql`update idempotency_keys set created_at = now() - interval '25 hours' where id = (select id from idempotency_keys limit 1)`,
    );
    await purgeIdempotencyKeys(db);
    expect(await count()).toBe(before - 1);
  });
});

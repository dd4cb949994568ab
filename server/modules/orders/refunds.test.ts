import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOrder, Refund } from '../../../shared/api/orders.schemas.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { usePaymentProvider } from '../checkout/payments-port.js';
import type { PaymentProvider, RefundInput } from '../payments/contract.js';
import { adminOrdersKit } from './admin-orders.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof adminOrdersKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await adminOrdersKit(app);
});
afterAll(() => app.close());

type RefundAnswer = { refund: Refund; order: AdminOrder };
const refundMails = async (number: string) =>
  (await kit.mailFor(number)).filter((m) => m.subject.startsWith('Refund of'));

/** Runs `body` with refunds going to `provider` (checkout keeps the real one). */
async function withProvider(refund: PaymentProvider['refund'], body: () => Promise<void>) {
  const real = app.nexus.ctx.payments.provider;
  usePaymentProvider(app.nexus.ctx, { name: 'test', createPayment: (i) => real.createPayment(i), refund });
  try {
    await body();
  } finally {
    usePaymentProvider(app.nexus.ctx, real);
  }
}

describe(`POST /admin/orders/:id/refunds (${TEST_DB})`, () => {
  it('a partial refund, then the remainder: partially_refunded, then refunded; two refunded e-mails', async () => {
    const { order } = await kit.paid();
    const first = await kit.refund(order.id, { amountCents: 500, reason: 'scratched', restock: false }).expect(201);
    const a = first.body as RefundAnswer;
    expect(a.refund).toMatchObject({ amountCents: 500, status: 'succeeded', currency: 'USD', reason: 'scratched' });
    expect(a.refund.providerRefundId).toMatch(/^testre_/);
    expect(a.order).toMatchObject({ status: 'partially_refunded', refundedCents: 500, refunds: [a.refund] });
    const rest = order.totalCents - 500;
    const second = await kit.refund(order.id, { amountCents: rest, reason: 'returned', restock: false }).expect(201);
    expect((second.body as RefundAnswer).order).toMatchObject({ status: 'refunded', refundedCents: order.totalCents });
    expect(await kit.providerRefunds(order.id)).toEqual([
      { amount_cents: 500, idempotency_key: `refund:${a.refund.id}` },
      { amount_cents: rest, idempotency_key: `refund:${(second.body as RefundAnswer).refund.id}` },
    ]);
    const mails = await refundMails(order.number);
    expect(mails.map((m) => m.subject)).toEqual([
      `Refund of $5.00 for order ${order.number}`,
      `Refund of $19.99 for order ${order.number}`,
    ]);
    expect(mails[0]!.text).toContain('$5.00 of the $24.99 you paid has been refunded so far');
    expect(mails[1]!.text).toContain('refunded in full ($24.99)');
    const timeline = (second.body as RefundAnswer).order.timeline.map((e) => e.type);
    expect(timeline).toEqual([
      'created',
      'paid',
      'refund_requested',
      'partially_refunded',
      'refund_succeeded',
      'refund_requested',
      'refunded',
      'refund_succeeded',
    ]);
    // Nothing is left to refund, and a refunded order takes no more refunds.
    const more = await kit.refund(order.id, { amountCents: 1, reason: 'x', restock: false }).expect(409);
    expect(more.body.code).toBe('invalid_order_transition');
  });

  it('more than is left is 422 refund_exceeds_paid and records nothing', async () => {
    const { order } = await kit.paid();
    const over = await kit
      .refund(order.id, { amountCents: order.totalCents + 1, reason: 'x', restock: false })
      .expect(422);
    expect(over.body).toMatchObject({ code: 'refund_exceeds_paid', errors: [{ path: 'body.amountCents' }] });
    expect(await kit.refundRows(order.id)).toEqual([]);
    await kit.refund(order.id, { amountCents: 2000, reason: 'x', restock: false }).expect(201);
    const before = await kit.view(order.id);
    const left = await kit.refund(order.id, { amountCents: order.totalCents - 1999, reason: 'y', restock: false });
    expect(left.status).toBe(422);
    expect(left.body.detail).toContain('At most $4.99');
    expect(await kit.view(order.id)).toEqual(before);
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
  });

  it('the same Idempotency-Key and body answer the same refund once; another body is 422; none is 400', async () => {
    const { order } = await kit.paid();
    const body = { amountCents: 300, reason: 'late', restock: false };
    const key = randomUUID();
    const first = await kit.refund(order.id, body, key).expect(201);
    const again = await kit.refund(order.id, { restock: false, reason: 'late', amountCents: 300 }, key).expect(201);
    expect(again.body.refund).toEqual(first.body.refund);
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
    const other = await kit.refund(order.id, { ...body, amountCents: 301 }, key).expect(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const none = await kit.refund(order.id, body, null).expect(400);
    expect(none.body.code).toBe('idempotency_key_required');
    await kit.refund(order.id, body, 'bad key with spaces').expect(422);
    expect(await kit.refundRows(order.id)).toEqual([{ status: 'succeeded', amount_cents: 300 }]);
    expect(await refundMails(order.number)).toHaveLength(1);
  });

  it('five concurrent requests with one key make one refund at the provider and get the same answer', async () => {
    const { order } = await kit.paid();
    const key = randomUUID();
    const body = { amountCents: 700, reason: 'double click', restock: false };
    const answers = await Promise.all(Array.from({ length: 5 }, () => kit.refund(order.id, body, key)));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((r) => (r.body as RefundAnswer).refund.id));
    expect(ids.size).toBe(1);
    for (const r of answers)
      expect((r.body as RefundAnswer).refund).toMatchObject({ status: 'succeeded', amountCents: 700 });
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
    expect(await kit.refundRows(order.id)).toEqual([{ status: 'succeeded', amount_cents: 700 }]);
    expect((await kit.orderRow(order.id)).refunded_cents).toBe(700);
    expect(await refundMails(order.number)).toHaveLength(1);
  });

  it('restock puts units back through the ledger once the provider confirmed, within what the order has', async () => {
    const { order, variants } = await kit.paid({ stock: 5, quantity: 3, variants: 2 });
    const [v0, v1] = variants as [string, string];
    await kit
      .refund(order.id, {
        amountCents: 1000,
        reason: 'one back',
        restock: true,
        lines: [{ variantId: v0, quantity: 1 }],
      })
      .expect(201);
    expect(await kit.level(v0)).toEqual({ on_hand: 3, reserved: 0 });
    expect(await kit.level(v1)).toEqual({ on_hand: 2, reserved: 0 });
    expect((await kit.ledger(v0)).kinds).toEqual(['received', 'reservation', 'sale', 'return']);
    await kit.expectLedgerMatchesLevel(v0);

    const paths = async (body: Record<string, unknown>) => {
      const res = await kit.refund(order.id, { amountCents: 100, reason: 'x', ...body }).expect(422);
      return (res.body.errors as { path: string }[]).map((e) => e.path);
    };
    // Three were sold and one is already back: at most two more.
    expect(await paths({ restock: true, lines: [{ variantId: v0, quantity: 3 }] })).toEqual(['body.lines.0.quantity']);
    expect(
      await paths({
        restock: true,
        lines: [
          { variantId: v0, quantity: 2 },
          { variantId: v0, quantity: 1 },
        ],
      }),
    ).toEqual(['body.lines.1.quantity']);
    expect(await paths({ restock: true, lines: [{ variantId: randomUUID(), quantity: 1 }] })).toEqual([
      'body.lines.0.variantId',
    ]);
    expect(await paths({ restock: true })).toEqual(['body.lines']);
    expect(await paths({ restock: false, lines: [{ variantId: v0, quantity: 1 }] })).toEqual(['body.lines']);
    expect(await kit.refundRows(order.id)).toHaveLength(1);

    // The rest, with restock and no lines: every unit not yet back.
    const left = order.totalCents - 1000;
    const all = await kit.refund(order.id, { amountCents: left, reason: 'all back', restock: true }).expect(201);
    expect((all.body as RefundAnswer).refund.lines.sort((a, b) => (a.variantId < b.variantId ? -1 : 1))).toEqual(
      [
        { variantId: v0, quantity: 2 },
        { variantId: v1, quantity: 3 },
      ].sort((a, b) => (a.variantId < b.variantId ? -1 : 1)),
    );
    for (const v of variants) {
      expect(await kit.level(v)).toEqual({ on_hand: 5, reserved: 0 });
      await kit.expectLedgerMatchesLevel(v);
    }
    expect((await kit.orderRow(order.id)).status).toBe('refunded');
  });

  it('a provider failure is 502: refund recorded failed, order flagged, nothing restocked; the same key retries', async () => {
    const { order, variants } = await kit.paid({ stock: 5, quantity: 2 });
    const key = randomUUID();
    const body = {
      amountCents: 800,
      reason: 'broken',
      restock: true,
      lines: [{ variantId: variants[0], quantity: 1 }],
    };
    await withProvider(
      () => Promise.reject(new Error('socket hang up')),
      async () => {
        const res = await kit.refund(order.id, body, key).expect(502);
        expect(res.body.code).toBe('payment_provider_error');
      },
    );
    const flagged = await kit.view(order.id);
    expect(flagged).toMatchObject({ status: 'paid', refundedCents: 0, needsAttention: true });
    expect(flagged.refunds).toMatchObject([{ status: 'failed', failureReason: 'the provider could not be reached' }]);
    expect(flagged.timeline.at(-1)?.type).toBe('refund_failed');
    expect(await kit.level(variants[0]!)).toEqual({ on_hand: 3, reserved: 0 });
    expect(await kit.providerRefunds(order.id)).toEqual([]);
    expect(await refundMails(order.number)).toEqual([]);

    const retried = await kit.refund(order.id, body, key).expect(201);
    expect((retried.body as RefundAnswer).refund).toMatchObject({ id: flagged.refunds[0]!.id, status: 'succeeded' });
    expect(await kit.level(variants[0]!)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
    expect((await kit.orderRow(order.id)).status).toBe('partially_refunded');
  });

  it('a charge.refunded event after our own refund changes nothing and sends no second e-mail', async () => {
    const { order } = await kit.paid();
    const calls: RefundInput[] = [];
    // A provider that, like Stripe, reports the refund later by webhook, not during the call.
    await withProvider(
      (input) => {
        calls.push(input);
        return Promise.resolve({ refundId: 're_later_1', status: 'succeeded' });
      },
      async () => {
        await kit.refund(order.id, { amountCents: 600, reason: 'x', restock: false }).expect(201);
      },
    );
    expect(calls).toMatchObject([{ amountCents: 600, idempotencyKey: expect.stringMatching(/^refund:/) }]);
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'partially_refunded', refunded_cents: 600 });
    const paymentId = (await kit.orderRow(order.id)).payment_intent_id!;
    const handled = await app.nexus.ctx.payments.handleEvent({
      id: `evt_${randomUUID()}`,
      provider: 'test',
      type: 'charge.refunded',
      orderId: order.id,
      paymentId,
      amountCents: 600,
      currency: 'USD',
    });
    expect(handled).toMatchObject({ outcome: 'ignored', duplicate: false });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'partially_refunded', refunded_cents: 600 });
    expect(await refundMails(order.number)).toHaveLength(1);
    // A refund made elsewhere (the dashboard) raises the total: applied, and the shopper told.
    await app.nexus.ctx.payments.handleEvent({
      id: `evt_${randomUUID()}`,
      provider: 'test',
      type: 'charge.refunded',
      orderId: order.id,
      paymentId,
      amountCents: 900,
      currency: 'USD',
    });
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'partially_refunded', refunded_cents: 900 });
    expect((await refundMails(order.number)).map((m) => m.subject)).toEqual([
      `Refund of $6.00 for order ${order.number}`,
      `Refund of $3.00 for order ${order.number}`,
    ]);
  });

  it('a partly refunded order not yet shipped ships once; a later partial refund does not reopen that', async () => {
    const { order } = await kit.paid();
    await kit.refund(order.id, { amountCents: 500, reason: 'discount', restock: false }).expect(201);
    await kit.post(order.id, 'fulfill', { carrier: 'DHL', trackingNumber: 'JD1' }).expect(200);
    expect((await kit.orderRow(order.id)).status).toBe('fulfilled');
    await kit.refund(order.id, { amountCents: 100, reason: 'late', restock: false }).expect(201);
    expect(await kit.orderRow(order.id)).toMatchObject({ status: 'partially_refunded', refunded_cents: 600 });
    const twice = await kit.post(order.id, 'fulfill', { carrier: 'DHL', trackingNumber: 'JD2' }).expect(409);
    expect(twice.body.code).toBe('invalid_order_transition');
    expect((await kit.view(order.id)).fulfillment).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD1' });
  });

  it('refuses unpaid orders (409), bad bodies (422) and non-staff callers', async () => {
    const { order } = await kit.place();
    const unpaid = await kit.refund(order.id, { amountCents: 100, reason: 'x', restock: false }).expect(409);
    expect(unpaid.body.code).toBe('invalid_order_transition');
    const { order: paidOrder } = await kit.paid();
    const paths = async (body: Record<string, unknown>) =>
      ((await kit.refund(paidOrder.id, body).expect(422)).body.errors as { path: string }[]).map((e) => e.path);
    expect(await paths({ amountCents: 0, reason: 'x', restock: false })).toEqual(['body.amountCents']);
    expect(await paths({ amountCents: '100', reason: 'x', restock: false })).toEqual(['body.amountCents']);
    expect(await paths({ amountCents: 1.5, reason: 'x', restock: false })).toEqual(['body.amountCents']);
    expect(await paths({ amountCents: 100, restock: false })).toEqual(['body.reason']);
    expect(await paths({ amountCents: 100, reason: 'x', restock: 'yes' })).toEqual(['body.restock']);
    expect(await paths({ amountCents: 100, reason: 'x', restock: false, currency: 'EUR' })).toEqual(['body.currency']);
    const customer = await registerCustomer(app);
    await app.request
      .post(`${kit.base}/${paidOrder.id}/refunds`)
      .set({ Authorization: `Bearer ${customer.accessToken}`, 'Idempotency-Key': 'k1' })
      .send({ amountCents: 100, reason: 'x', restock: false })
      .expect(403);
    await app.request
      .post(`${kit.base}/${paidOrder.id}/refunds`)
      .set('Idempotency-Key', 'k2')
      .send({ amountCents: 100, reason: 'x', restock: false })
      .expect(401);
    expect(await kit.refundRows(paidOrder.id)).toEqual([]);
    expect((await kit.orderRow(paidOrder.id)).status).toBe('paid');
  });
});

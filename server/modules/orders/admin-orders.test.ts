import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOrder } from '../../../shared/api/orders.schemas.js';
import { formatMoney } from '../../../shared/domain/money.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { usePaymentProvider } from '../checkout/payments-port.js';
import { adminOrdersKit } from './admin-orders.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof adminOrdersKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await adminOrdersKit(app);
});
afterAll(() => app.close());

let run = 0;
const prefix = () => `list${++run}.${Date.now()}`;
const numbers = (res: { body: { items: { number: string }[] } }) => res.body.items.map((o) => o.number);
const types = (o: AdminOrder) => o.timeline.map((e) => e.type);

describe(`GET /admin/orders (${TEST_DB})`, () => {
  it('filters by status (one or several), newest first, paginated', async () => {
    const p = prefix();
    const a = await kit.place({ email: `${p}.a@example.com` });
    const b = await kit.paid({ email: `${p}.b@example.com` });
    const c = await kit.paid({ email: `${p}.c@example.com` });
    const paid = await kit.list({ email: p, status: 'paid' }).expect(200);
    expect(numbers(paid)).toEqual([c.order.number, b.order.number]);
    expect(paid.body.total).toBe(2);
    expect(paid.body.items[0]).toMatchObject({ needsAttention: false, refundedCents: 0, status: 'paid' });
    expect(paid.body.items[0]).not.toHaveProperty('accessToken');
    const both = await kit.list({ email: p, status: ['paid', 'pending_payment'] }).expect(200);
    expect(numbers(both)).toEqual([c.order.number, b.order.number, a.order.number]);
    const comma = await kit.list({ email: p, status: 'pending_payment,cancelled' }).expect(200);
    expect(numbers(comma)).toEqual([a.order.number]);
    const page2 = await kit.list({ email: p, limit: '1', page: '2' }).expect(200);
    expect(page2.body).toMatchObject({ page: 2, limit: 1, total: 3 });
    expect(numbers(page2)).toEqual([b.order.number]);
    const bad = await kit.list({ status: 'shipped' }).expect(422);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors[0].path).toMatch(/^query\.status/);
  });

  it('filters by e-mail (case-insensitive, exact or prefix; wildcards are literal)', async () => {
    const p = prefix();
    const a = await kit.place({ email: `${p}.ann@example.com` });
    const b = await kit.place({ email: `${p}.bob@example.com` });
    expect(numbers(await kit.list({ email: `${p}.ANN@Example.COM` }).expect(200))).toEqual([a.order.number]);
    expect(numbers(await kit.list({ email: `${p.toUpperCase()}.` }).expect(200))).toEqual([
      b.order.number,
      a.order.number,
    ]);
    expect((await kit.list({ email: `${p}.b` }).expect(200)).body.total).toBe(1);
    expect((await kit.list({ email: '%' }).expect(200)).body.total).toBe(0);
    expect((await kit.list({ email: `${p}_ann` }).expect(200)).body.total).toBe(0);
  });

  it('filters by order number, needs-attention flag and creation time', async () => {
    const p = prefix();
    const a = await kit.place({ email: `${p}.a@example.com` });
    const b = await kit.place({ email: `${p}.b@example.com` });
    expect(numbers(await kit.list({ number: a.order.number.toLowerCase() }).expect(200))).toEqual([a.order.number]);
    expect((await kit.list({ number: 'NX-1' }).expect(200)).body.total).toBe(0);
    expect((await kit.list({ number: 'ABC' }).expect(422)).body.errors[0].path).toBe('query.number');

    await app.nexus.ctx.db.execute(sql`update orders set needs_attention = true where id = ${b.order.id}::uuid`);
    expect(numbers(await kit.list({ email: p, needsAttention: 'true' }).expect(200))).toEqual([b.order.number]);
    expect(numbers(await kit.list({ email: p, needsAttention: 'false' }).expect(200))).toEqual([a.order.number]);

    await app.nexus.ctx.db.execute(
      sql`update orders set created_at = '2020-01-01T10:00:00.000Z' where id = ${a.order.id}::uuid`,
    );
    const at = '2020-01-01T10:00:00.000Z';
    expect(numbers(await kit.list({ from: '2020-01-01T00:00:00Z', to: at }).expect(200))).toEqual([a.order.number]);
    expect(
      (await kit.list({ from: '2020-01-01T10:00:00.001Z', to: '2020-01-02T00:00:00Z' }).expect(200)).body.total,
    ).toBe(0);
    expect(numbers(await kit.list({ email: p, from: '2021-01-01T00:00:00Z' }).expect(200))).toEqual([b.order.number]);
    const reversed = await kit.list({ from: '2021-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' }).expect(422);
    expect(reversed.body.errors[0].path).toBe('query.from');
    expect((await kit.list({ from: 'yesterday' }).expect(422)).body.code).toBe('validation_failed');
    expect((await kit.list({ sort: 'total' }).expect(422)).body.errors[0].path).toBe('query.sort');
  });
});

describe(`access (${TEST_DB})`, () => {
  it('needs staff: anonymous 401, customer 403, on reads and changes alike', async () => {
    const { order } = await kit.paid();
    const customer = await registerCustomer(app);
    const asCustomer = { Authorization: `Bearer ${customer.accessToken}` };
    await app.request.get(kit.base).expect(401);
    expect((await app.request.get(kit.base).set(asCustomer).expect(403)).body.code).toBe('forbidden');
    await app.request.get(`${kit.base}/${order.id}`).set(asCustomer).expect(403);
    await app.request.post(`${kit.base}/${order.id}/fulfill`).send({ carrier: 'UPS', trackingNumber: '1' }).expect(401);
    await app.request.post(`${kit.base}/${order.id}/cancel`).set(asCustomer).send({}).expect(403);
    await app.request.post(`${kit.base}/${order.id}/notes`).set(asCustomer).send({ body: 'x' }).expect(403);
    expect((await kit.orderRow(order.id)).status).toBe('paid');
  });

  it('unknown order: 404 on read and every change; a malformed id is 422', async () => {
    const id = randomUUID();
    expect((await kit.get(id).expect(404)).body.code).toBe('not_found');
    await kit.post(id, 'fulfill', { carrier: 'UPS', trackingNumber: '1' }).expect(404);
    await kit.post(id, 'deliver').expect(404);
    await kit.post(id, 'cancel').expect(404);
    await kit.post(id, 'notes', { body: 'hello' }).expect(404);
    await kit.refund(id, { amountCents: 1, reason: 'x', restock: false }).expect(404);
    expect((await kit.get('not-a-uuid').expect(422)).body.errors[0].path).toBe('params.id');
  });
});

describe(`GET /admin/orders/:id (${TEST_DB})`, () => {
  it('is the order plus staff fields and the whole timeline, oldest first, no access token', async () => {
    const { order } = await kit.paid();
    const o = await kit.view(order.id);
    expect(o).toMatchObject({
      id: order.id,
      number: order.number,
      status: 'paid',
      totalCents: order.totalCents,
      needsAttention: false,
      attentionReason: null,
      refundedCents: 0,
      refunds: [],
      notes: [],
    });
    expect(o).not.toHaveProperty('accessToken');
    expect(types(o)).toEqual(['created', 'paid']);
    expect(o.timeline[1]).toMatchObject({ actor: 'provider:test', data: { amountCents: order.totalCents } });
    expect(Date.parse(o.timeline[0]!.at)).toBeLessThanOrEqual(Date.parse(o.timeline[1]!.at));
  });
});

describe(`POST /admin/orders/:id/fulfill and /deliver (${TEST_DB})`, () => {
  it('ships a paid order: tracking stored, timeline event, one shipped e-mail with tracking link', async () => {
    const { order } = await kit.paid();
    const res = await kit.post(order.id, 'fulfill', { carrier: '  UPS ', trackingNumber: ' 1Z<999> ' }).expect(200);
    expect(res.body).toMatchObject({
      status: 'fulfilled',
      fulfillment: { carrier: 'UPS', trackingNumber: '1Z<999>' },
    });
    expect(Date.parse(res.body.fulfillment.shippedAt)).not.toBeNaN();
    expect(res.body.timeline.at(-1)).toMatchObject({
      type: 'fulfilled',
      actor: `user:${kit.staff.user.id}`,
      data: { carrier: 'UPS', trackingNumber: '1Z<999>' },
    });
    const again = await kit.post(order.id, 'fulfill', { carrier: 'DHL', trackingNumber: '2' }).expect(409);
    expect(again.body.code).toBe('invalid_order_transition');
    const shipped = (await kit.mailFor(order.number)).filter((m) => m.subject === `Order ${order.number} has shipped`);
    expect(shipped).toHaveLength(1);
    expect(shipped[0]!.text).toContain('Tracking number: 1Z<999>');
    expect(shipped[0]!.text).toContain('https://www.ups.com/track?tracknum=1Z%3C999%3E');
    expect(shipped[0]!.html).toContain('1Z&lt;999&gt;');
    expect(shipped[0]!.text).toContain(`/orders/${order.id}?token=${order.accessToken}`);
    // The shopper sees the shipment.
    const mine = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(mine.body.fulfillment).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z<999>' });

    await kit.post(order.id, 'deliver').expect(200);
    expect((await kit.orderRow(order.id)).status).toBe('delivered');
    expect((await kit.post(order.id, 'deliver').expect(409)).body.code).toBe('invalid_order_transition');
  });

  it('refuses cancelled and unpaid orders with 409, changing nothing', async () => {
    const { order } = await kit.place();
    const before = await kit.view(order.id);
    const pending = await kit.post(order.id, 'fulfill', { carrier: 'UPS', trackingNumber: '1' }).expect(409);
    expect(pending.body.code).toBe('invalid_order_transition');
    await kit.post(order.id, 'deliver').expect(409);
    await kit.post(order.id, 'cancel').expect(200);
    const cancelled = await kit.view(order.id);
    const res = await kit.post(order.id, 'fulfill', { carrier: 'UPS', trackingNumber: '1' }).expect(409);
    expect(res.body.code).toBe('invalid_order_transition');
    expect(await kit.view(order.id)).toEqual(cancelled);
    expect(cancelled.fulfillment).toBeNull();
    expect(types(cancelled)).toEqual([...types(before), 'cancelled']);
    expect((await kit.mailFor(order.number)).map((m) => m.subject)).toEqual([`Order ${order.number} cancelled`]);
  });

  it('validates the body: required, trimmed, length-limited strings, no extra fields', async () => {
    const { order } = await kit.paid();
    const errorsOf = async (body: Record<string, unknown>) =>
      ((await kit.post(order.id, 'fulfill', body).expect(422)).body.errors as { path: string }[]).map((e) => e.path);
    expect(await errorsOf({ carrier: 'UPS' })).toEqual(['body.trackingNumber']);
    expect(await errorsOf({ carrier: '   ', trackingNumber: '1' })).toEqual(['body.carrier']);
    expect(await errorsOf({ carrier: 5, trackingNumber: '1' })).toEqual(['body.carrier']);
    expect(await errorsOf({ carrier: 'UPS', trackingNumber: 'x'.repeat(101) })).toEqual(['body.trackingNumber']);
    expect(await errorsOf({ carrier: 'UPS', trackingNumber: '1', shippedAt: 'now' })).toEqual(['body.shippedAt']);
    expect((await kit.orderRow(order.id)).status).toBe('paid');
  });
});

describe(`POST /admin/orders/:id/cancel (${TEST_DB})`, () => {
  it('unpaid: cancelled, the reservation released (level as before checkout), one cancelled e-mail', async () => {
    const { order, variants } = await kit.place({ stock: 5, quantity: 3 });
    expect(await kit.level(variants[0]!)).toEqual({ on_hand: 5, reserved: 3 });
    const res = await kit.post(order.id, 'cancel', { reason: 'customer phoned' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancellationReason: 'staff', refunds: [] });
    expect(res.body.timeline.at(-1)).toMatchObject({
      type: 'cancelled',
      actor: `user:${kit.staff.user.id}`,
      data: { reason: 'staff', note: 'customer phoned' },
    });
    expect(await kit.level(variants[0]!)).toEqual({ on_hand: 5, reserved: 0 });
    expect((await kit.ledger(variants[0]!)).kinds).toEqual(['received', 'reservation', 'release']);
    await kit.expectLedgerMatchesLevel(variants[0]!);
    const mail = await kit.mailFor(order.number);
    expect(mail.map((m) => m.subject)).toEqual([`Order ${order.number} cancelled`]);
    expect(mail[0]!.text).toContain('Nothing was charged');
    expect((await kit.post(order.id, 'cancel').expect(409)).body.code).toBe('invalid_order_transition');
    expect(await kit.providerRefunds(order.id)).toEqual([]);
  });

  it('paid: units back on hand through the ledger, full refund at the provider, one cancelled e-mail', async () => {
    const { order, variants, product } = await kit.paid({ stock: 5, quantity: 3, variants: 2 });
    expect(await kit.level(variants[0]!)).toEqual({ on_hand: 2, reserved: 0 });
    const res = await kit.post(order.id, 'cancel', {}).expect(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'staff',
      refundedCents: order.totalCents,
      payment: { status: 'refunded' },
      refunds: [{ amountCents: order.totalCents, status: 'succeeded', restock: false }],
    });
    expect(await kit.providerRefunds(order.id)).toEqual([
      { amount_cents: order.totalCents, idempotency_key: `refund:${res.body.refunds[0].id}` },
    ]);
    for (const v of variants) {
      expect(await kit.level(v)).toEqual({ on_hand: 5, reserved: 0 });
      expect((await kit.ledger(v)).kinds).toEqual(['received', 'reservation', 'sale', 'return']);
      await kit.expectLedgerMatchesLevel(v);
    }
    const [sales] = await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select sales_count::int as n from products where id = ${product.id}::uuid`,
    );
    expect(sales!.n).toBe(0);
    const mail = await kit.mailFor(order.number);
    expect(mail.map((m) => m.subject).sort()).toEqual([
      `Order ${order.number} cancelled`,
      `Order ${order.number} confirmed`,
    ]);
    const cancelled = mail.find((m) => m.subject.endsWith('cancelled'))!;
    expect(cancelled.text).toContain(
      `Your payment of ${formatMoney({ amount: order.totalCents, currency: 'USD' })} is being refunded`,
    );
    expect((await kit.post(order.id, 'cancel').expect(409)).body.code).toBe('invalid_order_transition');
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
  });

  it('paid but the provider fails: 502, the order stays cancelled and is flagged, the refund recorded failed', async () => {
    const { order } = await kit.paid();
    const real = app.nexus.ctx.payments.provider;
    usePaymentProvider(app.nexus.ctx, {
      name: 'test',
      createPayment: (i) => real.createPayment(i),
      refund: () => Promise.reject(new Error('connection reset')),
    });
    try {
      const res = await kit.post(order.id, 'cancel').expect(502);
      expect(res.body.code).toBe('payment_provider_error');
    } finally {
      usePaymentProvider(app.nexus.ctx, real);
    }
    const o = await kit.view(order.id);
    expect(o).toMatchObject({
      status: 'cancelled',
      needsAttention: true,
      refundedCents: 0,
      refunds: [{ status: 'failed', failureReason: 'the provider could not be reached' }],
    });
    expect(o.attentionReason).toContain('refund of $24.99 failed');
    expect(await kit.providerRefunds(order.id)).toEqual([]);
  });

  it('refuses shipped orders', async () => {
    const { order } = await kit.paid();
    await kit.post(order.id, 'fulfill', { carrier: 'UPS', trackingNumber: '1' }).expect(200);
    expect((await kit.post(order.id, 'cancel').expect(409)).body.code).toBe('invalid_order_transition');
    expect((await kit.orderRow(order.id)).status).toBe('fulfilled');
    expect((await kit.post(order.id, 'cancel', { reason: 5 }).expect(422)).body.errors[0].path).toBe('body.reason');
    expect((await kit.post(order.id, 'cancel', { why: 'x' }).expect(422)).body.errors[0].path).toBe('body.why');
  });
});

describe(`POST /admin/orders/:id/notes (${TEST_DB})`, () => {
  it('adds a staff note to the admin view and timeline, never to the shopper view', async () => {
    const { order } = await kit.paid();
    const secret = 'Shopper sounded <angry>; offered 10% off';
    const res = await kit.post(order.id, 'notes', { body: `  ${secret}  ` }).expect(201);
    expect(res.body).toMatchObject({ body: secret, actor: `user:${kit.staff.user.id}` });
    const o = await kit.view(order.id);
    expect(o.notes).toEqual([res.body]);
    expect(o.timeline.at(-1)).toMatchObject({ id: res.body.id, type: 'note', data: { body: secret } });
    const mine = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(JSON.stringify(mine.body)).not.toContain('angry');
    expect(mine.body).not.toHaveProperty('notes');
    expect(mine.body).not.toHaveProperty('timeline');
    const paths = async (body: unknown) =>
      (
        (await kit.post(order.id, 'notes', body as Record<string, unknown>).expect(422)).body.errors as {
          path: string;
        }[]
      ).map((e) => e.path);
    expect(await paths({ body: '   ' })).toEqual(['body.body']);
    expect(await paths({ body: 'x'.repeat(2001) })).toEqual(['body.body']);
    expect(await paths({})).toEqual(['body.body']);
    expect(await paths({ body: 'ok', pinned: true })).toEqual(['body.pinned']);
    expect((await kit.view(order.id)).notes).toHaveLength(1);
  });
});

/**
 * Fixtures for the staff order tests: orders placed through checkout and paid with the built-in
 * test provider (so refunds land in its test_refunds table and come back as charge.refunded
 * events), staff calls, and reads of the outbox, the ledger and the provider.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { AdminOrder, Order } from '../../../shared/api/orders.schemas.js';
import { queryRows } from '../../db/sql.js';
import { userWithRole, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, newKey } from '../checkout/checkout.testkit.js';
import { usePaymentProvider } from '../checkout/payments-port.js';

type Body = Record<string, unknown>;

export async function adminOrdersKit(app: TestApp) {
  const kit = await checkoutKit(app);
  const ctx = app.nexus.ctx;
  // Checkout and refunds use the real built-in provider, not the checkout kit's fake.
  usePaymentProvider(ctx, ctx.payments.provider);
  const staff = await userWithRole(app, 'staff');
  const base = '/api/v1/admin/orders';

  /** A pending order of `quantity` units (price 1000 each, so total 24.99 for two) from a fresh product. */
  async function place(options: { stock?: number; quantity?: number; email?: string; variants?: number } = {}) {
    const p = await kit.product({ stock: Array(options.variants ?? 1).fill(options.stock ?? 5), price: 1000 });
    const guest = await kit.guestCartWith(p.variants.map((v) => [v, options.quantity ?? 2]));
    const res = await kit.checkout(guest.headers, {
      email: options.email ?? 'shopper@example.com',
      shippingAddress: address(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { order } = res.body as { order: Order & { accessToken: string } };
    return { order, variants: p.variants, product: p };
  }

  async function pay(orderId: string) {
    const res = await app.request.post('/api/v1/payments/test/confirm').send({ orderId, card: '4242424242424242' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function paid(options: Parameters<typeof place>[0] = {}) {
    const placed = await place(options);
    await pay(placed.order.id);
    return placed;
  }

  const get = (id: string, auth = staff.auth) => app.request.get(`${base}/${id}`).set(auth);
  const view = async (id: string) => {
    const res = await get(id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as AdminOrder;
  };
  const list = (query: Record<string, string | string[]>) => app.request.get(base).set(staff.auth).query(query);
  const post = (id: string, action: string, body: Body = {}) =>
    app.request.post(`${base}/${id}/${action}`).set(staff.auth).send(body);
  const refund = (id: string, body: Body, key: string | null = newKey()) => {
    const req = app.request.post(`${base}/${id}/refunds`).set(staff.auth);
    return (key === null ? req : req.set('Idempotency-Key', key)).send(body);
  };

  /** Refunds the built-in provider holds for an order's payments. */
  const providerRefunds = (orderId: string) =>
    queryRows<{ amount_cents: number; idempotency_key: string }>(
      ctx.db,
      sql`select r.amount_cents, r.idempotency_key from test_refunds r join test_payments p on p.id = r.payment_id
          where p.order_id = ${orderId}::uuid order by r.created_at`,
    );

  const refundRows = (orderId: string) =>
    queryRows<{ status: string; amount_cents: number }>(
      ctx.db,
      sql`select status, amount_cents from order_refunds where order_id = ${orderId}::uuid order by created_at, id`,
    );

  async function mailFor(number: string) {
    await app.flushOutbox();
    return app.mail.sent.filter((m) => m.subject.includes(number));
  }

  async function expectLedgerMatchesLevel(variantId: string) {
    const level = await kit.level(variantId);
    const ledger = await kit.ledger(variantId);
    expect({ on_hand: ledger.on_hand, reserved: ledger.reserved }).toEqual(level);
  }

  return {
    ...kit,
    staff,
    base,
    place,
    pay,
    paid,
    get,
    view,
    list,
    post,
    refund,
    providerRefunds,
    refundRows,
    mailFor,
    expectLedgerMatchesLevel,
  };
}

import { and, desc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, stockMovements, users } from '../../db/schema/index.js';
import { createTestApp, registerCustomer, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { address, newKey } from '../checkout/checkout.testkit.js';

const STAFF_LIST = 'ops@example.com, Buyer@Example.com';

/** Checkout, inventory and e-mail fixtures on one app; alerts are read from the outbox and the sent mail. */
async function alertKit(app: TestApp) {
  const cart = await cartKit(app);
  let seq = 0;

  /** An active one-variant product with this opening stock and low-stock threshold. */
  async function variant(stock: number, threshold = 5) {
    const sku = `LOW-${TEST_DB}-${Date.now()}-${++seq}`;
    const res = await app.request
      .post('/api/v1/admin/products')
      .set(cart.staff)
      .send({
        name: `Low thing ${seq}`,
        status: 'active',
        variants: [
          { sku, priceCents: 500, lowStockThreshold: threshold, ...(stock > 0 ? { initialStock: stock } : {}) },
        ],
      });
    if (res.status !== 201) throw new Error(`product fixture: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { id: string; variants: { id: string }[] };
    return { productId: body.id, id: body.variants[0]!.id, sku };
  }

  async function guestCart(lines: [string, number][]) {
    const guest = await cart.newGuestCart();
    for (const [v, q] of lines) await cart.add(guest.headers, v, q).expect(200);
    return guest.headers;
  }

  const checkoutCart = (headers: Record<string, string>) =>
    app.request
      .post('/api/v1/checkout')
      .set(headers)
      .set('Idempotency-Key', newKey())
      .send({ email: 'shopper@example.com', shippingAddress: address() });

  /** A guest checkout of these lines; answers the HTTP response. */
  const checkout = async (lines: [string, number][]) => checkoutCart(await guestCart(lines));

  /** Checkout and payment with the built-in test provider's success card: reservation, then sale. */
  async function buy(variantId: string, quantity: number) {
    const res = await checkout([[variantId, quantity]]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const orderId = (res.body as { order: { id: string } }).order.id;
    await app.request
      .post('/api/v1/payments/test/confirm')
      .send({ orderId, card: '4242424242424242' })
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('succeeded'));
    return orderId;
  }

  const adjust = (variantId: string, delta: number, reason: string) =>
    app.request
      .post('/api/v1/admin/inventory/adjustments')
      .set(cart.staff)
      .send({ variantId, delta, reason })
      .expect(201);

  /** The low-stock e-mails queued for a variant, oldest first. */
  const alerts = (variantId: string) =>
    app.nexus.ctx.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, 'low-stock-alert'),
          like(notifications.idempotencyKey, `low-stock:${variantId}:%`),
        ),
      )
      .orderBy(notifications.createdAt, notifications.id);

  /** The low-stock e-mails delivered for a SKU (after flushing the outbox). */
  const sent = async (sku: string) => {
    await app.flushOutbox();
    return app.mail.sent.filter((m) => m.subject.startsWith('Low stock:') && m.subject.includes(`(${sku})`));
  };

  return { ...cart, variant, guestCart, checkoutCart, checkout, buy, adjust, alerts, sent };
}

describe(`low-stock alert with STAFF_ALERT_EMAIL (${TEST_DB})`, () => {
  let app: TestApp;
  let kit: Awaited<ReturnType<typeof alertKit>>;
  beforeAll(async () => {
    app = await createTestApp({ env: { STAFF_ALERT_EMAIL: STAFF_LIST, PUBLIC_URL: 'https://shop.example' } });
    kit = await alertKit(app);
  });
  afterAll(() => app.close());

  it('a checkout that takes availability to the threshold sends exactly one e-mail to the configured list', async () => {
    const v = await kit.variant(8, 5);
    await kit.buy(v.id, 2);
    expect(await kit.alerts(v.id)).toHaveLength(0);
    await kit.buy(v.id, 1);
    const [alert, ...more] = await kit.alerts(v.id);
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ toAddress: 'ops@example.com, Buyer@Example.com', status: 'pending' });
    expect(alert!.payload).toMatchObject({
      sku: v.sku,
      available: 5,
      threshold: 5,
      productUrl: `https://shop.example/api/v1/admin/products/${v.productId}`,
    });
    // The reservation crossed (payment then settles it without changing availability): the key names it.
    const [reservation] = await kit.db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.variantId, v.id), eq(stockMovements.kind, 'reservation')))
      .orderBy(desc(stockMovements.createdAt), desc(stockMovements.id))
      .limit(1);
    expect(alert!.idempotencyKey).toBe(`low-stock:${v.id}:${reservation!.locationId}:${reservation!.id}`);
    const mails = await kit.sent(v.sku);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'ops@example.com, Buyer@Example.com' });
    expect(mails[0]!.text).toContain('5 available, alert threshold 5');
  });

  it('further sales while low, and the sales that settle reserved stock, send nothing more', async () => {
    const v = await kit.variant(7, 5);
    await kit.buy(v.id, 3);
    expect(await kit.alerts(v.id)).toHaveLength(1);
    await kit.buy(v.id, 1);
    await kit.buy(v.id, 2);
    await kit.adjust(v.id, -1, 'damage');
    expect(await kit.alerts(v.id)).toHaveLength(1);
    expect(await kit.sent(v.sku)).toHaveLength(1);
  });

  it('alerts again after a restock above the threshold and a second crossing, and not on the restock itself', async () => {
    const v = await kit.variant(6, 5);
    await kit.buy(v.id, 2);
    await kit.adjust(v.id, 10, 'received');
    expect(await kit.alerts(v.id)).toHaveLength(1);
    await kit.buy(v.id, 8);
    expect(await kit.alerts(v.id)).toHaveLength(1);
    await kit.buy(v.id, 1);
    const rows = await kit.alerts(v.id);
    expect(rows.map((r) => (r.payload as { available: number }).available)).toEqual([4, 5]);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(2);
    expect(await kit.sent(v.sku)).toHaveLength(2);
  });

  it('a manual adjustment or stocktake that crosses alerts once; one that stays above does not', async () => {
    const v = await kit.variant(20, 5);
    await kit.adjust(v.id, -14, 'damage');
    expect(await kit.alerts(v.id)).toHaveLength(0);
    await kit.adjust(v.id, -1, 'damage');
    expect((await kit.alerts(v.id)).map((r) => (r.payload as { available: number }).available)).toEqual([5]);
    await kit.adjust(v.id, -2, 'damage');
    expect(await kit.alerts(v.id)).toHaveLength(1);

    const w = await kit.variant(20, 5);
    await app.request
      .post('/api/v1/admin/inventory/counts')
      .set(kit.staff)
      .send({ variantId: w.id, counted: 2 })
      .expect(201);
    expect((await kit.alerts(w.id)).map((r) => (r.payload as { available: number }).available)).toEqual([2]);
  });

  it('threshold 0 alerts when the last unit is taken, not before', async () => {
    const v = await kit.variant(3, 0);
    await kit.buy(v.id, 2);
    expect(await kit.alerts(v.id)).toHaveLength(0);
    await kit.buy(v.id, 1);
    const rows = await kit.alerts(v.id);
    expect(rows.map((r) => r.payload)).toEqual([expect.objectContaining({ available: 0, threshold: 0 })]);
    const [mail] = await kit.sent(v.sku);
    expect(mail!.subject).toContain('sold out');
  });

  it('a product created at or below its threshold does not alert (nothing crossed)', async () => {
    const low = await kit.variant(3, 5);
    const empty = await kit.variant(0, 5);
    expect(await kit.alerts(low.id)).toHaveLength(0);
    expect(await kit.alerts(empty.id)).toHaveLength(0);
  });

  it('a checkout that rolls back (another line short) leaves no alert behind', async () => {
    const crossing = await kit.variant(6, 5);
    const short = await kit.variant(2, 0);
    const cart = await kit.guestCart([
      [crossing.id, 2],
      [short.id, 2],
    ]);
    await kit.adjust(short.id, -1, 'damage');
    const res = await kit.checkoutCart(cart);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('out_of_stock');
    expect(await kit.alerts(crossing.id)).toHaveLength(0);
    await kit.buy(crossing.id, 2);
    expect(await kit.alerts(crossing.id)).toHaveLength(1);
  });

  it('simultaneous checkouts across the threshold alert exactly once', async () => {
    const v = await kit.variant(12, 5);
    const results = await Promise.all(Array.from({ length: 10 }, () => kit.checkout([[v.id, 1]])));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const rows = await kit.alerts(v.id);
    expect(rows.map((r) => (r.payload as { available: number }).available)).toEqual([5]);
  });
});

// Last: creating this app sets the process-wide alert settings (see low-stock-alert.ts).
describe(`low-stock alert without STAFF_ALERT_EMAIL (${TEST_DB})`, () => {
  let app: TestApp;
  let kit: Awaited<ReturnType<typeof alertKit>>;
  beforeAll(async () => {
    app = await createTestApp();
    kit = await alertKit(app);
  });
  afterAll(() => app.close());

  it('goes to every active staff and admin user, not to customers or disabled staff', async () => {
    const staff = await userWithRole(app, 'staff');
    const admin = await userWithRole(app, 'admin');
    const disabled = await userWithRole(app, 'staff');
    await kit.db.update(users).set({ disabled: true }).where(eq(users.id, disabled.user.id));
    const customer = await registerCustomer(app);
    const v = await kit.variant(6, 5);
    await kit.adjust(v.id, -1, 'damage');
    const [mail, ...more] = await kit.sent(v.sku);
    expect(more).toHaveLength(0);
    const to = mail!.to.split(', ');
    expect(to).toEqual(expect.arrayContaining([staff.user.email, admin.user.email]));
    expect(to).not.toContain(disabled.user.email);
    expect(to).not.toContain(customer.user.email);
    // The kit's own staff user, the two above, and nobody else.
    expect(to).toHaveLength(3);
  });
});

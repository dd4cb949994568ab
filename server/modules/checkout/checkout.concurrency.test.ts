import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { expireOrders } from '../orders/expiry.js';
import { applyPaymentEvent } from '../orders/payment-events.js';
import { address, checkoutKit } from './checkout.testkit.js';

// Real concurrency needs real connections: PGlite has one, so these run on Postgres only.
describe.skipIf(TEST_DB !== 'postgres')('checkout under concurrency (postgres)', { timeout: 120_000 }, () => {
  let app: TestApp;
  let kit: Awaited<ReturnType<typeof checkoutKit>>;
  beforeAll(async () => {
    app = await createTestApp();
    kit = await checkoutKit(app);
  });
  afterAll(() => app?.close());

  it('200 concurrent checkouts of a variant with 20 in stock: exactly 20 orders, stock never below 0', async () => {
    const p = await kit.product({ stock: [20] });
    const variant = p.variants[0]!;
    const carts = [];
    for (let i = 0; i < 200; i++) carts.push(await kit.guestCartWith([[variant, 1]]));
    const before = await kit.orderCount();
    const results = await Promise.all(
      carts.map((c, i) => kit.checkout(c.headers, { email: `buyer${i}@example.com`, shippingAddress: address() })),
    );
    const byStatus = results.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus).toEqual({ 201: 20, 409: 180 });
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('out_of_stock');
    expect(await kit.orderCount()).toBe(before + 20);
    expect(await kit.level(variant)).toEqual({ on_hand: 20, reserved: 20 });
    const ledger = await kit.ledger(variant);
    expect({ on_hand: ledger.on_hand, reserved: ledger.reserved }).toEqual({ on_hand: 20, reserved: 20 });
    expect(ledger.kinds!.filter((k) => k === 'reservation')).toHaveLength(20);
    const view = await app.request.get(`/api/v1/products/${p.slug}`).expect(200);
    expect(JSON.stringify(view.body)).toMatch(/"availableQuantity":0|"inStock":false/);
  });

  it('two sweepers at once release each expired order exactly once', async () => {
    const p = await kit.product({ stock: [30] });
    const variant = p.variants[0]!;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await kit.guestCartWith([[variant, 2]]);
      const r = await kit
        .checkout(c.headers, { email: `late${i}@example.com`, shippingAddress: address() })
        .expect(201);
      ids.push(r.body.order.id);
    }
    for (const id of ids) await kit.lapse(id);
    const { db, config } = app.nexus.ctx;
    const [a, b] = await Promise.all([expireOrders(db, config), expireOrders(db, config)]);
    expect(a + b).toBe(10);
    expect(await kit.level(variant)).toEqual({ on_hand: 30, reserved: 0 });
    const releases = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from stock_movements where variant_id = ${variant}::uuid and kind = 'release'`,
    );
    expect(releases[0]!.n).toBe(10);
  });

  it('5 concurrent successes for one order: one transition, one sale, one confirmation', async () => {
    const p = await kit.product({ stock: [5] });
    const c = await kit.guestCartWith([[p.variants[0]!, 2]]);
    const r = await kit.checkout(c.headers, { email: 'dup@example.com', shippingAddress: address() }).expect(201);
    const order = r.body.order as { id: string; number: string; totalCents: number };
    const { db, config } = app.nexus.ctx;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction((tx) =>
          applyPaymentEvent(config, tx, {
            id: `evt_dup_${i}`,
            provider: 'test',
            type: 'payment.succeeded',
            orderId: order.id,
            paymentId: `pay_${order.id}`,
            amountCents: order.totalCents,
            currency: 'USD',
          }),
        ),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'ignored', 'ignored', 'ignored', 'ignored']);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 3, reserved: 0 });
    await app.flushOutbox();
    expect(app.mail.sent.filter((m) => m.subject === `Order ${order.number} confirmed`)).toHaveLength(1);
  });

  it('expiry racing a late success ends consistent: paid with stock sold, or cancelled and refunded', async () => {
    const p = await kit.product({ stock: [4] });
    const variant = p.variants[0]!;
    const c = await kit.guestCartWith([[variant, 2]]);
    const r = await kit.checkout(c.headers, { email: 'race@example.com', shippingAddress: address() }).expect(201);
    const order = r.body.order as { id: string; totalCents: number };
    await kit.lapse(order.id);
    const { db, config } = app.nexus.ctx;
    const [, outcome] = await Promise.all([
      expireOrders(db, config),
      db.transaction((tx) =>
        applyPaymentEvent(config, tx, {
          id: 'evt_race',
          provider: 'test',
          type: 'payment.succeeded',
          orderId: order.id,
          paymentId: `pay_${order.id}`,
          amountCents: order.totalCents,
          currency: 'USD',
        }),
      ),
    ]);
    expect(outcome.outcome).toBe('applied');
    // The stock is still there, so either order of events ends paid.
    expect((await kit.orderRow(order.id)).status).toBe('paid');
    expect(await kit.level(variant)).toEqual({ on_hand: 2, reserved: 0 });
    const ledger = await kit.ledger(variant);
    expect({ on_hand: ledger.on_hand, reserved: ledger.reserved }).toEqual({ on_hand: 2, reserved: 0 });
  });
});

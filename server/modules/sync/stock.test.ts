import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/api/orders.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, markPaid } from '../checkout/checkout.testkit.js';
import { syncKit } from './sync.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;

beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
  sync = await syncKit(app);
});
afterAll(() => app.close());

const oversells = (variantId: string) =>
  queryRows<{ level: number; resolved_at: string | null }>(
    app.nexus.ctx.db,
    sql`select level, resolved_at from stock_oversells where variant_id = ${variantId}::uuid`,
  );

describe(`sync stock (${TEST_DB})`, () => {
  it('scenario 4: two offline sales and a storefront sale all count; the level goes below zero and is flagged', async () => {
    const p = await kit.product({ stock: [4] });
    const v = p.variants[0]!;
    const guest = await kit.guestCartWith([[v, 1]]);
    const res = await kit
      .checkout(guest.headers, { email: 'shop@example.com', shippingAddress: address() })
      .expect(201);
    const order = res.body.order as Order;
    const [a, b] = [await sync.device(), await sync.device()];
    const answers = await Promise.all([
      sync.push(a, [sync.mutation(a, 'stock.adjust', { variantId: v, delta: -3, reason: 'sale' })]),
      sync.push(b, [sync.mutation(b, 'stock.adjust', { variantId: v, delta: -2, reason: 'sale' })]),
    ]);
    expect(answers.map((x) => x.results[0]!.status)).toEqual(['applied', 'applied']);
    await markPaid(app, order);
    expect(await kit.level(v)).toEqual({ on_hand: -2, reserved: 0 });
    const ledger = await kit.ledger(v);
    expect({ on_hand: ledger.on_hand, reserved: ledger.reserved }).toEqual({ on_hand: -2, reserved: 0 });
    expect(ledger.kinds!.filter((k) => k === 'sale')).toHaveLength(3);
    const flagged = await oversells(v);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.level).toBeLessThan(0);
    expect(flagged[0]!.resolved_at).toBeNull();

    const { changes } = await sync.pullAll(a);
    const oversell = changes.find((c) => c.table === 'stock_oversells' && c.row!.variantId === v);
    expect(oversell?.row).toMatchObject({ variantId: v, resolvedAt: null });
    expect(changes.find((c) => c.table === 'stock_levels' && c.row!.variantId === v)?.row).toMatchObject({
      onHand: -2,
    });
  });

  it('a stocktake with what the counter saw keeps sales made since; one without sets the level', async () => {
    const p = await kit.product({ stock: [6] });
    const v = p.variants[0]!;
    const d = await sync.device();
    await sync.push(d, [sync.mutation(d, 'stock.count', { variantId: v, counted: 10, expected: 4 })]);
    expect(await kit.level(v)).toEqual({ on_hand: 12, reserved: 0 });
    await sync.push(d, [sync.mutation(d, 'stock.count', { variantId: v, counted: 3 })]);
    expect(await kit.level(v)).toEqual({ on_hand: 3, reserved: 0 });
    expect(await oversells(v)).toEqual([]);
  });

  it('lists open oversells; resolving one records who and syncs down', async () => {
    const p = await kit.product({ stock: [1] });
    const v = p.variants[0]!;
    const d = await sync.device();
    const { cursor } = await sync.pullAll(d);
    await sync.push(d, [sync.mutation(d, 'stock.adjust', { variantId: v, delta: -3, reason: 'sale' })]);
    const open = await app.request.get('/api/v1/sync/oversells').set(d.auth).expect(200);
    const item = (open.body.items as { id: string; variantId: string; level: number }[]).find(
      (o) => o.variantId === v,
    )!;
    expect(item.level).toBe(-2);
    const done = await app.request.post(`/api/v1/sync/oversells/${item.id}/resolve`).set(d.auth).expect(200);
    expect(done.body).toMatchObject({ resolvedBy: d.userId, resolvedAt: expect.any(String) });
    await app.request.post(`/api/v1/sync/oversells/${item.id}/resolve`).set(d.auth).expect(409);
    await app.request.post(`/api/v1/sync/oversells/${v}/resolve`).set(d.auth).expect(404);
    const { changes } = await sync.pullAll(d, cursor);
    expect(changes.find((c) => c.id === item.id)?.row).toMatchObject({ resolvedBy: d.userId });
    // Going further below zero while resolved opens a new one only from zero or above.
    await sync.push(d, [sync.mutation(d, 'stock.adjust', { variantId: v, delta: 5, reason: 'received' })]);
    await sync.push(d, [sync.mutation(d, 'stock.adjust', { variantId: v, delta: -4, reason: 'sale' })]);
    expect((await oversells(v)).filter((o) => o.resolved_at === null)).toEqual([{ level: -1, resolved_at: null }]);
  });
});

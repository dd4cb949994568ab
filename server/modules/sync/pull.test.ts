import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNCED_TABLES, type Change } from '../../../shared/sync/protocol.js';
import { productImages, stockLocations, stockMovements } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { address, checkoutKit } from '../checkout/checkout.testkit.js';
import { member, postReview, review } from '../reviews/reviews.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;
let device: TestDevice;
let productId: string;
let deletedCategoryId: string;

const key = (c: Change) => `${c.table}:${c.id}`;

beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
  sync = await syncKit(app);
  device = await sync.device();
  const db = app.nexus.ctx.db;
  const products = [];
  for (let i = 0; i < 3; i++) products.push(await kit.product({ stock: [5, 3] }));
  productId = products[0]!.id;
  await db.insert(productImages).values({
    productId,
    storageKey: 'k/1.jpg',
    url: '/media/k/1.jpg',
    width: 10,
    height: 10,
    mimeType: 'image/jpeg',
    bytes: 100,
  });
  const cat = await app.request.post('/api/v1/admin/categories').set(kit.staff).send({ name: 'Gone soon' }).expect(201);
  deletedCategoryId = cat.body.id;
  await app.request.post('/api/v1/admin/categories').set(kit.staff).send({ name: 'Staying' }).expect(201);
  await app.request.delete(`/api/v1/admin/categories/${deletedCategoryId}`).set(kit.staff).expect(204);
  const shopper = await member(app);
  await kit.add(shopper.auth, products[1]!.variants[0]!, 1).expect(200);
  await kit.checkout(shopper.auth, { shippingAddress: address() }).expect(201);
  await postReview(app, productId, shopper.auth, review()).expect(201);
});
afterAll(() => app.close());

describe(`sync pull (${TEST_DB})`, () => {
  it('a first download in pages covers every synced table, with tombstones, without duplicates or secrets', async () => {
    const { changes, pages } = await sync.pullAll(device, undefined, 7);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages.slice(0, -1)) {
      expect(page.changes).toHaveLength(7);
      expect(page.hasMore).toBe(true);
    }
    expect(pages[0]!.remaining).toBe(changes.length - 7);
    expect(pages[1]!.remaining).toBeUndefined();
    expect(pages.at(-1)!.hasMore).toBe(false);
    expect(new Set(changes.map(key)).size).toBe(changes.length);
    const [logged] = await queryRows<{ n: number }>(app.nexus.ctx.db, sql`select count(*)::int as n from sync_log`);
    expect(changes).toHaveLength(logged!.n);
    const tables = new Set(changes.map((c) => c.table));
    for (const t of SYNCED_TABLES.filter((t) => t !== 'stock_oversells')) expect(tables, t).toContain(t);
    expect(changes.find((c) => c.id === deletedCategoryId)).toMatchObject({ table: 'categories', op: 'delete' });
    expect(changes.find((c) => c.id === deletedCategoryId)!.row).toBeUndefined();
    const product = changes.find((c) => c.table === 'products' && c.id === productId)!;
    expect(product.row).toMatchObject({ id: productId, status: 'active', categoryIds: [] });
    expect(product.version).toBe(product.row!.version);
    const order = changes.find((c) => c.table === 'orders')!;
    expect(order.row).toMatchObject({ status: 'pending_payment', email: expect.any(String) });
    const customer = changes.find((c) => c.table === 'customers')!;
    expect(Object.keys(customer.row!).sort()).toEqual(['createdAt', 'disabled', 'email', 'id', 'name']);
    const text = JSON.stringify(changes);
    for (const secret of [
      'passwordHash',
      'password_hash',
      'accessTokenHash',
      'paymentIntentId',
      'clientSecret',
      'searchDocument',
    ]) {
      expect(text).not.toContain(secret);
    }
    // Positions only grow along the feed (one transaction's changes come in version order).
    const users = changes.filter((c) => c.table === 'customers');
    expect(users.every((c) => c.op === 'upsert')).toBe(true);
  });

  it('resumes from a saved cursor exactly where it stopped, and then serves only new changes', async () => {
    const first = await sync.pullAll(device, undefined, 5);
    const saved = first.pages[1]!.cursor;
    const resumed = await sync.pullAll(device, saved, 5);
    expect(resumed.changes).toEqual(first.changes.slice(10));
    expect(resumed.pages.at(-1)!.hasMore).toBe(false);

    // Caught up: the cursor sits at the horizon, so nothing comes again.
    const empty = await sync.pull(device, first.cursor);
    expect(empty).toMatchObject({ changes: [], hasMore: false });

    await app.request.patch(`/api/v1/admin/products/${productId}`).set(kit.staff).send({ name: 'Renamed' }).expect(200);
    const next = await sync.pull(device, first.cursor);
    expect(next.changes.map((c) => [c.table, c.id, c.row?.name])).toEqual([['products', productId, 'Renamed']]);
    expect(next.hasMore).toBe(false);
  });

  it('answers lastMutationSeq and the epoch', async () => {
    const page = await sync.pull(device);
    expect(page.lastMutationSeq).toBe(0);
    expect(page.epoch).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses bad requests clearly', async () => {
    await sync.pullRaw(device, { protocolVersion: 99 }).expect(426);
    const bad = await sync.pullRaw(device, { protocolVersion: 99 });
    expect(bad.body.code).toBe('unsupported_protocol_version');
    expect(bad.body.detail).toContain('1');
    expect((await sync.pullRaw(device, { cursor: 'not-a-cursor' })).status).toBe(422);
    expect((await sync.pullRaw(device, { limit: 0 })).status).toBe(422);
    expect((await sync.pullRaw(device, { extra: 1 })).status).toBe(422);
    const other = await userWithRole(app, 'staff');
    const res = await app.request
      .get('/api/v1/sync/pull')
      .set(other.auth)
      .query({ clientId: device.clientId, protocolVersion: 1 });
    expect([res.status, res.body.code]).toEqual([403, 'unknown_device']);
    const customer = await userWithRole(app, 'customer');
    await app.request
      .get('/api/v1/sync/pull')
      .set(customer.auth)
      .query({ clientId: device.clientId, protocolVersion: 1 })
      .expect(403);
    await app.request.get('/api/v1/sync/pull').query({ clientId: device.clientId, protocolVersion: 1 }).expect(401);
  });

  it('a first download skips ledger movements older than 30 days; later pulls carry every new one', async () => {
    const p = await kit.product({ stock: [2] });
    const v = p.variants[0]!;
    const [old] = await app.nexus.ctx.db
      .insert(stockMovements)
      .values({
        variantId: v,
        locationId: (await app.nexus.ctx.db.select().from(stockLocations))[0]!.id,
        kind: 'adjustment',
        onHandDelta: 1,
        reason: 'adjustment',
        onHandAfter: 3,
        createdAt: new Date(Date.now() - 40 * 24 * 3600 * 1000),
      })
      .returning();
    const fresh = await sync.device();
    const first = await sync.pullAll(fresh, undefined, 4);
    const movements = first.changes.filter((c) => c.table === 'stock_movements').map((c) => c.id);
    expect(movements).not.toContain(old!.id);
    expect(first.changes.filter((c) => c.table === 'stock_movements' && c.row!.variantId === v)).toHaveLength(1);
    await app.request
      .post('/api/v1/admin/inventory/adjustments')
      .set(kit.staff)
      .send({ variantId: v, delta: 1, reason: 'received' })
      .expect(201);
    const next = await sync.pullAll(fresh, first.cursor);
    expect(next.changes.filter((c) => c.table === 'stock_movements')).toHaveLength(1);
  });
});

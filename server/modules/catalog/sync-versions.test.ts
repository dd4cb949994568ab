import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { categories, products, stockLevels, syncTombstones, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { refreshProducts } from './derived.js';

type Body = Record<string, unknown>;
let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
});
afterAll(() => app.close());

const db = () => app.nexus.ctx.db;
const post = async (path: string, body: Body) =>
  (await app.request.post(`/api/v1/admin${path}`).set(staff).send(body).expect(201)).body;
const shirt = (overrides: Body = {}) =>
  post('/products', {
    name: 'Versioned shirt',
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: [
      { sku: `V-${newId()}`, optionValues: { Size: 'S' }, priceCents: 100 },
      { sku: `V-${newId()}`, optionValues: { Size: 'M' }, priceCents: 200 },
    ],
    ...overrides,
  });
const adjust = (variantId: string, delta: number) =>
  post('/inventory/adjustments', { variantId, delta, reason: delta > 0 ? 'received' : 'damage' });
const productVersion = async (id: string) =>
  (await db().select({ v: products.version }).from(products).where(eq(products.id, id)))[0]!.v;
const variantVersions = async (productId: string) =>
  (await db().select().from(variants).where(eq(variants.productId, productId))).map((v) => v.version).sort();
const levelVersion = async (variantId: string) =>
  (await db().select({ v: stockLevels.version }).from(stockLevels).where(eq(stockLevels.variantId, variantId)))[0]!.v;
/** The highest change position anywhere: rows of every synced table, tombstones, and the sync log (movements). */
const maxVersion = async () =>
  (
    await queryRows<{ v: number }>(
      db(),
      sql`select max(v)::int as v from (
        select max(version) as v from categories union all select max(version) from products
        union all select max(version) from variants union all select max(version) from product_images
        union all select max(version) from stock_locations union all select max(version) from stock_levels
        union all select max(version) from sync_tombstones union all select max(version) from sync_log) t`,
    )
  )[0]!.v;
const tombstone = async (table: string, rowId: string) =>
  (
    await db()
      .select()
      .from(syncTombstones)
      .where(sql`${syncTombstones.tableName} = ${table} and ${syncTombstones.rowId} = ${rowId}`)
  )[0];

describe(`sync versions (${TEST_DB})`, () => {
  it('gives every insert a fresh position from the global sequence, increasing in write order', async () => {
    const start = await maxVersion();
    const cat = await post('/categories', { name: 'Versioned' });
    const p = await shirt({ categoryIds: [cat.id] });
    await adjust(p.variants[0].id, 2);
    const level = await levelVersion(p.variants[0].id);
    const [v1, v2] = await variantVersions(p.id);
    // Product row first, then its variants, then stock (refreshProducts does not bump the product).
    const order = [start, cat.version, p.version, v1, v2, level];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(p.variants.map((v: Body) => v.version).sort()).toEqual([v1, v2]);
    const [seq] = await queryRows<{ v: number }>(db(), sql`select last_value::int as v from sync_change_seq`);
    expect(seq!.v).toBe(await maxVersion());
  });

  it('bumps a row when a synced column changes, and not when nothing or only updated_at changes', async () => {
    const cat = await post('/categories', { name: 'Bump me' });
    const p = await shirt();
    const before = await maxVersion();
    await app.request.patch(`/api/v1/admin/categories/${cat.id}`).set(staff).send({ name: 'Bumped' }).expect(200);
    const [row] = await db().select().from(categories).where(eq(categories.id, cat.id));
    expect(row!.version).toBeGreaterThan(before);
    // A no-op write is not an edit: the back-office must not pull (or conflict on) unchanged rows.
    await db().execute(sql`update categories set name = name, updated_at = now() where id = ${cat.id}`);
    expect((await db().select().from(categories).where(eq(categories.id, cat.id)))[0]!.version).toBe(row!.version);
    const variantsBefore = await variantVersions(p.id);
    await db().execute(
      sql`update variants set price_cents = price_cents, updated_at = now() where product_id = ${p.id}`,
    );
    expect(await variantVersions(p.id)).toEqual(variantsBefore);
    // Re-sending the same variant list through the API leaves the variants' versions alone.
    const same = p.variants.map((v: Body) => ({
      id: v.id,
      sku: v.sku,
      optionValues: v.optionValues,
      priceCents: v.priceCents,
    }));
    await app.request.patch(`/api/v1/admin/products/${p.id}`).set(staff).send({ variants: same }).expect(200);
    expect(await variantVersions(p.id)).toEqual(variantsBefore);
    expect(await productVersion(p.id)).toBe(p.version);
    same[1].priceCents = 250;
    await app.request.patch(`/api/v1/admin/products/${p.id}`).set(staff).send({ variants: same }).expect(200);
    const after = await variantVersions(p.id);
    expect(after.filter((v) => !variantsBefore.includes(v))).toHaveLength(1);
  });

  it('does not bump products.version for derived columns (stock flag, rating, sales, search, prices)', async () => {
    const p = await shirt();
    const id = p.id as string;
    await adjust(p.variants[0].id, 3);
    await adjust(p.variants[0].id, -3);
    await db().execute(sql`
      update products set in_stock = not in_stock, rating_average = 4.5, rating_count = 12, sales_count = 40,
        search_document = to_tsvector('simple', 'changed'), min_price_cents = 1, max_price_cents = 2,
        updated_at = now()
      where id = ${id}`);
    await db().transaction((tx) => refreshProducts(tx, [id]));
    expect(await productVersion(id)).toBe(p.version);
    const [row] = await db().select().from(products).where(eq(products.id, id));
    expect(row).toMatchObject({ ratingAverage: 4.5, salesCount: 40, minPriceCents: 100 });
    await db().execute(sql`update products set tags = array['new'] where id = ${id}`);
    expect(await productVersion(id)).toBeGreaterThan(p.version);
  });

  it('bumps the stock level with each movement and not for a count that changes nothing', async () => {
    const p = await shirt();
    const variantId = p.variants[0].id as string;
    const seen = [];
    for (const delta of [5, -1, 2]) {
      await adjust(variantId, delta);
      seen.push(await levelVersion(variantId));
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(3);
    expect((await post('/inventory/counts', { variantId, counted: 6 })).movement).toBeNull();
    expect(await levelVersion(variantId)).toBe(seen[2]);
  });

  it('leaves tombstones with a fresh position when variants and products are deleted', async () => {
    const p = await shirt();
    const [keep, drop] = p.variants;
    const before = await maxVersion();
    const res = await app.request
      .patch(`/api/v1/admin/products/${p.id}`)
      .set(staff)
      .send({ variants: [{ id: keep.id, sku: keep.sku, optionValues: keep.optionValues, priceCents: 100 }] })
      .expect(200);
    expect(res.body.variants).toHaveLength(1);
    const dropped = await tombstone('variants', drop.id);
    expect(dropped!.version).toBeGreaterThan(before);

    await adjust(keep.id, 4);
    const [level] = await db().select().from(stockLevels).where(eq(stockLevels.variantId, keep.id));
    const beforeDelete = await maxVersion();
    await db().delete(products).where(eq(products.id, p.id));
    const stones = await Promise.all([
      tombstone('products', p.id),
      tombstone('variants', keep.id),
      tombstone('stock_levels', level!.id),
    ]);
    for (const stone of stones) expect(stone!.version).toBeGreaterThan(beforeDelete);
    expect(new Set(stones.map((s) => s!.version)).size).toBe(3);
    expect(await maxVersion()).toBe(Math.max(...stones.map((s) => s!.version)));

    const cat = await post('/categories', { name: 'Short-lived' });
    await app.request.delete(`/api/v1/admin/categories/${cat.id}`).set(staff).expect(204);
    expect((await tombstone('categories', cat.id))!.version).toBeGreaterThan(cat.version);
  });
});

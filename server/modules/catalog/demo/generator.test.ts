import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, stockLevels, stockMovements, variants } from '../../../db/schema/index.js';
import { queryRows } from '../../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../../test/harness.js';
import { checkVariants } from '../options.js';
import { seedDemoCatalogIfEmpty } from './demo.js';

// Fewer than the 200 of a real first start: each one renders and stores a picture.
const DEMO_PRODUCTS = 40;
import { seedCatalog, seededRandom } from './generator.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe(`demo catalog generator (${TEST_DB})`, () => {
  it('seeds the demo catalog on an empty database once, and never again', async () => {
    const progress: number[] = [];
    expect(await seedDemoCatalogIfEmpty(app.nexus.ctx, DEMO_PRODUCTS)).toBe(DEMO_PRODUCTS);
    const [first] = await app.nexus.ctx.db.select({ n: count() }).from(products);
    expect(first!.n).toBe(DEMO_PRODUCTS);
    expect(await seedDemoCatalogIfEmpty(app.nexus.ctx, DEMO_PRODUCTS)).toBe(0);
    const [again] = await app.nexus.ctx.db.select({ n: count() }).from(products);
    expect(again!.n).toBe(DEMO_PRODUCTS);

    // Every demo product has a generated picture, stored through the media store.
    const [images] = await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select count(distinct product_id)::int as n from product_images`,
    );
    expect(images!.n).toBe(DEMO_PRODUCTS);
    const product = (await app.request.get('/api/v1/products?limit=1').expect(200)).body.items[0];
    const picture = await app.request.get(product.images[0].url.replace(/^https?:\/\/[^/]+/, '')).expect(200);
    expect(picture.headers['content-type']).toMatch(/^image\//);

    // More products can be added beside it (npm run seed on a seeded database): slugs stay unique.
    await seedCatalog(app.nexus.ctx.db, {
      products: 150,
      seed: 2026,
      batchSize: 40,
      onProgress: (d) => progress.push(d),
    });
    expect(progress).toEqual([40, 80, 120, 150]);
    const [dupes] = await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select count(*)::int as n from (select slug from products group by slug having count(*) > 1) d`,
    );
    expect(dupes!.n).toBe(0);
  });

  it('keeps every invariant the services keep', async () => {
    const db = app.nexus.ctx.db;
    const rows = await db.select().from(products);
    expect(rows.length).toBe(DEMO_PRODUCTS + 150);
    expect(rows.filter((p) => p.status === 'active').length).toBeGreaterThan(rows.length * 0.75);
    for (const p of rows) {
      expect(p.version).toBeGreaterThan(0);
      expect(p.searchDocument).toBeTruthy();
      expect(p.minPriceCents).toBeGreaterThan(0);
      const vs = await db.select().from(variants).where(eq(variants.productId, p.id));
      expect(vs.length).toBeGreaterThan(0);
      expect(checkVariants(p.options, vs)).toEqual([]);
      expect(p.minPriceCents).toBe(Math.min(...vs.map((v) => v.priceCents)));
    }
    // Stock levels equal the ledger, and the in-stock flag matches them.
    const mismatches = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${stockLevels} l
          left join (select variant_id, sum(on_hand_delta) as s from ${stockMovements} group by variant_id) m
            on m.variant_id = l.variant_id
          where coalesce(m.s, 0) <> l.on_hand`,
    );
    expect(mismatches[0]!.n).toBe(0);
    const wrongFlags = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${products} p where p.in_stock <> exists (
            select 1 from ${stockLevels} l join ${variants} v on v.id = l.variant_id
            where v.product_id = p.id and l.on_hand - l.reserved > 0)`,
    );
    expect(wrongFlags[0]!.n).toBe(0);
    const [movements] = await db.select({ n: count() }).from(stockMovements);
    expect(movements!.n).toBeGreaterThan(DEMO_PRODUCTS);
  });

  it('makes the same names from the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

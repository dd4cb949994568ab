/**
 * The shopper's product view is built in SQL (one statement) and the staff view in TypeScript:
 * these tests hold the two to the same figures, so neither can drift.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productSchema, type AdminProduct } from '../../../shared/api/catalog.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { loadProducts, loadPublicProduct } from './product-view.js';

let app: TestApp;
let staff: Record<string, string>;
const db = () => app.nexus.ctx.db;

async function createProduct(body: Record<string, unknown>): Promise<AdminProduct> {
  return (await app.request.post('/api/v1/admin/products').set(staff).send(body).expect(201)).body as AdminProduct;
}

/** The staff view reduced to what shoppers may see. */
function publicPart(p: AdminProduct) {
  return productSchema.parse(p);
}

let full: AdminProduct;
let bare: AdminProduct;

beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
  full = await createProduct({
    name: 'Wool Scarf «Nordlys» 北',
    description: 'Warm.\nSoft "quotes" and \\ backslash',
    status: 'active',
    tags: ['wool', 'winter'],
    options: [{ name: 'Colour', values: ['Red', 'Blue'] }],
    variants: [
      {
        sku: 'SCARF-B',
        priceCents: 2500,
        compareAtPriceCents: 3000,
        optionValues: { Colour: 'Blue' },
        initialStock: 3,
      },
      { sku: 'SCARF-R', priceCents: 2400, optionValues: { Colour: 'Red' }, initialStock: 0 },
    ],
  });
  bare = await createProduct({ name: 'Gift Card', status: 'active', variants: [{ sku: 'GIFT-1', priceCents: 1000 }] });
  // A second location with stock, a reservation bigger than what is left, and two images out of insertion order.
  const [location] = await queryRows<{ id: string }>(
    db(),
    sql`insert into stock_locations (id, code, name, is_default)
      values (gen_random_uuid(), 'WH2', 'Warehouse 2', false) returning id`,
  );
  const blue = full.variants.find((v) => v.sku === 'SCARF-B')!;
  const red = full.variants.find((v) => v.sku === 'SCARF-R')!;
  await db().execute(sql`insert into stock_levels (id, variant_id, location_id, on_hand, reserved)
    values (gen_random_uuid(), ${blue.id}::uuid, ${location!.id}::uuid, 4, 1),
           (gen_random_uuid(), ${red.id}::uuid, ${location!.id}::uuid, 1, 5)`);
  await db()
    .execute(sql`insert into product_images (id, product_id, storage_key, url, alt, width, height, mime_type, bytes, position)
    values (gen_random_uuid(), ${full.id}::uuid, 'k2', '/media/k2.webp', 'Second', 800, 600, 'image/webp', 10, 2),
           (gen_random_uuid(), ${full.id}::uuid, 'k1', '/media/k1.webp', '', 400, 400, 'image/webp', 10, 1)`);
}, 60_000);
afterAll(() => app.close());

describe(`public product view (${TEST_DB})`, () => {
  it('equals the staff view minus staff fields: variants, stock over locations, images, dates, Unicode', async () => {
    const [admin] = await loadProducts(db(), [full.id], 'admin');
    const [shopper] = await loadProducts(db(), [full.id], 'public');
    expect(shopper).toEqual(publicPart(admin!));
    // The figures themselves: 3 + 4 - 1 for blue; 0 + 1 - 5 is never negative for red.
    expect(shopper!.variants.map((v) => [v.sku, v.available, v.inStock])).toEqual([
      ['SCARF-B', 6, true],
      ['SCARF-R', 0, false],
    ]);
    expect(shopper!.images.map((i) => i.alt)).toEqual(['', 'Second']);
    expect(shopper!.name).toBe('Wool Scarf «Nordlys» 北');
    expect(shopper!.createdAt).toBe(admin!.createdAt);
    expect(shopper).not.toHaveProperty('variants.0.costCents');
  });

  it('keeps the order asked for, skips unknown ids, and handles a product without images or stock', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    const list = await loadProducts(db(), [bare.id, missing, full.id], 'public');
    expect(list.map((p) => p.id)).toEqual([bare.id, full.id]);
    expect(list[0]!.images).toEqual([]);
    expect(list[0]!.variants[0]!.available).toBe(0);
    expect(list[0]).toEqual(publicPart((await loadProducts(db(), [bare.id], 'admin'))[0]!));
    expect(await loadProducts(db(), [], 'public')).toEqual([]);
  });

  it('finds one active product by id or slug (any case), and never a draft', async () => {
    expect((await loadPublicProduct(db(), full.id))?.id).toBe(full.id);
    expect((await loadPublicProduct(db(), full.slug.toUpperCase()))?.id).toBe(full.id);
    const draft = await createProduct({ name: 'Secret', variants: [{ sku: 'SECRET-1', priceCents: 100 }] });
    expect(await loadPublicProduct(db(), draft.slug)).toBeUndefined();
    expect(await loadPublicProduct(db(), draft.id)).toBeUndefined();
  });
});

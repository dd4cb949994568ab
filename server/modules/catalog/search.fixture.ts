/**
 * A small catalog for the search tests, created through the admin API as staff would: a
 * category tree, active products with prices, stock, tags and descriptions, one draft and one
 * archived product, and ratings and sales set directly (other features own those).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { productListSchema } from '../../../shared/api/catalog.schemas.js';
import { userWithRole, type TestApp } from '../../test/harness.js';

type Headers = Record<string, string>;
/** Ids by seed key and category slug. */
export const ids: Record<string, string> = {};

interface ProductSeed {
  key: string;
  name: string;
  skus: [string, number][];
  category?: string;
  description?: string;
  tags?: string[];
  stock?: number;
  status?: 'draft' | 'active';
}

async function category(app: TestApp, staff: Headers, name: string, slug: string, parent?: string) {
  const res = await app.request
    .post('/api/v1/admin/categories')
    .set(staff)
    .send({ name, slug, ...(parent ? { parentId: ids[parent] } : {}) })
    .expect(201);
  ids[slug] = (res.body as { id: string }).id;
}

async function product(app: TestApp, staff: Headers, p: ProductSeed) {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: p.name,
      status: p.status ?? 'active',
      description: p.description ?? '',
      tags: p.tags ?? [],
      categoryIds: p.category ? [ids[p.category]] : [],
      // Several variants need an option to tell them apart: Size 1, 2, ...
      options: p.skus.length > 1 ? [{ name: 'Size', values: p.skus.map((_, i) => String(i + 1)) }] : [],
      variants: p.skus.map(([sku, priceCents], i) => ({
        sku,
        priceCents,
        ...(i === 0 && p.stock ? { initialStock: p.stock } : {}),
        optionValues: p.skus.length > 1 ? { Size: String(i + 1) } : {},
      })),
    })
    .expect(201);
  ids[p.key] = (res.body as { id: string }).id;
}

export async function seedSearchCatalog(app: TestApp): Promise<void> {
  const staff = (await userWithRole(app, 'staff')).auth;
  await category(app, staff, 'Drinks', 'drinks');
  await category(app, staff, 'Coffee', 'coffee', 'drinks');
  await category(app, staff, 'Tea', 'tea', 'drinks');
  await category(app, staff, 'Apparel', 'apparel');
  await category(app, staff, 'Shirts', 'shirts', 'apparel');
  await category(app, staff, 'Empty', 'empty');
  const seeds: ProductSeed[] = [
    // Mentions coffee twice, only in its description, and is created first: it must still rank
    // below a product named after coffee.
    {
      key: 'grinder',
      name: 'Burr Grinder',
      skus: [['GRD-1', 5000]],
      description: 'Grinds coffee beans for coffee lovers.',
    },
    {
      key: 'beans',
      name: 'Coffee Beans Dark Roast',
      skus: [['COF-DARK-1', 1500]],
      category: 'coffee',
      description: 'Rich beans from Colombia.',
      tags: ['roasted'],
      stock: 10,
    },
    {
      key: 'espresso',
      name: 'Espresso Machine',
      skus: [['MCH-100', 25000]],
      category: 'drinks',
      description: 'Makes great coffee at home.',
    },
    {
      key: 'green',
      name: 'Green Tea Leaves',
      skus: [['TEA-GRN', 800]],
      category: 'tea',
      description: 'Sencha',
      tags: ['organic'],
      stock: 5,
    },
    {
      key: 'shirt',
      name: 'T-Shirt Classic',
      skus: [
        ['TSH-RED-M', 2000],
        ['TSH-RED-L', 2400],
      ],
      category: 'shirts',
      description: 'Cotton tee',
      stock: 3,
    },
    { key: 'mug', name: 'Café Crème Mug 日本', skus: [['MUG-1', 1200]], description: 'Porcelain', stock: 2 },
    { key: 'herbal', name: 'Herbal Infusion', skus: [['HERB-1', 900]], category: 'tea', description: 'Calm' },
    {
      key: 'draft',
      name: 'Coffee Secret Draft',
      skus: [['DRAFT-1', 100]],
      category: 'coffee',
      status: 'draft',
      stock: 5,
    },
    { key: 'archived', name: 'Coffee Old Archived', skus: [['ARCH-1', 700]], category: 'coffee', stock: 5 },
  ];
  for (const seed of seeds) await product(app, staff, seed);
  await app.request.delete(`/api/v1/admin/products/${ids.archived}`).set(staff).expect(200);
  // Ratings and sales come from other features; set the derived columns directly.
  const derived: [string, number, number, number][] = [
    ['beans', 4.5, 10, 40],
    ['green', 4.5, 30, 5],
    ['shirt', 3.9, 8, 100],
    ['mug', 2.0, 1, 0],
  ];
  for (const [key, avg, n, sales] of derived) {
    await app.nexus.ctx.db.execute(
      sql`update products set rating_average = ${avg}, rating_count = ${n}, sales_count = ${sales} where id = ${ids[key]!}`,
    );
  }
}

/** The active products, in creation order. */
export const ACTIVE = [
  'Burr Grinder',
  'Coffee Beans Dark Roast',
  'Espresso Machine',
  'Green Tea Leaves',
  'T-Shirt Classic',
  'Café Crème Mug 日本',
  'Herbal Infusion',
];

export type ProductList = z.infer<typeof productListSchema>;
export const searchWith =
  (app: TestApp) =>
  async (query: Record<string, string | number>): Promise<ProductList> =>
    (await app.request.get('/api/v1/products').query(query).expect(200)).body as ProductList;
export const names = (body: { items: { name: string }[] }) => body.items.map((p) => p.name);

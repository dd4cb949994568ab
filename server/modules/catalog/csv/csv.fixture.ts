/** Shared fixtures of the product CSV tests: a catalog that exercises every column, and readers. */
import { parse } from 'csv-parse/sync';
import { count } from 'drizzle-orm';
import type { AdminProduct } from '../../../../shared/api/catalog.schemas.js';
import { products, stockMovements, variants } from '../../../db/schema/index.js';
import type { TestApp } from '../../../test/harness.js';

type Headers = Record<string, string>;

export const DESCRIPTION =
  'Soft cotton, "heavy" weight.\nSecond line — 中文说明 🎉👩‍👩‍👧\r\nעברית والعربية, "quoted, with comma"';

export async function categories(t: TestApp, auth: Headers) {
  const ids: Record<string, string> = {};
  for (const [slug, name] of [
    ['clothing', 'Clothing'],
    ['sale', 'Sale – Soldes'],
  ] as const) {
    const res = await t.request.post('/api/v1/admin/categories').set(auth).send({ name, slug }).expect(201);
    ids[slug] = (res.body as { id: string }).id;
  }
  return ids;
}

export async function seed(t: TestApp, auth: Headers) {
  const cat = await categories(t, auth);
  const create = (body: object) => t.request.post('/api/v1/admin/products').set(auth).send(body).expect(201);
  await create({
    name: 'Tee, "Classic" ✨ 中文 עברית',
    description: DESCRIPTION,
    status: 'active',
    categoryIds: [cat.sale, cat.clothing],
    tags: ['summer', 'a|b pipe', 'back\\slash', 'ünï 🎉'],
    options: [
      { name: 'Size', values: ['S', 'M', 'L'] },
      { name: 'Colour', values: ['Red', 'Blue'] },
    ],
    variants: [
      { sku: 'TEE-S-RED', optionValues: { Size: 'S', Colour: 'Red' }, priceCents: 1 },
      {
        sku: 'TEE-M-RED',
        optionValues: { Size: 'M', Colour: 'Red' },
        priceCents: 1999,
        compareAtPriceCents: 2499,
        costCents: 850,
        barcode: '0012345678905',
        weightGrams: 180,
        lowStockThreshold: 3,
        initialStock: 12,
      },
      { sku: 'TEE-L-BLUE', optionValues: { Size: 'L', Colour: 'Blue' }, priceCents: 99_999_999, initialStock: 4 },
    ],
  });
  await create({
    name: '和風 Tシャツ',
    status: 'draft',
    variants: [{ sku: 'JP-1', priceCents: 1_234_567, currency: 'JPY' }],
  });
  await create({
    name: '=SUM(A1) مرحبا',
    description: '@cmd|x',
    status: 'archived',
    categoryIds: [cat.clothing],
    options: [{ name: 'Material', values: ['Wool'] }],
    variants: [
      {
        sku: '-KW-1',
        optionValues: { Material: 'Wool' },
        priceCents: 1_234_567,
        costCents: 1,
        currency: 'KWD',
        weightGrams: 0,
        initialStock: 1,
      },
    ],
  });
  await create({
    name: 'Quad',
    options: ['Size', 'Colour', 'Material', 'Fit'].map((name) => ({ name, values: ['One'] })),
    variants: [
      { sku: 'QUAD-1', optionValues: { Size: 'One', Colour: 'One', Material: 'One', Fit: 'One' }, priceCents: 500 },
    ],
  });
}

export const exportCsv = async (t: TestApp, auth: Headers, query = '') => {
  const res = await t.request.get(`/api/v1/admin/products/export${query}`).set(auth).buffer(true).expect(200);
  return res.text;
};
export const importCsv = (t: TestApp, auth: Headers, csv: string, dryRun = false) =>
  t.request.post(`/api/v1/admin/products/import?dryRun=${dryRun}`).set(auth).set('Content-Type', 'text/csv').send(csv);
export const records = (csv: string) => parse<Record<string, string>>(csv, { bom: true, columns: true });

export async function adminProducts(t: TestApp, auth: Headers): Promise<AdminProduct[]> {
  const res = await t.request.get('/api/v1/admin/products?limit=100').set(auth).expect(200);
  return (res.body as { items: AdminProduct[] }).items.sort((a, b) => a.slug.localeCompare(b.slug));
}

export async function comparable(t: TestApp, auth: Headers) {
  const res = await t.request.get('/api/v1/admin/categories').set(auth).expect(200);
  const cats = (res.body as { items: { id: string; slug: string }[] }).items;
  const slug = new Map(cats.map((c) => [c.id, c.slug]));
  return (await adminProducts(t, auth)).map(
    ({ id: _i, version: _v, createdAt: _c, updatedAt: _u, categoryIds, variants: vs, ...p }) => ({
      ...p,
      categories: categoryIds.map((id) => slug.get(id)),
      variants: vs.map(({ id: _id, version: _ver, ...v }) => v),
    }),
  );
}

export async function versions(t: TestApp) {
  const db = t.nexus.ctx.db;
  const [p, v, [m]] = await Promise.all([
    db.select({ id: products.id, version: products.version }).from(products),
    db.select({ id: variants.id, version: variants.version }).from(variants),
    db.select({ n: count() }).from(stockMovements),
  ]);
  return {
    products: p.sort((a, b) => a.id.localeCompare(b.id)),
    variants: v.sort((a, b) => a.id.localeCompare(b.id)),
    movements: m!.n,
  };
}

import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, stockMovements, variants } from '../../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../../test/harness.js';
import { columnsFor } from './csv-format.js';
import { CSV_MAX_BYTES, importProductsCsv } from './csv-import.service.js';

type Headers = Record<string, string>;
let app: TestApp;
let staff: Headers;
let takenVariantId: string;

const COLUMNS = columnsFor(3);
const row = (cells: Record<string, string>) => {
  const full: Record<string, string> = { name: 'Product', sku: '', price: '1.00', currency: 'USD', ...cells };
  return COLUMNS.map((c) => full[c] ?? '');
};
const csv = (rows: string[][], columns: string[] = COLUMNS) => stringify([columns, ...rows]);
const importCsv = (body: string, dryRun: boolean, contentType = 'text/csv') =>
  app.request
    .post(`/api/v1/admin/products/import${dryRun ? '?dryRun=true' : ''}`)
    .set(staff)
    .set('Content-Type', contentType)
    .send(body);

async function counts() {
  const db = app.nexus.ctx.db;
  const [[p], [v], [m]] = await Promise.all([
    db.select({ n: count() }).from(products),
    db.select({ n: count() }).from(variants),
    db.select({ n: count() }).from(stockMovements),
  ]);
  return { products: p!.n, variants: v!.n, movements: m!.n };
}

beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
  await app.request
    .post('/api/v1/admin/categories')
    .set(staff)
    .send({ name: 'Clothing', slug: 'clothing' })
    .expect(201);
  const existing = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({ name: 'Existing', slug: 'existing', variants: [{ sku: 'TAKEN-1', priceCents: 100 }] })
    .expect(201);
  takenVariantId = existing.body.variants[0].id;
  await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: 'Stocked',
      slug: 'stocked',
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { sku: 'STK-S', optionValues: { Size: 'S' }, priceCents: 100, initialStock: 5 },
        { sku: 'STK-M', optionValues: { Size: 'M' }, priceCents: 100 },
      ],
    })
    .expect(201);
});
afterAll(() => app.close());

describe(`POST /api/v1/admin/products/import: bad files (${TEST_DB})`, () => {
  it('dry run reports every bad row with its line and column, and applies nothing', async () => {
    const before = await counts();
    const body = csv([
      row({ handle: 'good-1', sku: 'GOOD-1' }), // 2
      row({ handle: 'neg', sku: 'NEG-1', price: '-1.00' }), // 3
      row({ handle: 'dup-a', sku: 'DUP' }), // 4
      row({ handle: 'dup-b', sku: 'DUP' }), // 5
      row({ handle: 'taken', sku: 'TAKEN-1' }), // 6
      row({ handle: 'cat', sku: 'CAT-1', categories: 'clothing|nope' }), // 7
      row({ handle: 'opt', sku: 'OPT-1', option1_name: 'Size', option1_value: 'S' }), // 8
      row({ handle: 'opt', sku: 'OPT-2', option1_name: 'Colour', option1_value: 'Red' }), // 9
      row({ handle: 'noname', sku: 'NONAME-1', name: '' }), // 10
      row({ handle: 'bad-num', sku: 'NUM-1', price: '12,5' }), // 11
      row({ handle: 'bad-status', sku: 'STATUS-1', status: 'published' }), // 12
      row({ handle: 'neg-stock', sku: 'NEGSTOCK-1', stock: '-3' }), // 13
      row({ handle: 'stocked', name: 'Stocked', sku: 'STK-M', option1_name: 'Size', option1_value: 'M' }), // 14
      row({ handle: 'precise', sku: 'PRECISE-1', price: '19.999' }), // 15
      row({ handle: 'thief', sku: 'THIEF-1', variant_id: takenVariantId }), // 16
      row({ handle: 'huge', sku: 'HUGE-1', price: '1234567.89' }), // 17
      row({ handle: 'Not A Slug!', sku: 'SLUG-1' }), // 18
    ]);
    const res = await importCsv(body, true).expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.summary).toMatchObject({ products: 16, variants: 17 });
    const found = (res.body.errors as { line: number; column?: string; message: string }[]).map((e) => [
      e.line,
      e.column ?? null,
      e.message,
    ]);
    expect(found).toEqual([
      [3, 'price', 'must not be negative'],
      [5, 'sku', 'repeats the SKU on line 4'],
      [6, 'sku', 'is already used by another product (existing)'],
      [7, 'categories', 'no category has the slug "nope"'],
      [9, 'option1_name', 'must be "Size" like the product\'s first row'],
      [10, 'name', expect.stringMatching(/>=1 characters/)],
      [11, 'price', expect.stringMatching(/must be a number like 12\.50/)],
      [12, 'status', expect.stringMatching(/draft.*active.*archived/)],
      [13, 'stock', expect.stringMatching(/must not be negative/)],
      [14, null, expect.stringMatching(/stock history cannot be removed/)],
      [15, 'price', 'has more than 2 decimal places (USD)'],
      [16, 'variant_id', 'belongs to another product (existing)'],
      [17, 'price', expect.stringMatching(/100000000/)],
      [18, 'handle', 'must be lowercase words joined by hyphens'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('a real import with one bad row answers 422 with the same list and applies nothing', async () => {
    const before = await counts();
    const body = csv([
      row({ handle: 'fine', sku: 'FINE-1', stock: '5' }),
      row({ handle: 'neg', sku: 'NEG-1', price: '-1' }),
    ]);
    const dry = await importCsv(body, true).expect(200);
    const res = await importCsv(body, false).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringMatching(/nothing was imported/),
    });
    expect(res.body.errors).toEqual([
      { path: 'line.3.price', line: 3, column: 'price', message: 'must not be negative' },
    ]);
    expect(res.body.errors.map(({ path: _p, ...e }: { path: string }) => e)).toEqual(dry.body.errors);
    expect(await counts()).toEqual(before);
    expect((await app.request.get('/api/v1/admin/products?q=fine').set(staff).expect(200)).body.total).toBe(0);
  });

  it('explains empty files, header-only files and bad headers', async () => {
    const empty = await importCsv('', true).expect(200);
    expect(empty.body).toMatchObject({
      ok: false,
      errors: [{ line: 1, message: 'The file is empty: expected a header row' }],
    });
    await importCsv('', false).expect(422);
    const headerOnly = await importCsv(csv([]), false).expect(200);
    expect(headerOnly.body).toMatchObject({ ok: true, errors: [], summary: { products: 0, variants: 0, created: 0 } });
    const withBom = await importCsv(`\uFEFF${csv([])}`, false).expect(200);
    expect(withBom.body.ok).toBe(true);
    const missing = await importCsv(
      csv(
        [],
        COLUMNS.filter((c) => c !== 'price'),
      ),
      false,
    ).expect(422);
    expect(missing.body.errors).toEqual([
      { path: 'line.1.price', line: 1, column: 'price', message: 'is missing from the header' },
    ]);
  });

  it('refuses other content types (415), oversized bodies (413) and callers who are not staff', async () => {
    const before = await counts();
    const body = csv([row({ handle: 'typed', sku: 'TYPED-1' })]);
    for (const type of [
      'application/json',
      'text/plain',
      'text/csv; charset=latin1',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await importCsv(type === 'application/json' ? '{}' : body, false, type).expect(415);
      expect(res.body.code).toBe('unsupported_media_type');
    }
    const gzipped = await importCsv(body, false).set('Content-Encoding', 'gzip').expect(415);
    expect(gzipped.body.code).toBe('unsupported_media_type');
    const noBody = await app.request.post('/api/v1/admin/products/import').set(staff).expect(415);
    expect(noBody.body.code).toBe('unsupported_media_type');
    const tooBig = await importCsv(body + 'x'.repeat(CSV_MAX_BYTES), false).expect(413);
    expect(tooBig.body.code).toBe('payload_too_large');
    const customer = (await userWithRole(app, 'customer')).auth;
    await app.request
      .post('/api/v1/admin/products/import')
      .set(customer)
      .set('Content-Type', 'text/csv')
      .send(body)
      .expect(403);
    await app.request.post('/api/v1/admin/products/import').set('Content-Type', 'text/csv').send(body).expect(401);
    await importCsv(body, true, 'text/csv; charset=utf-8').expect(200);
    expect(await counts()).toEqual(before);
  });

  it('creates products from a hand-written file without ids, with defaults for blank cells', async () => {
    const body = csv([
      row({
        handle: 'hand-made',
        name: 'Hand made',
        sku: 'HM-S',
        option1_name: 'Size',
        option1_value: 'S',
        price: '5',
        stock: '2',
      }),
      row({ handle: 'hand-made', name: '', sku: 'HM-M', option1_value: 'M', price: '5.5' }),
    ]);
    const res = await importCsv(body, false).expect(200);
    expect(res.body.summary).toMatchObject({ products: 1, variants: 2, created: 1, stockMovements: 1 });
    const list = await app.request.get('/api/v1/admin/products?q=hand').set(staff).expect(200);
    const [product] = list.body.items;
    expect(product).toMatchObject({
      slug: 'hand-made',
      status: 'draft',
      options: [{ name: 'Size', values: ['S', 'M'] }],
    });
    expect(
      product.variants.map((v: { sku: string; priceCents: number; onHand: number; lowStockThreshold: number }) => [
        v.sku,
        v.priceCents,
        v.onHand,
        v.lowStockThreshold,
      ]),
    ).toEqual([
      ['HM-S', 500, 2, 5],
      ['HM-M', 550, 0, 5],
    ]);
  });

  it('stops a file with more rows than the limit before touching the database', async () => {
    const before = await counts();
    const body = csv([row({ handle: 'r-1', sku: 'R-1' }), row({ handle: 'r-2', sku: 'R-2' })]);
    const run = importProductsCsv(app.nexus.ctx.db, Readable.from([body]), {
      dryRun: false,
      actorId: null,
      limits: { maxBytes: 1_000_000, maxRows: 1 },
    });
    await expect(run).rejects.toMatchObject({ code: 'validation_failed', status: 422 });
    expect(await counts()).toEqual(before);
  });
});

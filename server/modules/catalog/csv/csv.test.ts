import { parse } from 'csv-parse/sync';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, stockMovements } from '../../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../../test/harness.js';
import { exportProductsCsv } from './csv-export.service.js';
import {
  adminProducts,
  categories,
  comparable,
  DESCRIPTION,
  exportCsv,
  importCsv,
  records,
  seed,
  versions,
} from './csv.fixture.js';

type Headers = Record<string, string>;
let app: TestApp;
let fresh: TestApp;
let staff: Headers;
let freshStaff: Headers;
let exported: string;

beforeAll(async () => {
  [app, fresh] = await Promise.all([createTestApp(), createTestApp()]);
  staff = (await userWithRole(app, 'staff')).auth;
  freshStaff = (await userWithRole(fresh, 'admin')).auth;
  await seed(app, staff);
  exported = await exportCsv(app, staff);
}, 120_000);
afterAll(() => Promise.all([app?.close(), fresh?.close()]));

describe(`GET /api/v1/admin/products/export (${TEST_DB})`, () => {
  it('streams every variant as a UTF-8 CSV attachment with a BOM and exact decimal prices', async () => {
    const res = await app.request.get('/api/v1/admin/products/export').set(staff).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="products-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    expect(res.text).toContain('\r\n');
    const rows = records(res.text);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['option4_name', 'option4_value']));
    expect(Object.keys(rows[0]!)).not.toContain('option5_name');
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    expect(rows).toHaveLength(6);
    expect(bySku.get('TEE-S-RED')).toMatchObject({
      price: '0.01',
      compare_at_price: '',
      cost: '',
      stock: '0',
      currency: 'USD',
    });
    expect(bySku.get('TEE-M-RED')).toMatchObject({
      price: '19.99',
      compare_at_price: '24.99',
      cost: '8.50',
      barcode: '0012345678905',
      weight_grams: '180',
      low_stock_threshold: '3',
      stock: '12',
      option1_name: 'Size',
      option1_value: 'M',
      option2_name: 'Colour',
      option2_value: 'Red',
      option3_name: '',
      categories: 'sale|clothing',
      tags: 'summer|a\\|b pipe|back\\\\slash|ünï 🎉',
      description: DESCRIPTION,
      status: 'active',
    });
    expect(bySku.get('TEE-L-BLUE')!.price).toBe('999999.99');
    expect(bySku.get('JP-1')).toMatchObject({ price: '1234567', currency: 'JPY', name: '和風 Tシャツ' });
    expect(bySku.get('-KW-1')).toMatchObject({ price: '1234.567', cost: '0.001', currency: 'KWD', weight_grams: '0' });
    expect(bySku.get('QUAD-1')).toMatchObject({ option4_name: 'Fit', option4_value: 'One' });
    // Variants of one product are consecutive and in position order.
    expect(rows.filter((r) => r.sku?.startsWith('TEE')).map((r) => r.sku)).toEqual([
      'TEE-S-RED',
      'TEE-M-RED',
      'TEE-L-BLUE',
    ]);
  });

  it('leaves formula-like cells alone by default and guards them with excel=1', async () => {
    const plain = records(exported).find((r) => r.sku === '-KW-1')!;
    expect(plain).toMatchObject({ name: '=SUM(A1) مرحبا', description: '@cmd|x', sku: '-KW-1' });
    const guarded = records(await exportCsv(app, staff, '?excel=1')).find((r) => r.sku === "'-KW-1")!;
    expect(guarded).toMatchObject({ name: "'=SUM(A1) مرحبا", description: "'@cmd|x", price: '1234.567' });
  });

  it('filters by status, pages through the catalog, and checks its query and role', async () => {
    expect(records(await exportCsv(app, staff, '?status=draft')).map((r) => r.sku)).toEqual(['JP-1', 'QUAD-1']);
    // The header widens only when a product in the selection needs it.
    const archived = records(await exportCsv(app, staff, '?status=archived'));
    expect(archived.map((r) => r.sku)).toEqual(['-KW-1']);
    expect(Object.keys(archived[0]!)).not.toContain('option4_name');
    const paged: string[][] = [];
    for await (const record of exportProductsCsv(app.nexus.ctx.db, { pageSize: 1 })) paged.push(record);
    expect(paged).toEqual(parse(exported, { bom: true }));
    const bad = await app.request.get('/api/v1/admin/products/export?status=published').set(staff).expect(422);
    expect(bad.body.errors[0].path).toBe('query.status');
    const customer = (await userWithRole(app, 'customer')).auth;
    await app.request.get('/api/v1/admin/products/export').set(customer).expect(403);
    await app.request.get('/api/v1/admin/products/export').expect(401);
  });
});

describe(`CSV round trip (${TEST_DB})`, () => {
  it('imports an export into a fresh database: products, variants, prices, stock and Unicode identical', async () => {
    await categories(fresh, freshStaff);
    const res = await importCsv(fresh, freshStaff, exported).expect(200);
    expect(res.body).toMatchObject({
      ok: true,
      dryRun: false,
      errors: [],
      summary: { products: 4, variants: 6, created: 4, updated: 0, unchanged: 0, stockMovements: 3 },
    });
    expect(await comparable(fresh, freshStaff)).toEqual(await comparable(app, staff));
    // Ids travel too, so a second export is byte-for-byte the first.
    expect(await exportCsv(fresh, freshStaff)).toBe(exported);
    const moves = await fresh.nexus.ctx.db.select().from(stockMovements);
    expect(moves).toHaveLength(3);
    for (const m of moves) {
      expect(m).toMatchObject({
        kind: 'count_correction',
        reason: 'csv import',
        reference: `import:${res.body.batchId}`,
      });
    }
  });

  it('changes nothing when the same file is imported again (no writes, no movements, same versions)', async () => {
    // An option value no variant uses yet must survive a re-import too.
    await app.request
      .post('/api/v1/admin/products')
      .set(staff)
      .send({
        name: 'Mug',
        options: [{ name: 'Colour', values: ['White', 'Black'] }],
        variants: [{ sku: 'MUG-W', optionValues: { Colour: 'White' }, priceCents: 900 }],
      })
      .expect(201);
    const csv = await exportCsv(app, staff);
    const before = await versions(app);
    const dry = await importCsv(app, staff, csv, true).expect(200);
    expect(dry.body).toMatchObject({
      ok: true,
      dryRun: true,
      batchId: null,
      summary: { unchanged: 5, created: 0, updated: 0, stockMovements: 0 },
    });
    const res = await importCsv(app, staff, csv).expect(200);
    expect(res.body.summary).toMatchObject({
      products: 5,
      variants: 7,
      unchanged: 5,
      created: 0,
      updated: 0,
      stockMovements: 0,
    });
    expect(await versions(app)).toEqual(before);
    const [mug] = await app.nexus.ctx.db.select().from(products).where(eq(products.slug, 'mug'));
    expect(mug!.options).toEqual([{ name: 'Colour', values: ['White', 'Black'] }]);
  });

  it('updates by id, else handle and SKU; sets stock through the ledger; dry run applies nothing', async () => {
    const rows = records(await exportCsv(app, staff));
    const columns = Object.keys(rows[0]!);
    const edit = (sku: string, patch: Record<string, string>) =>
      Object.assign(
        rows.find((r) => r.sku === sku)!,
        patch,
      );
    edit('TEE-S-RED', { price: '0.29', stock: '7' });
    // Matched by handle and SKU when the ids are blank.
    edit('JP-1', { product_id: '', variant_id: '', price: '990', name: '和風 Tシャツ 改' });
    const mug = rows.find((r) => r.sku === 'MUG-W')!;
    rows.push({ ...mug, variant_id: '', sku: 'MUG-B', option1_value: 'Black', price: '9.50', stock: '3' });
    const csv = [columns, ...rows.map((r) => columns.map((c) => r[c]!))]
      .map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(','))
      .join('\n');

    const before = await versions(app);
    const dry = await importCsv(app, staff, csv, true).expect(200);
    expect(dry.body).toMatchObject({ ok: true, summary: { updated: 3, unchanged: 2, stockMovements: 2 } });
    expect(await versions(app)).toEqual(before);

    const res = await importCsv(app, staff, csv).expect(200);
    expect(res.body.summary).toMatchObject({
      products: 5,
      variants: 8,
      created: 0,
      updated: 3,
      unchanged: 2,
      stockMovements: 2,
    });
    const all = await adminProducts(app, staff);
    const variant = (sku: string) => all.flatMap((p) => p.variants).find((v) => v.sku === sku)!;
    expect(variant('TEE-S-RED')).toMatchObject({ priceCents: 29, onHand: 7 });
    expect(variant('JP-1').priceCents).toBe(990);
    expect(all.find((p) => p.slug === 'mug')!.variants.map((v) => [v.sku, v.onHand, v.title])).toEqual([
      ['MUG-W', 0, 'White'],
      ['MUG-B', 3, 'Black'],
    ]);
    expect(all).toHaveLength(5);
    const moves = await app.nexus.ctx.db
      .select()
      .from(stockMovements)
      .where(like(stockMovements.reference, 'import:%'));
    expect(moves.map((m) => [m.onHandDelta, m.onHandAfter, m.kind, m.reference])).toEqual(
      expect.arrayContaining([
        [7, 7, 'count_correction', `import:${res.body.batchId}`],
        [3, 3, 'count_correction', `import:${res.body.batchId}`],
      ]),
    );
    expect(moves).toHaveLength(2);
  });
});

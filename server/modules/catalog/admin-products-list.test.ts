/** Admin product list filters and pagination, role checks and odd input (create/patch: admin-products.test.ts). */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, stockMovements, variants } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';

type Body = Record<string, unknown>;
let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
});
afterAll(() => app.close());

let seq = 0;
const shirt = (overrides: Body = {}): Body => ({
  name: `Linen Shirt ${++seq}`,
  status: 'active',
  options: [{ name: 'Size', values: ['S', 'M'] }],
  variants: [
    { sku: `L-${++seq}`, optionValues: { Size: 'S' }, priceCents: 2500, initialStock: 3 },
    { sku: `L-${++seq}`, optionValues: { Size: 'M' }, priceCents: 2900 },
  ],
  ...overrides,
});
const made = async (overrides: Body = {}) =>
  (await app.request.post('/api/v1/admin/products').set(staff).send(shirt(overrides)).expect(201)).body;
const publicGet = (idOrSlug: string) => app.request.get(`/api/v1/products/${idOrSlug}`);
const n = async (table: typeof products | typeof variants | typeof stockMovements) =>
  (await app.nexus.ctx.db.select({ n: count() }).from(table))[0]!.n;
const tally = async () => [await n(products), await n(variants), await n(stockMovements)];

describe(`GET /api/v1/admin/products (${TEST_DB})`, () => {
  const list = async (query: Body) =>
    (await app.request.get('/api/v1/admin/products').query(query).set(staff).expect(200)).body;

  it('filters by status, name, SKU and category (with sub-categories)', async () => {
    const post = (body: Body) => app.request.post('/api/v1/admin/categories').set(staff).send(body).expect(201);
    const parent = (await post({ name: 'Quokka Gear' })).body;
    const child = (await post({ name: 'Quokka Hats', parentId: parent.id })).body;
    const a = await made({ name: 'Quokka Alpha', status: 'draft', categoryIds: [parent.id] });
    const b = await made({ name: 'Quokka Beta', categoryIds: [child.id] });
    const c = await made({ name: 'Quokka Gamma', status: 'archived' });
    const ids = (r: { items: Body[] }) => r.items.map((i) => i.id).sort();
    expect(ids(await list({ q: 'quokka' }))).toEqual([a.id, b.id, c.id].sort());
    expect(ids(await list({ q: 'quokka', status: 'draft' }))).toEqual([a.id]);
    expect(ids(await list({ q: 'QUOKKA', status: 'archived' }))).toEqual([c.id]);
    expect(ids(await list({ q: b.variants[1].sku }))).toEqual([b.id]);
    expect(ids(await list({ category: parent.slug }))).toEqual([a.id, b.id].sort());
    expect(ids(await list({ category: child.slug }))).toEqual([b.id]);
    expect(await list({ category: 'no-such-category' })).toMatchObject({ items: [], total: 0 });
    expect((await list({ q: 'quokka%' })).total).toBe(0);
    await app.request.get('/api/v1/admin/products').query({ status: 'gone' }).set(staff).expect(422);
    await app.request.get('/api/v1/admin/products').query({ limit: 101 }).set(staff).expect(422);
  });

  it('paginates without gaps or repeats', async () => {
    const made5 = [];
    for (let i = 0; i < 5; i++) made5.push((await made({ name: `Pangolin ${i}` })).id);
    const pages = [];
    for (const page of [1, 2, 3]) pages.push(await list({ q: 'pangolin', limit: 2, page }));
    expect(pages.map((p) => [p.items.length, p.total, p.page, p.limit])).toEqual([
      [2, 5, 1, 2],
      [2, 5, 2, 2],
      [1, 5, 3, 2],
    ]);
    expect(pages.flatMap((p) => p.items.map((i: Body) => i.id)).sort()).toEqual(made5.sort());
  });
});

describe(`admin catalog access and odd input (${TEST_DB})`, () => {
  it('refuses customers (403) and anonymous callers (401) on every admin route, without writing', async () => {
    const p = await made();
    const { auth } = await userWithRole(app, 'customer');
    const before = await tally();
    const id = p.id as string;
    const calls = [
      () => app.request.get('/api/v1/admin/products'),
      () => app.request.post('/api/v1/admin/products').send(shirt()),
      () => app.request.get(`/api/v1/admin/products/${id}`),
      () => app.request.patch(`/api/v1/admin/products/${id}`).send({ name: 'Hacked' }),
      () => app.request.delete(`/api/v1/admin/products/${id}`),
      () => app.request.get('/api/v1/admin/categories'),
      () => app.request.post('/api/v1/admin/categories').send({ name: 'Hacked' }),
      () => app.request.patch(`/api/v1/admin/categories/${id}`).send({ name: 'Hacked' }),
      () => app.request.delete(`/api/v1/admin/categories/${id}`),
    ];
    for (const call of calls) {
      expect((await call().set(auth)).status).toBe(403);
      expect((await call()).status).toBe(401);
    }
    expect(await tally()).toEqual(before);
    expect((await app.request.get(`/api/v1/admin/products/${id}`).set(staff)).body).toMatchObject({
      name: p.name,
      status: 'active',
    });
  });

  it('stores SQL and HTML metacharacters as plain data', async () => {
    const name = `<script>alert("x")</script> O'Brien's; DROP TABLE products; --`;
    const description = `<b>bold</b> & "quotes" \\ backslash 'single' %_ \u0000`.replace('\u0000', '');
    const weird = `O'BRIEN-"1"-%`;
    const p = await made({
      name,
      description,
      tags: [`'; --`, '<i>'],
      variants: [{ sku: weird, optionValues: { Size: 'S' }, priceCents: 5 }],
    });
    expect(p).toMatchObject({ name, description, tags: [`'; --`, '<i>'] });
    expect(p.slug).toMatch(/^[a-z0-9-]+$/);
    const pub = (await publicGet(p.slug).expect(200)).body;
    expect(pub).toMatchObject({ name, description, variants: [{ sku: weird }] });
    expect(
      (await app.request.get('/api/v1/admin/products').query({ q: `O'Brien's;` }).set(staff)).body.items[0].id,
    ).toBe(p.id);
    expect((await app.request.get('/api/v1/admin/products').query({ q: weird }).set(staff)).body.total).toBe(1);
    expect(await n(products)).toBeGreaterThan(0);
  });
});

import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { products, stockMovements, variants } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';

type Headers = Record<string, string>;
type Body = Record<string, unknown>;
let app: TestApp;
let staff: Headers;
let staffId: string;
beforeAll(async () => {
  app = await createTestApp();
  const s = await userWithRole(app, 'staff');
  staff = s.auth;
  staffId = s.user.id;
});
afterAll(() => app.close());

let seq = 0;
const sku = (p = 'SKU') => `${p}-${++seq}`;
const shirt = (overrides: Body = {}): Body => ({
  name: `Linen Shirt ${String.fromCharCode(97 + (seq % 26))}${++seq}x`,
  status: 'active',
  options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
  variants: [
    { sku: sku(), optionValues: { Size: 'S' }, priceCents: 2500, costCents: 900, initialStock: 3 },
    { sku: sku(), optionValues: { Size: 'M' }, priceCents: 2900 },
  ],
  ...overrides,
});
const p0 = () => ({ sku: sku('P'), optionValues: { Size: 'S' }, priceCents: 100 });
const p1 = () => ({ sku: sku('P'), optionValues: { Size: 'M' }, priceCents: 200 });
const create = (body: Body, auth = staff) => app.request.post('/api/v1/admin/products').set(auth).send(body);
const made = async (overrides: Body = {}) => (await create(shirt(overrides)).expect(201)).body;
const patch = (id: string, body: Body) => app.request.patch(`/api/v1/admin/products/${id}`).set(staff).send(body);
const adminGet = async (id: string) =>
  (await app.request.get(`/api/v1/admin/products/${id}`).set(staff).expect(200)).body;
const publicGet = (idOrSlug: string) => app.request.get(`/api/v1/products/${idOrSlug}`);
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const n = async (table: typeof products | typeof variants | typeof stockMovements) =>
  (await app.nexus.ctx.db.select({ n: count() }).from(table))[0]!.n;
const tally = async () => [await n(products), await n(variants), await n(stockMovements)];

describe(`POST /api/v1/admin/products (${TEST_DB})`, () => {
  it('creates a product with variants, opening stock, slug, titles, price range and stock flag', async () => {
    const body = shirt({ name: 'Café Crème Mug', tags: ['kitchen'] });
    const res = await create(body).expect(201);
    const p = res.body;
    expect(p).toMatchObject({ slug: 'cafe-creme-mug', name: 'Café Crème Mug', status: 'active', tags: ['kitchen'] });
    expect(p.variants.map((v: Body) => [v.title, v.priceCents, v.onHand, v.available, v.costCents])).toEqual([
      ['S', 2500, 3, 3, 900],
      ['M', 2900, 0, 0, null],
    ]);
    expect(p.priceRange).toEqual({ minCents: 2500, maxCents: 2900 });
    expect(p.inStock).toBe(true);
    expect(p.version).toBeGreaterThan(0);
    const moves = await app.nexus.ctx.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.variantId, p.variants[0].id));
    expect(moves).toMatchObject([
      { kind: 'received', onHandDelta: 3, onHandAfter: 3, reason: 'opening stock', actorId: staffId },
    ]);
    expect(moves[0]!.reference).toBe(`product:${p.id}`);
    const pub = await publicGet('cafe-creme-mug').expect(200);
    expect(pub.body.id).toBe(p.id);
    expect(pub.body.variants[0]).not.toHaveProperty('costCents');
    expect(pub.body.variants[0]).not.toHaveProperty('onHand');
    const noStock = await made({ variants: [{ sku: sku(), optionValues: { Size: 'S' }, priceCents: 100 }] });
    expect(noStock.inStock).toBe(false);
  });

  it('keeps client-supplied UUIDv7 ids and refuses to reuse one', async () => {
    const id = newId();
    const variantId = newId();
    const body = shirt({ id, variants: [{ id: variantId, sku: sku(), optionValues: { Size: 'S' }, priceCents: 1 }] });
    const p = (await create(body).expect(201)).body;
    expect(p.id).toBe(id);
    expect(p.variants[0].id).toBe(variantId);
    const before = await tally();
    const again = await create(shirt({ id })).expect(409);
    expect(again.body).toMatchObject({ code: 'conflict', detail: 'A product with this id already exists' });
    expect(await tally()).toEqual(before);
  });

  it('gives a second product with the same name the slug <name>-2, then -3', async () => {
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push((await made({ name: 'Wool Scarf' })).slug);
    expect(slugs).toEqual(['wool-scarf', 'wool-scarf-2', 'wool-scarf-3']);
  });

  it('refuses an explicit slug that is taken (409) without adding rows', async () => {
    await made({ slug: 'taken-slug' });
    const before = await tally();
    const res = await create(shirt({ slug: 'Taken-Slug' })).expect(409);
    expect(res.body).toMatchObject({ code: 'conflict', detail: 'Another product already uses this slug' });
    expect(await tally()).toEqual(before);
  });

  it('refuses a SKU another product uses (409) and rolls back product, variants and stock', async () => {
    const first = await made();
    const before = await tally();
    const body = shirt();
    (body.variants as Body[])[1]!.sku = first.variants[1].sku;
    const res = await create(body).expect(409);
    expect(res.body).toMatchObject({ code: 'conflict', detail: 'Another variant already uses this SKU' });
    expect(await tally()).toEqual(before);
    expect((await app.request.get('/api/v1/admin/products').query({ q: body.name }).set(staff)).body.total).toBe(0);
  });

  it('answers 422 with field paths for bad input and adds nothing', async () => {
    const before = await tally();
    const bad = async (body: Body, path: string) => {
      const res = await create(body).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res)).toContain(path);
    };
    const v = (o: Body) => [{ sku: sku(), optionValues: { Size: 'S' }, priceCents: 100, ...o }];
    await bad(shirt({ variants: v({ priceCents: -1 }) }), 'body.variants.0.priceCents');
    await bad(shirt({ variants: v({ priceCents: 9.99 }) }), 'body.variants.0.priceCents');
    await bad(shirt({ variants: v({ optionValues: { Size: 'XXL' } }) }), 'body.variants.0.optionValues.Size');
    await bad(
      shirt({ variants: v({ optionValues: { Colour: 'Red', Size: 'S' } }) }),
      'body.variants.0.optionValues.Colour',
    );
    await bad(shirt({ categoryIds: [newId()] }), 'body.categoryIds');
    await bad(shirt({ variants: [] }), 'body.variants');
    await bad(shirt({ name: '  ' }), 'body.name');
    await bad(shirt({ slug: 'Not a slug!' }), 'body.slug');
    await bad(shirt({ status: 'deleted' }), 'body.status');
    await bad(shirt({ price: 5 }), 'body.price');
    await bad(shirt({ variants: v({ initialStock: -2 }) }), 'body.variants.0.initialStock');
    expect(await tally()).toEqual(before);
  });
});

describe(`product visibility and archiving (${TEST_DB})`, () => {
  it('hides drafts and archived products from shoppers but not from staff', async () => {
    const p = await made({ status: 'draft' });
    await publicGet(p.slug).expect(404);
    await publicGet(p.id).expect(404);
    expect((await adminGet(p.id)).status).toBe('draft');
    await patch(p.id, { status: 'active' }).expect(200);
    expect((await publicGet(p.slug.toUpperCase()).expect(200)).body.id).toBe(p.id);
    const archived = await app.request.delete(`/api/v1/admin/products/${p.id}`).set(staff).expect(200);
    expect(archived.body.status).toBe('archived');
    await publicGet(p.slug).expect(404);
    expect(await adminGet(p.id)).toMatchObject({
      status: 'archived',
      variants: p.variants.map((v: Body) => ({ id: v.id })),
    });
    await app.request.delete(`/api/v1/admin/products/${newId()}`).set(staff).expect(404);
    await app.request.get(`/api/v1/admin/products/${newId()}`).set(staff).expect(404);
    await app.request.get('/api/v1/admin/products/not-a-uuid').set(staff).expect(422);
  });
});

describe(`PATCH /api/v1/admin/products/:id (${TEST_DB})`, () => {
  it('changes name, description, status, tags and categories, keeping the slug', async () => {
    const cat = (await app.request.post('/api/v1/admin/categories').set(staff).send({ name: 'Tops' }).expect(201)).body;
    const p = await made({ status: 'draft' });
    const changes = {
      name: 'Renamed',
      description: 'New text',
      status: 'active',
      tags: ['a', 'b'],
      categoryIds: [cat.id],
    };
    const res = await patch(p.id, changes).expect(200);
    expect(res.body).toMatchObject({ ...changes, slug: p.slug });
    expect(res.body.version).toBeGreaterThan(p.version);
    expect(await adminGet(p.id)).toMatchObject(changes);
  });

  it('refuses bad patches without changing anything', async () => {
    const p = await made();
    expect(errorPaths(await patch(p.id, { name: 'X', categoryIds: [newId()] }).expect(422))).toEqual([
      'body.categoryIds',
    ]);
    await patch(p.id, {}).expect(422);
    expect(errorPaths(await patch(p.id, { slug: 'x', sku: 'y' }).expect(422))).toContain('body.sku');
    await patch(newId(), { name: 'Ghost' }).expect(404);
    const other = await made();
    await patch(p.id, { name: 'X', slug: other.slug }).expect(409);
    const now = await adminGet(p.id);
    expect(now).toMatchObject({ name: p.name, slug: p.slug, version: p.version });
  });

  it('replaces the variant list: updates by id, adds without one, removes the rest', async () => {
    const p = await made({ variants: [p0(), p1()] });
    const [s, m] = p.variants;
    const res = await patch(p.id, {
      variants: [
        { id: s.id, sku: s.sku, optionValues: { Size: 'S' }, priceCents: 1999 },
        { sku: 'NEW-L-' + p.id, optionValues: { Size: 'L' }, priceCents: 3500 },
      ],
    }).expect(200);
    expect(res.body.variants.map((v: Body) => [v.title, v.priceCents])).toEqual([
      ['S', 1999],
      ['L', 3500],
    ]);
    expect(res.body.variants[0].id).toBe(s.id);
    expect(res.body.priceRange).toEqual({ minCents: 1999, maxCents: 3500 });
    expect(await app.nexus.ctx.db.select().from(variants).where(eq(variants.id, m.id))).toEqual([]);
  });

  it('lets two variants swap SKUs in one edit', async () => {
    const p = await made({ variants: [p0(), p1()] });
    const [a, b] = p.variants;
    const res = await patch(p.id, {
      variants: [
        { id: a.id, sku: b.sku, optionValues: { Size: 'S' }, priceCents: 10 },
        { id: b.id, sku: a.sku, optionValues: { Size: 'M' }, priceCents: 20 },
      ],
    }).expect(200);
    expect(res.body.variants.map((v: Body) => [v.id, v.sku])).toEqual([
      [a.id, b.sku],
      [b.id, a.sku],
    ]);
    // A clash half-way (after the removal of b) rolls the whole edit back.
    const other = await made();
    const clash = { id: a.id, sku: other.variants[0].sku, optionValues: { Size: 'S' }, priceCents: 1 };
    expect((await patch(p.id, { variants: [clash] }).expect(409)).body.detail).toMatch(/SKU/);
    const foreign = { id: other.variants[1].id, sku: sku(), optionValues: { Size: 'M' }, priceCents: 1 };
    await patch(p.id, { variants: [{ ...clash, sku: b.sku }, foreign] }).expect(409);
    const twice = await patch(p.id, {
      variants: [
        { ...clash, sku: 'T1' },
        { ...clash, sku: 'T2', optionValues: { Size: 'M' } },
      ],
    });
    expect([twice.status, errorPaths(twice)]).toEqual([422, ['body.variants.1.id']]);
    expect((await adminGet(p.id)).variants.map((v: Body) => [v.id, v.sku, v.priceCents])).toEqual([
      [a.id, b.sku, 10],
      [b.id, a.sku, 20],
    ]);
  });

  it('refuses to remove a variant with stock history (409) and keeps everything', async () => {
    const p = await made();
    const [s, m] = p.variants; // s has opening stock
    const res = await patch(p.id, { variants: [{ id: m.id, sku: m.sku, optionValues: { Size: 'M' }, priceCents: 1 }] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    const now = await adminGet(p.id);
    expect(now.variants.map((v: Body) => [v.id, v.priceCents])).toEqual([
      [s.id, 2500],
      [m.id, 2900],
    ]);
  });

  it('refuses options that no longer fit the existing variants (422)', async () => {
    const p = await made();
    const res = await patch(p.id, { options: [{ name: 'Size', values: ['S', 'L'] }] }).expect(422);
    expect(errorPaths(res)).toEqual(['body.variants.1.optionValues.Size']);
    await patch(p.id, { options: [] }).expect(422);
    const now = await adminGet(p.id);
    expect(now.options).toEqual(p.options);
    // Widening the options is fine.
    const wider = [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }];
    expect((await patch(p.id, { options: wider }).expect(200)).body.options).toEqual(wider);
  });
});

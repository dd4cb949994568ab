import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';

let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
});
afterAll(() => app.close());

const facetsFor = async (query: string) => (await app.request.get(`/api/v1/products?${query}`).expect(200)).body;

async function product(name: string, categoryId: string, stock = 0) {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name,
      status: 'active',
      categoryIds: [categoryId],
      variants: [{ sku: `FC-${name.replaceAll(' ', '-')}`, priceCents: 1000, initialStock: stock }],
    })
    .expect(201);
  return res.body as { id: string; variants: { id: string }[] };
}

describe(`search facets are cached per catalog state (${TEST_DB})`, () => {
  it('serves the same figures for other pages and sorts, and fresh ones after any catalog or stock write', async () => {
    const cat = (await app.request.post('/api/v1/admin/categories').set(staff).send({ name: 'Lamps' }).expect(201))
      .body;
    const first = await product('Brass Lamp', cat.id);
    const before = await facetsFor('q=lamp');
    expect(before.total).toBe(1);
    expect(before.facets.inStock).toBe(0);
    // Another page or sort of the same filter shares the figures.
    const sorted = await facetsFor('q=lamp&sort=price_desc&page=2');
    expect(sorted.facets).toEqual(before.facets);
    expect(sorted.total).toBe(1);

    // A new product is counted at once: the write moved the catalog state the cache is keyed on.
    await product('Paper Lamp', cat.id, 3);
    const after = await facetsFor('q=lamp');
    expect(after.total).toBe(2);
    expect(after.facets.inStock).toBe(1);
    expect(after.facets.categories).toEqual([{ slug: cat.slug, name: 'Lamps', count: 2 }]);

    // A stock movement alone also refreshes them.
    await app.request
      .post('/api/v1/admin/inventory/adjustments')
      .set(staff)
      .send({ variantId: first.variants[0]!.id, delta: 4, reason: 'received' })
      .expect(201);
    expect((await facetsFor('q=lamp')).facets.inStock).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { ACTIVE, names, searchWith, seedSearchCatalog } from './search.fixture.js';

let app: TestApp;
let search: ReturnType<typeof searchWith>;
beforeAll(async () => {
  app = await createTestApp();
  await seedSearchCatalog(app);
  search = searchWith(app);
});
afterAll(() => app.close());

describe(`GET /api/v1/products: filters, sorting, paging (${TEST_DB})`, () => {
  it('browses every active product, newest first, without q', async () => {
    const body = await search({});
    expect(names(body)).toEqual([...ACTIVE].reverse());
    expect(body).toMatchObject({ page: 1, limit: 24, total: ACTIVE.length });
    expect(body.items[0]!.variants[0]).toMatchObject({ sku: 'HERB-1', priceCents: 900, inStock: false });
    expect(body.items[0]!.variants[0]).not.toHaveProperty('costCents');
  });

  it('includes sub-categories, and an unknown category matches nothing', async () => {
    expect(names(await search({ category: 'drinks', sort: 'price_asc' }))).toEqual([
      'Green Tea Leaves',
      'Herbal Infusion',
      'Coffee Beans Dark Roast',
      'Espresso Machine',
    ]);
    expect(names(await search({ category: 'tea', sort: 'price_asc' }))).toEqual([
      'Green Tea Leaves',
      'Herbal Infusion',
    ]);
    expect(names(await search({ category: 'APPAREL' }))).toEqual(['T-Shirt Classic']);
    const unknown = await search({ category: 'no-such-thing' });
    expect(unknown).toMatchObject({ items: [], total: 0, facets: { categories: [], inStock: 0 } });
    expect((await search({ category: 'empty' })).total).toBe(0);
  });

  it('filters by overlapping price range, stock and rating', async () => {
    expect(names(await search({ minPrice: 1000, maxPrice: 2100, sort: 'price_asc' }))).toEqual([
      'Café Crème Mug 日本',
      'Coffee Beans Dark Roast',
      'T-Shirt Classic',
    ]);
    expect(names(await search({ minPrice: 2200, sort: 'price_asc' }))).toEqual([
      'T-Shirt Classic',
      'Burr Grinder',
      'Espresso Machine',
    ]);
    expect(names(await search({ maxPrice: 800 }))).toEqual(['Green Tea Leaves']);
    expect((await search({ minPrice: 3000, maxPrice: 100 })).total).toBe(0);
    const inStock = await search({ inStock: 'true', sort: 'price_asc' });
    expect(names(inStock)).toEqual([
      'Green Tea Leaves',
      'Café Crème Mug 日本',
      'Coffee Beans Dark Roast',
      'T-Shirt Classic',
    ]);
    expect((await search({ inStock: 'false' })).total).toBe(ACTIVE.length);
    expect(names(await search({ minRating: 4, sort: 'price_asc' }))).toEqual([
      'Green Tea Leaves',
      'Coffee Beans Dark Roast',
    ]);
    expect(names(await search({ minRating: 3.9, category: 'apparel' }))).toEqual(['T-Shirt Classic']);
  });

  it('sorts by each order with a stable tie-break', async () => {
    expect(names(await search({ sort: 'price_asc' }))).toEqual([
      'Green Tea Leaves',
      'Herbal Infusion',
      'Café Crème Mug 日本',
      'Coffee Beans Dark Roast',
      'T-Shirt Classic',
      'Burr Grinder',
      'Espresso Machine',
    ]);
    expect(names(await search({ sort: 'price_desc' }))).toEqual([
      'Espresso Machine',
      'Burr Grinder',
      'T-Shirt Classic',
      'Coffee Beans Dark Roast',
      'Café Crème Mug 日本',
      'Herbal Infusion',
      'Green Tea Leaves',
    ]);
    expect(names(await search({ sort: 'newest' }))).toEqual([...ACTIVE].reverse());
    expect(names(await search({ sort: 'relevance' }))).toEqual([...ACTIVE].reverse());
    // Equal averages: more ratings first. Unrated products tie at 0 and keep id (creation) order.
    expect(names(await search({ sort: 'rating' }))).toEqual([
      'Green Tea Leaves',
      'Coffee Beans Dark Roast',
      'T-Shirt Classic',
      'Café Crème Mug 日本',
      'Burr Grinder',
      'Espresso Machine',
      'Herbal Infusion',
    ]);
    expect(names(await search({ sort: 'bestselling' })).slice(0, 3)).toEqual([
      'T-Shirt Classic',
      'Coffee Beans Dark Roast',
      'Green Tea Leaves',
    ]);
    // An explicit order overrides relevance.
    expect(names(await search({ q: 'coffee', sort: 'price_desc' }))).toEqual([
      'Espresso Machine',
      'Burr Grinder',
      'Coffee Beans Dark Roast',
    ]);
  });

  it('pages with a constant total, and caps an oversized limit at 100', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3, 4]) {
      const body = await search({ sort: 'price_asc', limit: 2, page });
      expect(body).toMatchObject({ page, limit: 2, total: ACTIVE.length });
      expect(body.items).toHaveLength(page < 4 ? 2 : 1);
      seen.push(...names(body));
    }
    expect(seen).toEqual(names(await search({ sort: 'price_asc' })));
    expect(new Set(seen).size).toBe(ACTIVE.length);
    expect((await search({ limit: 2, page: 5 })).items).toEqual([]);
    const capped = await search({ limit: 100000 });
    expect(capped.limit).toBe(100);
    expect(capped.items).toHaveLength(ACTIVE.length);
  });

  it('computes facets for the current filter', async () => {
    const all = await search({});
    expect(all.facets).toEqual({
      categories: [
        { slug: 'drinks', name: 'Drinks', count: 4 },
        { slug: 'tea', name: 'Tea', count: 2 },
        { slug: 'apparel', name: 'Apparel', count: 1 },
        { slug: 'coffee', name: 'Coffee', count: 1 },
        { slug: 'shirts', name: 'Shirts', count: 1 },
      ],
      price: { min: 800, max: 25000 },
      inStock: 4,
    });
    // Inside a category the categories facet still shows the others (it ignores its own filter),
    // while price and stock describe the chosen category.
    const tea = await search({ category: 'tea' });
    expect(tea.facets.categories.map((c: { slug: string }) => c.slug)).toContain('apparel');
    expect(tea.facets.price).toEqual({ min: 800, max: 900 });
    expect(tea.facets.inStock).toBe(1);
    // A price filter narrows the categories facet but not the price bounds.
    const cheap = await search({ maxPrice: 1000 });
    expect(cheap.facets.categories).toEqual([
      { slug: 'drinks', name: 'Drinks', count: 2 },
      { slug: 'tea', name: 'Tea', count: 2 },
    ]);
    expect(cheap.facets.price).toEqual({ min: 800, max: 25000 });
    const text = await search({ q: 'coffee', inStock: 'true' });
    expect(text.total).toBe(1);
    expect(text.facets).toMatchObject({ price: { min: 1500, max: 1500 }, inStock: 1 });
    expect(text.facets.categories).toEqual([
      { slug: 'coffee', name: 'Coffee', count: 1 },
      { slug: 'drinks', name: 'Drinks', count: 1 },
    ]);
  });

  it('refuses unknown or malformed parameters with 422', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ colour: 'red' }, 'query.colour'],
      [{ minPrice: 'abc' }, 'query.minPrice'],
      [{ maxPrice: '-1' }, 'query.maxPrice'],
      [{ minRating: '6' }, 'query.minRating'],
      [{ sort: 'cheapest' }, 'query.sort'],
      [{ inStock: 'yes' }, 'query.inStock'],
      [{ page: '0' }, 'query.page'],
    ];
    for (const [query, path] of cases) {
      const res = await app.request.get('/api/v1/products').query(query).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const repeated = await app.request.get('/api/v1/products?q=a&q=b').expect(422);
    expect(repeated.body.code).toBe('validation_failed');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { ACTIVE, ids, names, searchWith, seedSearchCatalog } from './search.fixture.js';

let app: TestApp;
let search: ReturnType<typeof searchWith>;
beforeAll(async () => {
  app = await createTestApp();
  await seedSearchCatalog(app);
  search = searchWith(app);
});
afterAll(() => app.close());

describe(`GET /api/v1/products: text search (${TEST_DB})`, () => {
  it('matches a word of the name, a SKU, a tag and a word of the description', async () => {
    expect(names(await search({ q: 'roast' }))).toEqual(['Coffee Beans Dark Roast']);
    expect(names(await search({ q: 'MCH-100' }))).toEqual(['Espresso Machine']);
    expect(names(await search({ q: 'tsh-red-l' }))).toEqual(['T-Shirt Classic']);
    expect(names(await search({ q: 'organic' }))).toEqual(['Green Tea Leaves']);
    expect(names(await search({ q: 'colombia' }))).toEqual(['Coffee Beans Dark Roast']);
    expect(names(await search({ q: 'Porcelain MUG' }))).toEqual(['Café Crème Mug 日本']);
  });

  it('treats every word as a prefix and needs all of them', async () => {
    expect(names(await search({ q: 'cof' }))).toEqual(['Coffee Beans Dark Roast', 'Burr Grinder', 'Espresso Machine']);
    expect(names(await search({ q: 'gre tea' }))).toEqual(['Green Tea Leaves']);
    expect(names(await search({ q: 'green roast' }))).toEqual([]);
  });

  it('tolerates a typo in the name', async () => {
    expect(names(await search({ q: 'cofee' }))).toContain('Coffee Beans Dark Roast');
    expect(names(await search({ q: 'herbl infusion' }))).toContain('Herbal Infusion');
    // Each word on its own: the correct word prefix-matches, the misspelt one is similar to the name.
    expect(names(await search({ q: 'dark cofee' }))).toEqual(['Coffee Beans Dark Roast']);
    // SKUs tolerate a typo too (trigram similarity on the whole text).
    expect(names(await search({ q: 'COF-DRAK-1' }))).toContain('Coffee Beans Dark Roast');
    // Short words are prefixes only: "tex" must not match "tea" or "tee".
    expect((await search({ q: 'tex' })).total).toBe(0);
    expect(names(await search({ q: 'Herbal' }))).toEqual(['Herbal Infusion']);
  });

  it('ranks a name match above a description-only match', async () => {
    const body = await search({ q: 'coffee' });
    // Name (weight A) first; then two description mentions (C) above one.
    expect(names(body)).toEqual(['Coffee Beans Dark Roast', 'Burr Grinder', 'Espresso Machine']);
    expect(body.total).toBe(3);
    expect(names(await search({ q: 'beans' }))).toEqual(['Coffee Beans Dark Roast', 'Burr Grinder']);
  });

  it('finds accented and CJK words', async () => {
    expect(names(await search({ q: 'café' }))).toEqual(['Café Crème Mug 日本']);
    expect(names(await search({ q: 'CRÈME' }))).toEqual(['Café Crème Mug 日本']);
    expect(names(await search({ q: '日本' }))).toEqual(['Café Crème Mug 日本']);
  });

  it('never shows drafts or archived products, in items, totals or facets', async () => {
    for (const q of ['secret', 'DRAFT-1', 'archived', 'ARCH-1']) {
      const body = await search({ q });
      expect(body.total, q).toBe(0);
      expect(body.items, q).toEqual([]);
    }
    const coffee = await search({ category: 'coffee' });
    expect(names(coffee)).toEqual(['Coffee Beans Dark Roast']);
    expect(coffee.facets.categories.find((c) => c.slug === 'coffee')?.count).toBe(1);
    expect(coffee.facets.price).toEqual({ min: 1500, max: 1500 });
    await app.request.get(`/api/v1/products/${ids.draft}`).expect(404);
  });

  it('answers odd input with 200 and no error', async () => {
    const odd = [
      "'; DROP TABLE products;--",
      'a & b | !c',
      '(((',
      '\\',
      '.*+?',
      ':*',
      "o'brien",
      '!!',
      '<->',
      '%_',
      '👍',
      'a:*b',
    ];
    for (const q of odd) {
      const res = await app.request.get('/api/v1/products').query({ q });
      expect(res.status, q).toBe(200);
      expect(res.body.facets, q).toBeDefined();
    }
    expect((await search({ q: '(((' })).total).toBe(0);
    expect(names(await search({ q: 'roast)(*' }))).toEqual(['Coffee Beans Dark Roast']);
    expect((await search({})).total).toBe(ACTIVE.length);
  });
});

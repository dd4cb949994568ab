import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPullPage } from './apply.js';
import { RANKED_MATCHES_MAX, TOTAL_CAP, ftsQuery, listProducts, lowStock, searchProducts } from './queries.js';
import { type Store, openStore } from './store.js';
import {
  CATEGORY_IDS,
  fixedId,
  levelRow,
  page,
  productChanges,
  productRow,
  remove,
  upsert,
  variantRow,
} from './testkit.js';

const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('product search (FTS5)', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    applyPullPage(
      store,
      page(
        [
          upsert(
            'products',
            productRow(1, { name: 'Harbour Hoodie', description: 'Heavy cotton fleece', tags: ['winter'] }),
            1,
          ),
          upsert('variants', variantRow(1, 0, { sku: 'HOOD-BLK-M' }), 1),
          upsert(
            'products',
            productRow(2, { name: 'Canvas Tote', description: 'Carries groceries', tags: ['bags'] }),
            1,
          ),
          upsert('variants', variantRow(2, 0, { sku: 'TOTE-NAT' }), 1),
          upsert('products', productRow(3, { name: 'Crème brûlée mug', description: 'Stoneware', tags: [] }), 1),
        ],
        'c1',
      ),
    );
  });
  afterEach(() => store.close());

  it('finds by name prefix, SKU, description word, tag, and ignores accents and case', () => {
    expect(names(searchProducts(store, { q: 'hood' }))).toEqual(['Harbour Hoodie']);
    expect(names(searchProducts(store, { q: 'HOOD-BLK-M' }))).toEqual(['Harbour Hoodie']);
    expect(names(searchProducts(store, { q: 'tote-n' }))).toEqual(['Canvas Tote']);
    expect(names(searchProducts(store, { q: 'groceries' }))).toEqual(['Canvas Tote']);
    expect(names(searchProducts(store, { q: 'winter' }))).toEqual(['Harbour Hoodie']);
    expect(names(searchProducts(store, { q: 'creme brulee' }))).toEqual(['Crème brûlée mug']);
    expect(searchProducts(store, { q: 'hood tote' })).toEqual([]);
    expect(searchProducts(store, { q: '"*)(' })).toEqual([]);
  });

  it('ranks a name match above a description match, an exact SKU first', () => {
    applyPullPage(
      store,
      page([upsert('products', productRow(4, { name: 'Fleece blanket', description: 'Soft', tags: [] }), 2)], 'c2'),
    );
    expect(names(searchProducts(store, { q: 'fleece' }))).toEqual(['Fleece blanket', 'Harbour Hoodie']);
    expect(searchProducts(store, { q: 'tote-nat' })[0]).toMatchObject({ name: 'Canvas Tote' });
  });

  it('follows upserts and deletes of products and variants', () => {
    applyPullPage(
      store,
      page(
        [
          upsert('products', productRow(1, { name: 'Harbour Parka', description: 'Heavy cotton fleece', tags: [] }), 2),
          upsert('variants', variantRow(1, 1, { sku: 'PARKA-XL' }), 2),
        ],
        'c2',
      ),
    );
    expect(searchProducts(store, { q: 'hoodie' })).toEqual([]);
    expect(names(searchProducts(store, { q: 'parka' }))).toEqual(['Harbour Parka']);
    expect(names(searchProducts(store, { q: 'PARKA-XL' }))).toEqual(['Harbour Parka']);
    applyPullPage(store, page([remove('variants', fixedId(2, 11), 3)], 'c3'));
    expect(searchProducts(store, { q: 'xl' })).toEqual([]);
    applyPullPage(store, page([remove('products', fixedId(1, 2), 3)], 'c4'));
    expect(searchProducts(store, { q: 'tote' })).toEqual([]);
  });

  it('filters by status and refuses bad input', () => {
    applyPullPage(
      store,
      page([upsert('products', productRow(2, { name: 'Canvas Tote', status: 'archived' }), 5)], 'c2'),
    );
    expect(searchProducts(store, { q: 'tote', status: 'active' })).toEqual([]);
    expect(names(searchProducts(store, { q: 'tote', status: 'archived' }))).toEqual(['Canvas Tote']);
    expect(() => searchProducts(store, { q: '' })).toThrow(/invalid query/);
    expect(() => searchProducts(store, { q: 'x', limit: 0 })).toThrow(/invalid query/);
    expect(() => searchProducts(store, { q: 'x', extra: 1 } as never)).toThrow(/invalid query/);
  });

  it('answers a prefix under three letters with name and SKU matches first, newest first, then the rest', () => {
    applyPullPage(
      store,
      page(
        [
          upsert('products', productRow(10, { name: 'Karma kettle', description: 'Steel', tags: [] }), 2),
          upsert('products', productRow(11, { name: 'Salad bowl', description: 'For kale', tags: [] }), 2),
          upsert('products', productRow(12, { name: 'Kayak paddle', description: 'Light', tags: [] }), 2),
        ],
        'c2',
      ),
    );
    expect(names(searchProducts(store, { q: 'ka' }))).toEqual(['Kayak paddle', 'Karma kettle', 'Salad bowl']);
    expect(names(searchProducts(store, { q: 'ka', limit: 1 }))).toEqual(['Kayak paddle']);
  });

  it('past RANKED_MATCHES_MAX matches, answers name matches newest first instead of ranking them all', () => {
    // The oldest product is the best match by rank (the word twice in its name).
    const best = upsert('products', productRow(99, { name: 'Kettle kettle', description: 'Steel', tags: [] }), 2);
    const many = Array.from({ length: RANKED_MATCHES_MAX }, (_, i) =>
      upsert('products', productRow(100 + i, { name: `Kettle ${i}`, description: 'Steel', tags: [] }), 2),
    );
    applyPullPage(store, page([best, ...many], 'c2'));
    expect(names(searchProducts(store, { q: 'kettle', limit: 2 }))).toEqual([
      `Kettle ${RANKED_MATCHES_MAX - 1}`,
      `Kettle ${RANKED_MATCHES_MAX - 2}`,
    ]);
    // One fewer match: ranked again, the best first.
    applyPullPage(store, page([remove('products', fixedId(1, 100), 3)], 'c3'));
    expect(names(searchProducts(store, { q: 'kettle', limit: 1 }))).toEqual(['Kettle kettle']);
  });

  it('with a status filter, still finds matches ranked below the over-fetched page', () => {
    const changes = Array.from({ length: 6 }, (_, i) =>
      upsert('products', productRow(20 + i, { name: `Hoodie ${i}`, description: 'Warm', tags: [] }), 2),
    );
    changes.push(
      upsert(
        'products',
        productRow(30, { name: 'Old stock', description: 'A hoodie', status: 'archived', tags: [] }),
        2,
      ),
    );
    applyPullPage(store, page(changes, 'c2'));
    expect(names(searchProducts(store, { q: 'hoodie', status: 'archived', limit: 1 }))).toEqual(['Old stock']);
    expect(searchProducts(store, { q: 'hoodie', status: 'active', limit: 3 })).toHaveLength(3);
  });

  it('builds prefix phrase queries that cannot inject FTS syntax', () => {
    expect(ftsQuery('HOOD-BLK-M fleece')).toBe('"hood blk m"* "fleece"*');
    expect(ftsQuery('a" OR b')).toBe('"a"* "or"* "b"*');
    expect(ftsQuery(' -- ')).toBeNull();
  });
});

describe('product list and low stock', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    // Products 0..8: categories rotate over three; product n has 2 variants with n units each.
    const changes = Array.from({ length: 9 }, (_, n) => productChanges(n, 2, 1, n)).flat();
    changes.push(upsert('products', productRow(8, { status: 'draft' }), 2));
    applyPullPage(store, page(changes, 'c1'));
  });
  afterEach(() => store.close());

  it('filters by category, status and stock state, with a total', () => {
    const inFirst = listProducts(store, { categoryId: CATEGORY_IDS[0] });
    expect(inFirst.total).toBe(3);
    expect(inFirst.items.map((p) => p.id).sort()).toEqual([0, 3, 6].map((n) => fixedId(1, n)).sort());
    expect(listProducts(store, { status: 'draft' }).items.map((p) => p.id)).toEqual([fixedId(1, 8)]);
    expect(listProducts(store, { stockState: 'out_of_stock' }).items.map((p) => p.id)).toEqual([fixedId(1, 0)]);
    expect(listProducts(store, { stockState: 'low_stock' }).total).toBe(5);
    expect(listProducts(store, { stockState: 'in_stock' }).total).toBe(3);
    expect(listProducts(store, { categoryId: CATEGORY_IDS[0], stockState: 'in_stock' }).total).toBe(1);
  });

  it('a category includes its sub-categories, at any depth, each product once', () => {
    const [top, child, grandchild] = [fixedId(8, 90), fixedId(8, 91), fixedId(8, 92)];
    const category = (id: string, parentId: string | null) =>
      upsert('categories', { id, parentId, name: id.slice(-4), slug: id.slice(-4), position: 0, version: 4 }, 4);
    applyPullPage(
      store,
      page(
        [
          category(top, null),
          category(child, top),
          category(grandchild, child),
          upsert('products', productRow(20, { categoryIds: [top] }), 4),
          upsert('products', productRow(21, { categoryIds: [grandchild] }), 4),
          upsert('products', productRow(22, { categoryIds: [child, grandchild] }), 4),
        ],
        'c3',
      ),
    );
    const ids = (categoryId: string) =>
      listProducts(store, { categoryId })
        .items.map((p) => p.id)
        .sort();
    expect(ids(top)).toEqual([20, 21, 22].map((n) => fixedId(1, n)).sort());
    expect(listProducts(store, { categoryId: top }).total).toBe(3);
    expect(ids(child)).toEqual([21, 22].map((n) => fixedId(1, n)).sort());
    expect(listProducts(store, { categoryId: child }).total).toBe(2);
    expect(ids(grandchild)).toEqual([21, 22].map((n) => fixedId(1, n)).sort());
  });

  it('stops counting at TOTAL_CAP and says so', () => {
    const many = Array.from({ length: TOTAL_CAP + 5 }, (_, i) => upsert('products', productRow(100 + i), 3));
    applyPullPage(store, page(many, 'c2'));
    expect(listProducts(store, {})).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(listProducts(store, { status: 'draft' })).toMatchObject({ total: 1, totalCapped: false });
    expect(listProducts(store, { categoryId: CATEGORY_IDS[1] })).toMatchObject({ total: 338, totalCapped: false });
  });

  it('sorts and pages', () => {
    const byAvailable = listProducts(store, { sort: '-available', limit: 3 });
    expect(byAvailable.total).toBe(9);
    expect(byAvailable.items.map((p) => p.available)).toEqual([16, 14, 12]);
    const next = listProducts(store, { sort: '-available', limit: 3, offset: 3 });
    expect(next.items.map((p) => p.available)).toEqual([10, 8, 6]);
    const byName = listProducts(store, { sort: 'name' }).items.map((p) => p.name);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect(listProducts(store, { sort: 'price' }).items[0]!.priceMinCents).toBe(1000);
    expect(() => listProducts(store, { sort: 'cost' as never })).toThrow(/invalid query/);
    expect(() => listProducts(store, { limit: 1000 })).toThrow(/invalid query/);
  });

  it('lists low-stock variants of non-archived products, emptiest first, following stock changes', () => {
    const low = lowStock(store);
    // Products 0..5 have at most 5 units per variant; product 8 is a draft and still counts.
    expect(low.total).toBe(12);
    expect(low.items[0]).toMatchObject({ sku: 'SKU-0-0', available: 0, lowStockThreshold: 5 });
    applyPullPage(
      store,
      page(
        [
          upsert('products', productRow(0, { status: 'archived' }), 3),
          upsert('stock_levels', levelRow(1, 0, 40, { reserved: 38 }), 3),
          upsert('variants', variantRow(7, 0, { lowStockThreshold: 10 }), 3),
        ],
        'c2',
      ),
    );
    const after = lowStock(store, { limit: 500 });
    expect(after.items.map((i) => i.sku)).not.toContain('SKU-0-0');
    expect(after.items.find((i) => i.sku === 'SKU-1-0')).toMatchObject({ onHand: 40, reserved: 38, available: 2 });
    expect(after.items.map((i) => i.sku)).toContain('SKU-7-0');
    expect(after.total).toBe(12 - 2 + 1);
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullAnswer } from '../../../shared/sync/protocol.js';
import { applyPullPage } from './apply.js';
import { rebuildProductIndex } from './derived.js';
import { listLevels } from '../handlers/stock-levels.queries.js';
import {
  BULK_CHECKPOINT_PAGES,
  KEPT_FOR_DERIVED,
  beginBulkWrites,
  dropSyncedIndexes,
  restoreSyncedIndexes,
} from './first-download.js';
import { listProducts, lowStock, searchProducts } from './queries.js';
import { getSyncState } from './state.js';
import { type Store, openStore } from './store.js';
import { fixedId, levelRow, page, productChanges, productRow, remove, upsert, variantRow } from './testkit.js';

/** Everything derived.ts keeps, row by row; the FTS index term by term (it stores no text to read back). */
function derived(store: Store) {
  store.sqlite.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, products_fts, instance)');
  const all = (source: string) => store.sqlite.prepare(source).all();
  return {
    products: all('SELECT * FROM products ORDER BY rid'),
    variants: all('SELECT * FROM variants ORDER BY id'),
    categories: all('SELECT * FROM product_categories ORDER BY 1, 2'),
    fts: all('SELECT doc, col, offset, term FROM temp.fts_terms ORDER BY 1, 2, 3'),
  };
}

const product = (store: Store, n: number) =>
  store.sqlite.prepare('SELECT * FROM products WHERE id = ?').get(fixedId(1, n)) as Record<string, unknown>;
const ftsCount = (store: Store, query: string) =>
  store.sqlite.prepare('SELECT count(*) FROM products_fts WHERE products_fts MATCH ?').pluck().get(query);

/**
 * A first download whose rows arrive as a server may send them: a variant and its stock before its
 * product, a product without variants, a product renamed, a variant moved to another product,
 * deletes of a level, a variant and a product, several categories and tags, reserved stock.
 */
function downloadPages(): PullAnswer[] {
  const more = { hasMore: true };
  return [
    page(
      [
        upsert('variants', variantRow(3, 0), 1),
        upsert('stock_levels', levelRow(3, 0, 7, { reserved: 2 }), 1),
        ...productChanges(1, 3, 1, 4),
        ...productChanges(2, 2, 1, 0),
      ],
      'c1',
      { ...more, remaining: 20 },
    ),
    page(
      [
        upsert('products', productRow(3, { categoryIds: [fixedId(8, 1), fixedId(8, 2)], tags: ['a', 'b', 'c'] }), 2),
        upsert('products', productRow(4), 2),
        upsert('products', productRow(7), 2),
        upsert('products', productRow(1, { name: 'Renamed merino' }), 3),
        upsert('stock_levels', levelRow(1, 1, 50), 3),
      ],
      'c2',
      more,
    ),
    page(
      [
        remove('stock_levels', fixedId(3, 10), 4),
        upsert('variants', variantRow(1, 2, { productId: fixedId(1, 4), sku: 'MOVED-1' }), 4),
        remove('variants', fixedId(2, 20), 4),
        ...productChanges(5, 1, 4, 9),
        remove('products', fixedId(1, 5), 5),
      ],
      'c3',
      more,
    ),
    page([upsert('stock_levels', levelRow(2, 1, 3, { reserved: 1 }), 6), ...productChanges(6, 2, 6, 12)], 'c4'),
  ];
}

describe('a first download with a deferred product index', () => {
  let deferred: Store;
  let reference: Store;
  beforeEach(() => {
    deferred = openStore(':memory:');
    reference = openStore(':memory:');
    for (const p of downloadPages()) applyPullPage(reference, p);
  });
  afterEach(() => {
    deferred.close();
    reference.close();
  });

  it('leaves exactly the derived data and FTS index that a refresh per page leaves', () => {
    const pages = downloadPages();
    for (const p of pages.slice(0, -1)) applyPullPage(deferred, p, { deferProductIndex: true });
    // Stock and prices per page as usual; no index yet.
    expect(product(deferred, 1)).toMatchObject({ name: 'Renamed merino', variant_count: 2, on_hand: 50 });
    expect(ftsCount(deferred, 'item')).toBe(0);
    expect(deferred.sqlite.prepare('SELECT count(*) FROM product_categories').pluck().get()).toBe(0);

    applyPullPage(deferred, pages.at(-1)!, { deferProductIndex: true });
    expect(getSyncState(deferred).firstDownloadComplete).toBe(true);
    expect(derived(deferred)).toEqual(derived(reference));
    // The reference really covers the cases: a moved variant, a deleted one, reserved stock, no variants.
    expect(product(reference, 4)).toMatchObject({ variant_count: 1, on_hand: 4, stock_state: 'low_stock' });
    expect(product(reference, 1)).toMatchObject({ variant_count: 2, on_hand: 50, price_max_cents: 1251 });
    expect(product(reference, 2)).toMatchObject({ variant_count: 1, on_hand: 3, available: 2 });
    expect(product(reference, 3)).toMatchObject({ variant_count: 1, available: 5, stock_state: 'low_stock' });
    expect(product(reference, 7)).toMatchObject({
      variant_count: 0,
      price_min_cents: null,
      stock_state: 'out_of_stock',
    });
    expect(product(reference, 5)).toBeUndefined();
    expect(ftsCount(reference, 'moved')).toBe(1);
  });

  it('builds the index after the final page’s rebase, so it shows locally re-applied edits', () => {
    const pages = downloadPages();
    for (const p of pages.slice(0, -1)) applyPullPage(deferred, p, { deferProductIndex: true });
    applyPullPage(deferred, pages.at(-1)!, {
      deferProductIndex: true,
      // A rebased rename and recategorisation, with no refresh of their own.
      rebase: (s) =>
        s.sqlite
          .prepare(`UPDATE products SET name = 'Rebased parka', category_ids = '["local-category"]' WHERE id = ?`)
          .run(fixedId(1, 1)),
    });
    expect(ftsCount(deferred, 'rebased')).toBe(1);
    expect(ftsCount(deferred, 'renamed')).toBe(0);
    const linked = deferred.sqlite.prepare('SELECT product_id FROM product_categories WHERE category_id = ?');
    expect(linked.pluck().all('local-category')).toEqual([fixedId(1, 1)]);
  });

  it('survives a crash before the final page: reopened, a failed final page changes nothing, a retry rebuilds all', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nexus-first-download-'));
    const file = path.join(dir, 'host.db');
    try {
      const pages = downloadPages();
      const first = openStore(file);
      for (const p of pages.slice(0, 2)) applyPullPage(first, p, { deferProductIndex: true });
      first.close();

      const resumed = openStore(file);
      applyPullPage(resumed, pages[2]!, { deferProductIndex: true });
      const before = derived(resumed);
      const crash = () => {
        throw new Error('killed between the rows and the cursor');
      };
      expect(() => applyPullPage(resumed, pages[3]!, { deferProductIndex: true, rebase: crash })).toThrow('killed');
      expect(derived(resumed)).toEqual(before);
      expect(getSyncState(resumed)).toMatchObject({ cursor: 'c3', firstDownloadComplete: false });

      applyPullPage(resumed, pages[3]!, { deferProductIndex: true });
      expect(derived(resumed)).toEqual(derived(reference));
      resumed.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('indexes per page again once the download is complete, whatever the option says', () => {
    for (const p of downloadPages()) applyPullPage(deferred, p, { deferProductIndex: true });
    const renamed = upsert('products', productRow(6, { name: 'Summit kettle' }), 7);
    applyPullPage(deferred, page([renamed], 'c5'), { deferProductIndex: true });
    expect(ftsCount(deferred, 'kettle')).toBe(1);
  });

  it('rebuilds nothing on a final page applied without the option (callers pass it on every page or none)', () => {
    const pages = downloadPages();
    for (const p of pages.slice(0, -1)) applyPullPage(deferred, p, { deferProductIndex: true });
    applyPullPage(deferred, pages.at(-1)!);
    // Only the product the final page itself wrote (6) is indexed: product 2's stock level alone
    // does not touch the index.
    expect(ftsCount(deferred, 'item')).toBe(1);
    expect(ftsCount(deferred, 'renamed')).toBe(0);
  });
});

describe('dropSyncedIndexes while a snapshot loads', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    for (const p of downloadPages()) applyPullPage(store, p);
  });
  afterEach(() => store.close());

  const indexes = () =>
    store.sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as {
      name: string;
    }[];
  // What the screens ask for while the progress bar is up: each list, including the ones whose
  // statements name an index (INDEXED BY fails outright when that index is missing).
  const screens = () => ({
    products: listProducts(store, { limit: 50 }),
    search: searchProducts(store, { q: 'merino' }),
    lowStock: lowStock(store, { limit: 50 }),
    levels: listLevels(store, { limit: 50, offset: 0 }),
    levelSearch: listLevels(store, { q: 'SKU', limit: 50, offset: 0 }),
  });

  it('every list answers the same with the indexes dropped, and restoring rebuilds exactly the same indexes', () => {
    const before = { indexes: indexes(), answers: screens() };
    expect(before.answers.lowStock.items.length + before.answers.levels.items.length).toBeGreaterThan(0);
    dropSyncedIndexes(store);
    expect(indexes().length).toBeLessThan(before.indexes.length);
    expect(indexes()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'variants_product_idx' })]));
    expect(screens()).toEqual(before.answers);
    restoreSyncedIndexes(store);
    expect(indexes().filter((i) => !i.name.startsWith('sqlite_autoindex_bulk'))).toEqual(before.indexes);
    expect(screens()).toEqual(before.answers);
  });
});

describe('dropSyncedIndexes with the indexes to keep', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    for (const p of downloadPages()) applyPullPage(store, p);
  });
  afterEach(() => store.close());
  const names = () =>
    store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all();

  it('drops every other index but the placeholders one, and a later call builds again the ones it keeps', () => {
    const before = names();
    dropSyncedIndexes(store, new Set());
    expect(names()).not.toContain('variants_product_idx');
    expect(names()).not.toContain('stock_levels_variant_idx');
    expect(names()).toContain('stock_levels_placeholder_idx');
    // A resumed download that derives through the stored rows needs these two back.
    dropSyncedIndexes(store, KEPT_FOR_DERIVED);
    expect(names()).toEqual(expect.arrayContaining([...KEPT_FOR_DERIVED]));
    expect(names()).not.toContain('variants_sku_idx');
    restoreSyncedIndexes(store);
    expect(names().filter((n) => !String(n).startsWith('sqlite_autoindex_bulk'))).toEqual(before);
  });

  it('leaves placeholders found through their own index, not by reading every level', () => {
    dropSyncedIndexes(store, new Set());
    const plan = store.sqlite
      .prepare('EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM stock_levels WHERE version = 0)')
      .all()
      .map((r) => (r as { detail: string }).detail);
    expect(plan.join(' | ')).toContain('stock_levels_placeholder_idx');
  });
});

describe('rebuildProductIndex', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    for (const p of downloadPages()) applyPullPage(store, p);
  });
  afterEach(() => store.close());

  it('changes nothing where every value is already derived', () => {
    const before = derived(store);
    rebuildProductIndex(store);
    expect(derived(store)).toEqual(before);
  });

  it('puts back whatever was wrong or missing, and drops what belongs to no product', () => {
    const before = derived(store);
    store.sqlite.exec(`
      DELETE FROM product_categories WHERE rowid % 2 = 0;
      INSERT INTO product_categories VALUES ('stale-category', 'no-such-product');
      DELETE FROM products_fts WHERE rowid = 1;
      INSERT INTO products_fts (rowid, name, skus, description, tags) VALUES (999, 'ghost', '', '', '');
    `);
    rebuildProductIndex(store);
    expect(derived(store)).toEqual(before);
  });

  it('rolls back with the transaction it runs in', () => {
    const before = derived(store);
    store.sqlite.exec('DELETE FROM products_fts WHERE rowid = 2');
    const broken = derived(store);
    expect(() =>
      store.transaction(() => {
        rebuildProductIndex(store);
        throw new Error('the page failed after the rebuild');
      }),
    ).toThrow('the page failed');
    expect(derived(store)).toEqual(broken);
    rebuildProductIndex(store);
    expect(derived(store)).toEqual(before);
  });
});

describe('beginBulkWrites', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-bulk-'));
    store = openStore(path.join(dir, 'host.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const autocheckpoint = () => store.sqlite.pragma('wal_autocheckpoint', { simple: true });

  it('spaces checkpoints out until ended, then restores the previous setting and leaves an empty WAL', () => {
    store.sqlite.pragma('wal_autocheckpoint = 500');
    const end = beginBulkWrites(store);
    expect(autocheckpoint()).toBe(BULK_CHECKPOINT_PAGES);
    for (let n = 0; n < 5; n++) applyPullPage(store, page(productChanges(n, 3, 1), `c${n}`, { hasMore: true }));
    expect(statSync(`${store.file}-wal`).size).toBeGreaterThan(0);
    end();
    expect(autocheckpoint()).toBe(500);
    expect(statSync(`${store.file}-wal`).size).toBe(0);
    expect(store.sqlite.prepare('SELECT count(*) FROM products').pluck().get()).toBe(5);
  });

  it('ends quietly inside a transaction (no checkpoint there) and on a store already closed', () => {
    const end = beginBulkWrites(store);
    store.transaction(() => end());
    expect(autocheckpoint()).toBe(1000);
    const again = beginBulkWrites(store);
    store.close();
    expect(() => again()).not.toThrow();
  });
});

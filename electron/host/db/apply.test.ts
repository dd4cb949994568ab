import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNCED_TABLES } from '../../../shared/sync/protocol.js';
import { applyPullPage } from './apply.js';
import { firstDownloadProgress, getSyncState, listOversells, pruneMovements } from './state.js';
import { type Store, openStore } from './store.js';
import {
  LOCATION_ID,
  fixedId,
  levelRow,
  page,
  productChanges,
  productRow,
  remove,
  upsert,
  variantRow,
} from './testkit.js';

/** Every table the store writes, row by row, for "nothing changed" comparisons. */
function dump(store: Store) {
  const tables = [...SYNCED_TABLES, 'product_categories', 'sync_tombstones', 'sync_state', 'outbox'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  out.fts = store.sqlite.prepare(`SELECT rowid FROM products_fts WHERE products_fts MATCH 'item' ORDER BY rowid`).all();
  return out;
}

const product = (store: Store, n: number) =>
  store.sqlite.prepare('SELECT * FROM products WHERE id = ?').get(fixedId(1, n)) as Record<string, unknown> | undefined;

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-host-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a fresh file store with migrations applied, WAL on and one sync_state row that survives reopening', () => {
    const file = path.join(dir, 'host.db');
    const store = openStore(file);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([...SYNCED_TABLES, 'outbox', 'sync_state', 'conflicts', 'products_fts']),
    );
    const { clientId } = getSyncState(store);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    store.close();

    const again = openStore(file);
    expect(getSyncState(again).clientId).toBe(clientId);
    expect(again.sqlite.prepare('SELECT count(*) FROM sync_state').pluck().get()).toBe(1);
    again.close();
  });
});

describe('applyPullPage', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('upserts rows, derives stock and prices, and saves cursor, epoch and lastMutationSeq with them', () => {
    const result = applyPullPage(store, page(productChanges(1, 3, 1, 2), 'c1', { lastMutationSeq: 7, epoch: 'e1' }));
    expect(result).toEqual({ status: 'applied', upserted: 7, deleted: 0, skipped: 0, cursor: 'c1' });
    expect(product(store, 1)).toMatchObject({
      name: 'Trail black 1',
      status: 'active',
      variant_count: 3,
      price_min_cents: 1001,
      price_max_cents: 1501,
      on_hand: 6,
      available: 6,
      stock_state: 'low_stock',
    });
    expect(getSyncState(store)).toMatchObject({ cursor: 'c1', epoch: 'e1', lastMutationSeq: 7 });
  });

  it('keeps the whole wire row in data, minus secrets, so fields the server adds later are not lost', () => {
    applyPullPage(
      store,
      page(
        [upsert('products', productRow(1, { futureField: { a: 1 }, searchDocument: "'x'", passwordHash: 'h' }), 1)],
        'c1',
      ),
    );
    const data = JSON.parse(product(store, 1)!.data as string);
    expect(data).toMatchObject({
      futureField: { a: 1 },
      options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
      version: 1,
    });
    expect(data).not.toHaveProperty('searchDocument');
    expect(data).not.toHaveProperty('passwordHash');
  });

  it('never lets an older or equal version overwrite a newer row', () => {
    applyPullPage(store, page([upsert('products', productRow(1, { name: 'Newer' }), 5)], 'c1'));
    const older = applyPullPage(store, page([upsert('products', productRow(1, { name: 'Older' }), 4)], 'c2'));
    expect(older).toMatchObject({ upserted: 0, skipped: 1 });
    applyPullPage(store, page([upsert('products', productRow(1, { name: 'Same version' }), 5)], 'c3'));
    expect(product(store, 1)).toMatchObject({ name: 'Newer', version: 5 });
    applyPullPage(store, page([upsert('products', productRow(1, { name: 'Newest' }), 6)], 'c4'));
    expect(product(store, 1)).toMatchObject({ name: 'Newest', version: 6 });
  });

  it('deletes by tombstone, ignores older deletes, and an older upsert never brings a deleted row back', () => {
    applyPullPage(store, page(productChanges(1, 2, 1), 'c1'));
    const stale = applyPullPage(store, page([remove('products', fixedId(1, 1), 0)], 'c2'));
    expect(stale).toMatchObject({ deleted: 0, skipped: 1 });
    expect(product(store, 1)).toBeDefined();

    const gone = applyPullPage(
      store,
      page([remove('products', fixedId(1, 1), 3), remove('variants', fixedId(2, 10), 3)], 'c3'),
    );
    expect(gone).toMatchObject({ deleted: 2 });
    expect(product(store, 1)).toBeUndefined();
    expect(store.sqlite.prepare('SELECT count(*) FROM product_categories').pluck().get()).toBe(0);
    expect(
      store.sqlite.prepare("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'trail'").pluck().get(),
    ).toBe(0);

    const replay = applyPullPage(store, page([upsert('products', productRow(1), 2)], 'c4'));
    expect(replay).toMatchObject({ upserted: 0, skipped: 1 });
    expect(product(store, 1)).toBeUndefined();
    // A re-creation with a newer version is real and comes back.
    applyPullPage(store, page([upsert('products', productRow(1), 9)], 'c5'));
    expect(product(store, 1)).toMatchObject({ version: 9, variant_count: 1 });
  });

  it('is idempotent: the same page applied twice changes nothing', () => {
    const changes = [...productChanges(1, 3, 1), ...productChanges(2, 2, 2), remove('variants', fixedId(2, 11), 3)];
    applyPullPage(store, page(changes, 'c1', { lastMutationSeq: 2 }), { now: new Date('2026-01-01T00:00:00Z') });
    const before = dump(store);
    const second = applyPullPage(store, page(changes, 'c1', { lastMutationSeq: 2 }), {
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(second).toMatchObject({ upserted: 0, deleted: 0 });
    expect(dump(store)).toEqual(before);
  });

  it('a bad row at position k rolls back the whole page and leaves the cursor where it was', () => {
    applyPullPage(store, page(productChanges(1, 1, 1), 'c1'));
    const before = dump(store);
    const changes = [...productChanges(2, 2, 2), upsert('variants', variantRow(3, 0, { priceCents: 'ten' }), 2)];
    expect(() => applyPullPage(store, page(changes, 'c2'))).toThrow(/change #5 .*priceCents.* must be an integer/);
    const missing = [...productChanges(2, 2, 2), upsert('products', productRow(4, { name: undefined }), 2)];
    expect(() => applyPullPage(store, page(missing, 'c2'))).toThrow(/"name" is required/);
    const unknown = [...productChanges(2, 2, 2), { table: 'users', op: 'upsert', id: 'x', version: 2, row: {} }];
    expect(() => applyPullPage(store, page(unknown as never, 'c2'))).toThrow(/unknown table/);
    expect(dump(store)).toEqual(before);
    expect(getSyncState(store).cursor).toBe('c1');
  });

  it('a failure after the rows (in the rebase hook) also rolls back rows and cursor', () => {
    const before = dump(store);
    expect(() =>
      applyPullPage(store, page(productChanges(1, 2, 1), 'c1'), {
        rebase: () => {
          throw new Error('crash between rows and cursor');
        },
      }),
    ).toThrow('crash between rows and cursor');
    expect(dump(store)).toEqual(before);
  });

  it('refuses a page from another epoch without writing anything', () => {
    applyPullPage(store, page(productChanges(1, 1, 1), 'c1', { epoch: 'e1' }));
    const before = dump(store);
    const result = applyPullPage(store, page(productChanges(2, 1, 2), 'c2', { epoch: 'e2' }));
    expect(result).toEqual({ status: 'epoch_changed', storedEpoch: 'e1', epoch: 'e2' });
    expect(dump(store)).toEqual(before);
  });

  it('derives a product correctly whatever order its rows arrive in, across pages', () => {
    applyPullPage(store, page([upsert('stock_levels', levelRow(1, 0, 0), 1)], 'c1'));
    applyPullPage(
      store,
      page([upsert('variants', variantRow(1, 0), 2), upsert('variants', variantRow(1, 1), 2)], 'c2'),
    );
    applyPullPage(store, page([upsert('products', productRow(1), 3)], 'c3'));
    expect(product(store, 1)).toMatchObject({ variant_count: 2, on_hand: 0, stock_state: 'out_of_stock' });
    applyPullPage(store, page([upsert('stock_levels', levelRow(1, 1, 50), 4)], 'c4'));
    expect(product(store, 1)).toMatchObject({ on_hand: 50, available: 50, stock_state: 'low_stock' });
    applyPullPage(store, page([upsert('stock_levels', levelRow(1, 0, 40), 5)], 'c5'));
    expect(product(store, 1)).toMatchObject({ on_hand: 90, stock_state: 'in_stock' });
    applyPullPage(store, page([remove('stock_levels', fixedId(3, 11), 6)], 'c6'));
    expect(product(store, 1)).toMatchObject({ on_hand: 40 });
    // A variant moved to another product refreshes both.
    applyPullPage(
      store,
      page(
        [upsert('products', productRow(2), 7), upsert('variants', variantRow(1, 0, { productId: fixedId(1, 2) }), 7)],
        'c7',
      ),
    );
    expect(product(store, 1)).toMatchObject({ variant_count: 1, on_hand: 0 });
    expect(product(store, 2)).toMatchObject({ variant_count: 1, on_hand: 40 });
  });

  it('stores oversells the server flags and counts first-download progress until hasMore is false', () => {
    const oversell = {
      id: fixedId(7, 1),
      variantId: fixedId(2, 10),
      locationId: LOCATION_ID,
      level: -2,
      resolvedAt: null,
      resolvedBy: null,
      createdAt: '2026-01-02T00:00:00.000Z',
    };
    applyPullPage(store, page(productChanges(1, 1, 1), 'c1', { hasMore: true, remaining: 4 }));
    expect(firstDownloadProgress(store)).toEqual({ done: 3, total: 7, complete: false });
    applyPullPage(store, page([upsert('stock_oversells', oversell, 2)], 'c2', { hasMore: false, remaining: 0 }));
    expect(firstDownloadProgress(store)).toEqual({ done: 4, total: 4, complete: true });
    expect(listOversells(store)).toMatchObject([{ variantId: fixedId(2, 10), level: -2, resolvedAt: null }]);
    applyPullPage(
      store,
      page([upsert('stock_oversells', { ...oversell, resolvedAt: '2026-01-03T00:00:00.000Z' }, 3)], 'c3'),
    );
    expect(listOversells(store)).toEqual([]);
    expect(listOversells(store, { open: false })).toHaveLength(1);
    expect(firstDownloadProgress(store)).toEqual({ done: 4, total: 4, complete: true });
  });

  it("a page of stock levels alone leaves the product's search row as it was; a new SKU is searchable at once", () => {
    applyPullPage(store, page(productChanges(1, 2, 1, 2), 'c1'));
    const rid = product(store, 1)!.rid as number;
    const matches = (query: string) =>
      store.sqlite.prepare('SELECT rowid FROM products_fts WHERE products_fts MATCH ?').pluck().all(query);
    // A marker only a rewrite of the row would remove (the index is contentless: rows are only matched).
    store.sqlite
      .prepare(
        "INSERT OR REPLACE INTO products_fts (rowid, name, skus, description, tags) VALUES (?, 'marker', '', '', '')",
      )
      .run(rid);
    applyPullPage(
      store,
      page([upsert('stock_levels', levelRow(1, 0, 0), 2), upsert('stock_levels', levelRow(1, 1, 0), 2)], 'c2'),
    );
    expect(product(store, 1)).toMatchObject({ on_hand: 0, stock_state: 'out_of_stock' });
    expect(matches('marker')).toEqual([rid]);

    applyPullPage(store, page([upsert('variants', variantRow(1, 1, { sku: 'NEW-SKU-9' }), 2)], 'c3'));
    expect(matches('marker')).toEqual([]);
    expect(matches('skus : "new sku 9"')).toEqual([rid]);
    expect(matches('trail')).toEqual([rid]);
  });

  it('keeps only recent stock movements when pruned', () => {
    const movement = (n: number, createdAt: string) => ({
      id: fixedId(6, n),
      variantId: fixedId(2, 10),
      locationId: LOCATION_ID,
      kind: 'adjustment',
      onHandDelta: -1,
      reservedDelta: 0,
      reason: 'sale',
      note: null,
      actorId: null,
      reference: null,
      onHandAfter: 5,
      createdAt,
    });
    applyPullPage(
      store,
      page(
        [
          upsert('stock_movements', movement(1, '2026-01-01T00:00:00.000Z'), 1),
          upsert('stock_movements', movement(2, '2026-03-01T00:00:00.000Z'), 2),
        ],
        'c1',
      ),
    );
    expect(pruneMovements(store, new Date('2026-02-01T00:00:00Z'))).toBe(1);
    expect(store.sqlite.prepare('SELECT id FROM stock_movements').pluck().all()).toEqual([fixedId(6, 2)]);
  });
});

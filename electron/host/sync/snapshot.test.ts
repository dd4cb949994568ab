/**
 * The first download through a scripted snapshot stream (snapshot.ts, snapshot-stream.ts,
 * db/snapshot-apply.ts), against the same data applied as pull pages: the stores must end up
 * byte-identical. Also resuming a cut stream, an epoch change, garbled streams, dropped and rebuilt
 * indexes, and pending mutations re-applied over snapshot rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Change, type PullAnswer, SNAPSHOT_TABLES, SYNCED_TABLES } from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { getSyncState } from '../db/state.js';
import { openStore, type Store } from '../db/store.js';
import { fixedId, levelRow, page, productChanges, productRow, remove, upsert, variantRow } from '../db/testkit.js';
import { NetworkError, type SyncClient } from './client.js';
import { type CycleContext, runCycle } from './cycle.js';

const EPOCH = 'epoch-1';
const order = {
  id: fixedId(6, 1),
  number: 'NX-1001',
  userId: fixedId(5, 1),
  email: 'ada@example.com',
  status: 'paid',
  currency: 'USD',
  subtotalCents: 2500,
  totalCents: 2500,
  shippingAddress: { name: 'Ada "A." Lovelace', line1: '1 Analytical Way\nFlat 2' },
  needsAttention: false,
  createdAt: '2026-01-02T00:00:00.000Z',
};
/** What the server holds: products with variants and stock, a customer and an order, in snapshot order. */
const rows: Change[] = [
  ...Array.from({ length: 6 }, (_, i) => productChanges(i + 1, 2, i + 1, i * 3)).flat(),
  upsert('customers', { id: fixedId(5, 1), email: 'ada@example.com', name: 'Ada', disabled: false }, 20),
  upsert('orders', order, 21),
].sort((a, b) => SNAPSHOT_TABLES.indexOf(a.table) - SNAPSHOT_TABLES.indexOf(b.table));
/** What changed while the stream was read: the pull from its end cursor brings it. */
const catchUp = (epoch = EPOCH) =>
  page(
    [upsert('products', productRow(2, { name: 'Renamed meanwhile' }), 30), remove('variants', fixedId(2, 31), 31)],
    'after-catch-up',
    { epoch },
  );

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** The stream after `from` rows, in batches of `limit`; `cutAfter` batches, then it stops short. */
function stream(source: Change[], from: number, limit: number, options: { cutAfter?: number; epoch?: string } = {}) {
  let text = line({
    begin: { epoch: options.epoch ?? serverEpoch, cursor: 'snap-end', total: source.length, done: from },
  });
  let batches = 0;
  for (let at = from; at < source.length; at += limit) {
    if (batches++ === options.cutAfter) return text;
    const batch = source.slice(at, at + limit);
    text += batch.map(line).join('') + line({ resume: { token: `t${at + batch.length}`, lastMutationSeq: 0 } });
  }
  return text + line({ end: { rows: source.length - from } });
}

let dir: string;
let store: Store;
let opened: { resume: string | null; limit: number }[];
let respond: (resume: string | null, limit: number) => string;
let pulled: (string | null)[];
let serverEpoch: string;

const client = {
  timeoutMs: 2000,
  registerDevice: (clientId: string) => Promise.resolve({ clientId, name: 'test', lastMutationSeq: 0 }),
  push: () => Promise.reject(new Error('nothing to push in these tests')),
  openSnapshot: (_clientId: string, resume: string | null, limit: number) => {
    opened.push({ resume, limit });
    return Promise.resolve(new Response(respond(resume, limit)));
  },
  pull: (_clientId: string, cursor: string | null) => {
    pulled.push(cursor);
    return Promise.resolve(
      cursor === 'snap-end' ? catchUp(serverEpoch) : page([], 'after-catch-up', { epoch: serverEpoch }),
    );
  },
} as unknown as SyncClient;

const context = (extra: Partial<CycleContext> = {}): CycleContext => ({
  store,
  client,
  deviceName: 'test',
  rebase: () => undefined,
  pullLimit: 5,
  ...extra,
});

/** Every synced table, the category links and the search index, row by row and byte for byte. */
function contents(s: Store) {
  s.sqlite.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, products_fts, instance)');
  const all = (source: string) => s.sqlite.prepare(source).all();
  return {
    ...Object.fromEntries(SYNCED_TABLES.map((t) => [t, all(`SELECT * FROM ${t} ORDER BY id`)])),
    links: all('SELECT * FROM product_categories ORDER BY 1, 2'),
    fts: all('SELECT doc, col, offset, term FROM temp.fts_terms ORDER BY 1, 2, 3'),
  };
}

/** The same server state downloaded as pull pages (rows in the same order), then the catch-up page. */
function pagedReference(source = rows, epoch = EPOCH) {
  const ref = openStore(':memory:');
  const pages: PullAnswer[] = [
    page(source.slice(0, 20), 'p1', { hasMore: true, epoch }),
    page(source.slice(20), 'p2', { hasMore: true, epoch }),
    catchUp(epoch),
  ];
  for (const p of pages) applyPullPage(ref, p, { deferProductIndex: true });
  const result = contents(ref);
  ref.close();
  return result;
}

const indexes = (s: Store) =>
  s.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    .pluck()
    .all();

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-snapshot-'));
  store = openStore(path.join(dir, 'host.db'));
  opened = [];
  pulled = [];
  serverEpoch = EPOCH;
  respond = (resume, limit) => stream(rows, resume ? Number(resume.slice(1)) : 0, limit);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a first download through the snapshot stream', () => {
  it('leaves the store byte-identical to a paged download, then catches up with pages from its end cursor', async () => {
    const before = indexes(store);
    await runCycle(context());
    expect(opened).toEqual([{ resume: null, limit: 5 }]);
    expect(pulled).toEqual(['snap-end']);
    expect(contents(store)).toEqual(pagedReference());
    expect(getSyncState(store)).toMatchObject({
      cursor: 'after-catch-up',
      epoch: EPOCH,
      firstDownloadComplete: true,
      firstDownloadTotal: rows.length,
    });
    expect(indexes(store)).toEqual(before);
  });

  it('a cut stream resumes after the last batch applied, on the next pass, without duplicates', async () => {
    respond = (resume, limit) => stream(rows, resume ? Number(resume.slice(1)) : 0, limit, { cutAfter: 2 });
    await expect(runCycle(context())).rejects.toBeInstanceOf(NetworkError);
    expect(getSyncState(store)).toMatchObject({ cursor: 'snapshot:t10', firstDownloadDone: 10 });
    expect(store.sqlite.prepare('SELECT count(*) FROM stock_levels').pluck().get()).toBe(10);
    // Built again only at the end: the download is not over.
    expect(indexes(store)).not.toContain('variants_sku_idx');

    respond = (resume, limit) => stream(rows, resume ? Number(resume.slice(1)) : 0, limit);
    await runCycle(context());
    expect(opened.map((o) => o.resume)).toEqual([null, 't10']);
    expect(contents(store)).toEqual(pagedReference());
    expect(indexes(store)).toContain('variants_sku_idx');
  });

  it('a snapshot of another epoch resets the store, keeps the outbox under a new client id, and starts over', async () => {
    respond = (resume, limit) => stream(rows, 0, limit, { cutAfter: 1 });
    await expect(runCycle(context())).rejects.toBeInstanceOf(NetworkError);
    const clientId = getSyncState(store).clientId;
    expect(getSyncState(store)).toMatchObject({ epoch: EPOCH, cursor: 'snapshot:t5' });
    // A restored server: its stream (even asked with our token) names another epoch.
    serverEpoch = 'epoch-2';
    respond = (resume, limit) => stream(rows, resume ? Number(resume.slice(1)) : 0, limit);
    await runCycle(context());
    expect(opened.map((o) => o.resume)).toEqual([null, 't5', null]);
    expect(getSyncState(store)).toMatchObject({ epoch: 'epoch-2', firstDownloadComplete: true });
    expect(getSyncState(store).clientId).not.toBe(clientId);
    expect(contents(store)).toEqual(pagedReference(rows, 'epoch-2'));
  });

  it.each([
    ['a garbled line', (text: string) => text.replace('"op":"upsert"', '"op":"upsert",')],
    ['no end line', (text: string) => text.slice(0, text.lastIndexOf('{"end"'))],
    ['an end that counts otherwise', (text: string) => text.replace(/"rows":\d+/, '"rows":1')],
    ['rows after the end', (text: string) => text + line(rows[0])],
    ['no begin line', (text: string) => text.slice(text.indexOf('\n') + 1)],
  ])('refuses a stream with %s, keeping only whole batches before it', async (_, spoil) => {
    respond = (resume, limit) => spoil(stream(rows, 0, limit));
    await expect(runCycle(context())).rejects.toBeInstanceOf(NetworkError);
    expect(getSyncState(store).firstDownloadComplete).toBe(false);
    const cursor = getSyncState(store).cursor;
    expect(cursor === null || cursor.startsWith('snapshot:')).toBe(true);
  });

  it('refuses a row of the wrong shape with a message naming it, and applies nothing of its batch', async () => {
    const bad = rows.map((c, i) => (i === 7 ? { ...c, row: { ...c.row, onHand: 'many' } } : c));
    respond = (resume, limit) => stream(bad, resume ? Number(resume.slice(1)) : 0, limit);
    await expect(runCycle(context())).rejects.toThrow(/onHand.*integer/);
    expect(getSyncState(store).cursor).toBe('snapshot:t5');
    expect(store.sqlite.prepare('SELECT count(*) FROM stock_levels').pluck().get()).toBe(5);
  });

  it('derives the same stock sums and product columns when a server sends tables in another order', async () => {
    const shuffled = [...rows].reverse();
    respond = (resume, limit) => stream(shuffled, resume ? Number(resume.slice(1)) : 0, limit);
    await runCycle(context());
    expect(contents(store)).toEqual(pagedReference(shuffled));
  });

  it('tells the rebase hook which tables each batch wrote, row by row only when something is pending', async () => {
    const heard: string[][] = [];
    await runCycle(context({ rebase: (_s, _seq, touched) => void heard.push(touched.map((t) => t.table)) }));
    expect(heard[0]).toEqual(['stock_levels']);
    expect(new Set(heard.flat())).toEqual(new Set(['stock_levels', 'variants', 'products', 'customers', 'orders']));
  });

  it('re-applies pending mutations over the rows each batch writes', async () => {
    const rebased: number[] = [];
    // Applied by the server, not yet shown by a pull: re-applied over every batch, never pushed again.
    store.sqlite
      .prepare(
        `INSERT INTO outbox (seq, id, name, args, created_at, status) VALUES (1, ?, 'stock.adjust', '{}', ?, 'acked')`,
      )
      .run(fixedId(7, 1), '2026-01-01T00:00:00.000Z');
    await runCycle(context({ rebase: (_s, _seq, touched) => void rebased.push(touched.length) }));
    expect(rebased.slice(0, 4)).toEqual([5, 5, 5, 5]);
  });
});

describe('derived columns summed from the stream into an empty store', () => {
  const level = (n: number, k: number, onHand: number, patch: Record<string, unknown> = {}) =>
    upsert('stock_levels', levelRow(n, k, onHand, patch), 40);
  const variant = (n: number, k: number, patch: Record<string, unknown> = {}) =>
    upsert('variants', variantRow(n, k, patch), 40);
  /**
   * Every case the derived columns distinguish: two locations of one variant, more reserved than on
   * hand, a variant without a level, a level and a variant whose owners never arrive, a product
   * without variants, available exactly at the threshold, nothing available, plenty (in euros).
   */
  const varied: Change[] = [
    level(11, 0, 4),
    level(11, 0, 7, { id: fixedId(3, 999), locationId: fixedId(9, 2), reserved: 2 }),
    level(11, 1, 1, { reserved: 3 }),
    level(13, 0, 5),
    level(13, 1, 20),
    level(14, 0, 0),
    level(15, 0, 20),
    level(19, 0, 9),
    variant(11, 0),
    variant(11, 1, { priceCents: 999 }),
    variant(11, 2, { priceCents: 5000 }),
    variant(13, 0, { lowStockThreshold: 5 }),
    variant(13, 1),
    variant(14, 0),
    variant(15, 0, { currency: 'EUR' }),
    variant(18, 0),
    ...[11, 12, 13, 14, 15].map((n) => upsert('products', productRow(n), 40)),
  ].sort((a, b) => SNAPSHOT_TABLES.indexOf(a.table) - SNAPSHOT_TABLES.indexOf(b.table) || (a.id < b.id ? -1 : 1));

  /** The synced tables' index names while each batch is applied (the rebase hook runs in its transaction). */
  const indexesPerBatch = (seen: string[][]) => (s: Store) => void seen.push(indexes(s) as string[]);

  it('match what the stored rows give, with no index to keep up while loading', async () => {
    respond = (resume, limit) => stream(varied, resume ? Number(resume.slice(1)) : 0, limit);
    const seen: string[][] = [];
    await runCycle(context({ rebase: indexesPerBatch(seen) }));
    expect(contents(store)).toEqual(pagedReference(varied));
    // The stream's batches (the catch-up pages after it hear the hook too, with the indexes back).
    const batches = Math.ceil(varied.length / 5);
    expect(seen.length).toBeGreaterThan(batches);
    for (const names of seen.slice(0, batches)) expect(names).not.toContain('variants_product_idx');
    expect(seen.at(-1)).toContain('variants_product_idx');
    const product = (n: number) =>
      store.sqlite
        .prepare(
          'SELECT variant_count, price_min_cents, on_hand, available, stock_state, currency FROM products WHERE id = ?',
        )
        .raw()
        .get(fixedId(1, n));
    // 4 + 7 on hand, 2 reserved; 1 on hand, 3 reserved; nothing: 12 on hand, 9 + 0 + 0 available,
    // and two variants at or below their threshold.
    expect(product(11)).toEqual([3, 999, 12, 9, 'low_stock', 'USD']);
    expect(product(12)).toEqual([0, null, 0, 0, 'out_of_stock', null]);
    expect(product(13)).toEqual([2, expect.any(Number), 25, 25, 'low_stock', 'USD']);
    expect(product(14)).toEqual([1, expect.any(Number), 0, 0, 'out_of_stock', 'USD']);
    expect(product(15)).toEqual([1, expect.any(Number), 20, 20, 'in_stock', 'EUR']);
  });

  it('give way to the stored rows from a row out of id order on, and are all recomputed at the end', async () => {
    const swapped = [...varied];
    const first = swapped.findIndex((c) => c.table === 'variants');
    [swapped[first], swapped[first + 1]] = [swapped[first + 1]!, swapped[first]!];
    respond = (resume, limit) => stream(swapped, resume ? Number(resume.slice(1)) : 0, limit);
    const seen: string[][] = [];
    await runCycle(context({ rebase: indexesPerBatch(seen) }));
    expect(contents(store)).toEqual(pagedReference(swapped));
    // Levels 0-4, levels 5-6 and variants 0-2 (the swap), then the indexes the subqueries read are back.
    expect(seen[1]).not.toContain('variants_product_idx');
    expect(seen[2]).toEqual(expect.arrayContaining(['variants_product_idx', 'stock_levels_variant_idx']));
    expect(seen[2]).not.toContain('variants_sku_idx');
  });

  it('give way to the stored rows once a local write is pending', async () => {
    respond = (resume, limit) => stream(varied, resume ? Number(resume.slice(1)) : 0, limit);
    const seen: string[][] = [];
    const rebase = (s: Store) => {
      seen.push(indexes(s) as string[]);
      // Staff work while the bar is up: after the first batch, a mutation is queued.
      if (seen.length === 1)
        s.sqlite
          .prepare(
            `INSERT INTO outbox (seq, id, name, args, created_at, status) VALUES (1, ?, 'stock.adjust', '{}', ?, 'acked')`,
          )
          .run(fixedId(7, 1), '2026-01-01T00:00:00.000Z');
    };
    await runCycle(context({ rebase }));
    expect(seen[0]).not.toContain('variants_product_idx');
    expect(seen[1]).toEqual(expect.arrayContaining(['variants_product_idx', 'stock_levels_variant_idx']));
    expect(contents(store)).toEqual(pagedReference(varied));
  });

  it('are not used for a stream resumed after a cut: the indexes the subqueries read come back first', async () => {
    respond = (resume, limit) => stream(varied, resume ? Number(resume.slice(1)) : 0, limit, { cutAfter: 2 });
    await expect(runCycle(context())).rejects.toBeInstanceOf(NetworkError);
    expect(indexes(store)).not.toContain('variants_product_idx');
    respond = (resume, limit) => stream(varied, resume ? Number(resume.slice(1)) : 0, limit);
    const seen: string[][] = [];
    await runCycle(context({ rebase: indexesPerBatch(seen) }));
    expect(opened.map((o) => o.resume)).toEqual([null, 't10']);
    expect(seen[0]).toEqual(expect.arrayContaining(['variants_product_idx', 'stock_levels_variant_idx']));
    expect(contents(store)).toEqual(pagedReference(varied));
  });
});

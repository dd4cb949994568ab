/**
 * npm run bench:host [-- --quick] [--products 100000 --page 1000 --samples 300 --keep]
 * The back-office host's local store (electron/host/db) on a file, as a first download fills it:
 * products with 2 or 3 variants each (about 2.5 on average) and one stock level per variant, sent
 * in the server's order through applyPullPage in pages of `--page` changes (rows/s, all derived
 * data and the FTS index included). Beside it, the floor: the same rows through raw prepared
 * INSERTs into the same tables, one transaction per page, nothing else; and NOTES.md's raw floor
 * (~500k rows/s there: one bare table, one transaction). Each row shows its speed as a ratio to both.
 * Then FTS searches and list queries on the filled store (p50/p95/p99 ms over `--samples` calls
 * each). Prints tables, writes JSON under bench/results/ and hands its rows to `npm run bench`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Change } from '../shared/sync/protocol.js';
import { applyPullPage } from '../electron/host/db/apply.js';
import { listProducts, lowStock, searchProducts } from '../electron/host/db/queries.js';
import { type Store, openStore } from '../electron/host/db/store.js';
import { CATEGORY_IDS } from '../electron/host/db/testkit.js';
import { parseBenchArgs } from './lib/options.js';
import { machine, writeResults } from './lib/results.js';
import { percentile } from './lib/stats.js';
import { reportSuiteRows } from './lib/suite.js';
import { printTable } from './lib/table.js';
import { COLOURS, SYLLABLES } from './backoffice-catalog.js';
import { hostSuiteRows } from './host-report.js';
import { NOUNS, VOCAB, pages, rng } from './host-catalog.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const options = parseBenchArgs(process.argv.slice(2), {
  schema: z.strictObject({
    products: int(10, 2_000_000).default(100_000),
    page: int(1, 100_000).default(1000),
    samples: int(1, 100_000).default(300),
    keep: z.boolean().default(false),
  }),
  flags: { products: 'products', page: 'page', samples: 'samples' },
  switches: ['keep'],
  preset: { name: 'quick', values: { products: '5000', samples: '30' } },
  usage: 'usage: npm run bench:host -- [--quick] [--products N] [--page N] [--samples N] [--keep]',
});
const PRODUCTS = options.products;
const PAGE = options.page;
const SAMPLES = options.samples;

/** The floor: the same rows, raw prepared INSERTs into the same tables, one transaction per page; ms of each. */
function floor(store: Store, all: Change[][]): number[] {
  const insert = {
    products: store.sqlite.prepare(
      `INSERT INTO products (id, slug, name, description, status, category_ids, tags, created_at, updated_at, version, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    variants: store.sqlite.prepare(
      `INSERT INTO variants (id, product_id, sku, title, price_cents, cost_cents, currency, low_stock_threshold, position, version, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    stock_levels: store.sqlite.prepare(
      `INSERT INTO stock_levels (id, variant_id, location_id, on_hand, reserved, updated_at, version, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  const times: number[] = [];
  for (const changes of all) {
    const started = performance.now();
    store.transaction(() => {
      for (const c of changes) {
        const r = c.row as Record<string, never>;
        const data = JSON.stringify(r);
        if (c.table === 'products')
          insert.products.run(
            r.id,
            r.slug,
            r.name,
            r.description,
            r.status,
            JSON.stringify(r.categoryIds),
            JSON.stringify(r.tags),
            r.createdAt,
            r.updatedAt,
            c.version,
            data,
          );
        else if (c.table === 'variants')
          insert.variants.run(
            r.id,
            r.productId,
            r.sku,
            r.title,
            r.priceCents,
            r.costCents,
            r.currency,
            r.lowStockThreshold,
            r.position,
            c.version,
            data,
          );
        else
          insert.stock_levels.run(r.id, r.variantId, r.locationId, r.onHand, r.reserved, r.updatedAt, c.version, data);
      }
    });
    times.push(performance.now() - started);
  }
  return times;
}

/** NOTES.md's floor: one bare (id, version, data) table, one prepared INSERT, all rows in one transaction. */
function bareFloor(store: Store, all: Change[][]): number {
  store.sqlite.exec('CREATE TABLE bare (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)');
  const insert = store.sqlite.prepare('INSERT INTO bare (id, version, data) VALUES (?, ?, ?)');
  const started = performance.now();
  store.transaction(() => {
    for (const changes of all) for (const c of changes) insert.run(c.id, c.version, JSON.stringify(c.row));
  });
  return performance.now() - started;
}

/** Times `run` SAMPLES times after a warm-up; adds each time to `pool` as well (the suite's row of its kind). */
function measure(pool: number[], name: string, run: (i: number) => unknown) {
  for (let i = 0; i < 20; i++) run(i);
  const times: number[] = [];
  let results = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const out = run(i);
    times.push(performance.now() - t);
    results += Array.isArray(out) ? out.length : ((out as { items: unknown[] }).items?.length ?? 0);
  }
  pool.push(...times);
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    query: name,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
    avg_rows: Math.round(results / SAMPLES),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'nexus-bench-host-'));
try {
  console.log(`\nHost store benchmark: ${PRODUCTS} products, pages of ${PAGE} changes (${machine()})\n`);
  const all = [...pages(PRODUCTS, PAGE)];
  const rows = all.reduce((sum, p) => sum + p.length, 0);

  const floorStore = openStore(path.join(dir, 'floor.db'));
  const floorPageMs = floor(floorStore, all);
  const floorMs = floorPageMs.reduce((a, b) => a + b, 0);
  const bareMs = bareFloor(floorStore, all);
  floorStore.close();

  const file = path.join(dir, 'host.db');
  const store = openStore(file);
  const pageMs = all.map((changes, i) => {
    const started = performance.now();
    applyPullPage(store, {
      changes,
      cursor: `c${i + 1}`,
      hasMore: i < all.length - 1,
      lastMutationSeq: 0,
      epoch: 'bench',
    });
    return performance.now() - started;
  });
  const applyMs = pageMs.reduce((a, b) => a + b, 0);
  const replayStarted = performance.now();
  applyPullPage(store, { changes: all[0]!, cursor: 'replay', hasMore: false, lastMutationSeq: 0, epoch: 'bench' });
  const replayMs = performance.now() - replayStarted;
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');

  const count = (table: string) => store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const fill = [
    {
      run: 'applyPullPage (upsert + derived + FTS + cursor)',
      rows,
      seconds: Math.round(applyMs) / 1000,
      rows_per_s: Math.round(rows / (applyMs / 1000)),
      vs_same_tables: `${(floorMs / applyMs).toFixed(2)}x`,
      vs_notes_floor: `${(bareMs / applyMs).toFixed(2)}x`,
    },
    {
      run: 'floor: raw prepared INSERT, same tables',
      rows,
      seconds: Math.round(floorMs) / 1000,
      rows_per_s: Math.round(rows / (floorMs / 1000)),
      vs_same_tables: '1.00x',
      vs_notes_floor: `${(bareMs / floorMs).toFixed(2)}x`,
    },
    {
      run: 'NOTES.md floor: bare (id, data) table, one transaction',
      rows,
      seconds: Math.round(bareMs) / 1000,
      rows_per_s: Math.round(rows / (bareMs / 1000)),
      vs_same_tables: `${(floorMs / bareMs).toFixed(2)}x`,
      vs_notes_floor: '1.00x',
    },
    {
      run: `replay of one page (${all[0]!.length} changes, all skipped)`,
      rows: all[0]!.length,
      seconds: Math.round(replayMs) / 1000,
      rows_per_s: Math.round(all[0]!.length / (replayMs / 1000)),
      vs_same_tables: '',
      vs_notes_floor: '',
    },
  ];
  printTable(fill);
  const stored = { products: count('products'), variants: count('variants'), stock_levels: count('stock_levels') };
  const fileMb = Math.round(statSync(file).size / 2 ** 20);
  console.log(`\nstored: ${JSON.stringify(stored)}; file ${fileMb} MiB\n`);

  const r = rng(7);
  const anyOf = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const searchMs: number[] = [];
  const listMs: number[] = [];
  const queries = [
    measure(searchMs, 'search: 2-letter prefix ("ka", unranked)', () =>
      searchProducts(store, { q: anyOf(SYLLABLES.filter((x) => x.length === 2)) }),
    ),
    measure(searchMs, 'search: 3-letter prefix ("tor", ranked)', () =>
      searchProducts(store, { q: anyOf(SYLLABLES.filter((x) => x.length === 3)) }),
    ),
    measure(searchMs, 'search: word prefix ("hood")', () => searchProducts(store, { q: anyOf(NOUNS).slice(0, 4) })),
    measure(searchMs, 'search: word prefix, active only', () =>
      searchProducts(store, { q: anyOf(NOUNS).slice(0, 4), status: 'active' }),
    ),
    measure(searchMs, 'search: rare word', () => searchProducts(store, { q: anyOf(VOCAB.slice(-500)) })),
    measure(searchMs, 'search: two words', () => searchProducts(store, { q: `${anyOf(COLOURS)} ${anyOf(NOUNS)}` })),
    measure(searchMs, 'search: exact SKU', () => {
      const n = 1 + Math.floor(r() * PRODUCTS);
      return searchProducts(store, { q: `${NOUNS[n % NOUNS.length]!.slice(0, 4).toUpperCase()}-${n}-M` });
    }),
    measure(listMs, 'list: all, by name, page 1 (+ total)', () => listProducts(store, { sort: 'name' })),
    measure(listMs, 'list: all, by -price, page 1', () => listProducts(store, { sort: '-price' })),
    measure(listMs, 'list: all, by name, offset 5000', () => listProducts(store, { sort: 'name', offset: 5000 })),
    measure(listMs, 'list: category, by -price', () =>
      listProducts(store, { categoryId: anyOf(CATEGORY_IDS), sort: '-price' }),
    ),
    measure(listMs, 'list: active + low stock, by available', () =>
      listProducts(store, { status: 'active', stockState: 'low_stock', sort: 'available' }),
    ),
    measure(listMs, 'list: out of stock, by -updated', () =>
      listProducts(store, { stockState: 'out_of_stock', sort: '-updated' }),
    ),
    measure(listMs, 'low-stock variants (+ total)', () => lowStock(store)),
    measure(listMs, 'low-stock variants, offset 2000', () => lowStock(store, { offset: 2000 })),
  ];
  printTable(queries);
  store.close();
  writeResults('host', {
    products: PRODUCTS,
    page: PAGE,
    samples: SAMPLES,
    machine: machine(),
    stored,
    fileMb,
    fill,
    queries,
  });
  reportSuiteRows('host', hostSuiteRows({ products: PRODUCTS, rows, pageMs, floorPageMs, searchMs, listMs }));
} finally {
  if (options.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

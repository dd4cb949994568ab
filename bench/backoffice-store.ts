/**
 * The host store bench:backoffice opens: a catalog of N products (3 variants each, one stock level
 * per variant) written the way a first download's snapshot stream writes it (db/snapshot-apply.ts,
 * secondary indexes dropped meanwhile, product index built on the last page), but from rows made in
 * this process: no server to seed, no wire, and the store ends up exactly as after a download.
 *
 * Building 100k products takes tens of seconds, so the file is kept under the OS temp folder, keyed
 * by its size and by what shapes it (the host's migrations and SEED_VERSION): a second run copies it.
 * The copy is what the host opens, so the cached file never sees a session or a WAL.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SNAPSHOT_TABLES, type SyncedTable } from '../shared/sync/protocol.js';
import { applyPullPage } from '../electron/host/db/apply.js';
import { beginBulkWrites, dropSyncedIndexes, restoreSyncedIndexes } from '../electron/host/db/first-download.js';
import { applySnapshotBatch, type SnapshotRow } from '../electron/host/db/snapshot-apply.js';
import { DEFAULT_MIGRATIONS_FOLDER, openStore } from '../electron/host/db/store.js';
import { fixedId, levelRow, LOCATION_ID, variantRow } from '../electron/host/db/testkit.js';
import { productName, productWords, SIZES, skuOf, unit } from './backoffice-catalog.js';

/** Bump when the rows made here change, so cached stores are rebuilt. */
const SEED_VERSION = 2;
export const CACHE_DIR = path.join(tmpdir(), 'nexus-bench-backoffice');
export const VARIANTS_PER = 3;
const BATCH = 5000;
const EPOCH = 'bench-backoffice';
const at = '2026-01-01T00:00:00.000Z';
const CATEGORIES = ['Apparel', 'Outerwear', 'Accessories', 'Home', 'Kitchen', 'Footwear'];
const CATEGORY_IDS = CATEGORIES.map((_, i) => fixedId(8, i + 1));

function productRow(n: number): Record<string, unknown> {
  const { brand, colour, noun } = productWords(n);
  return {
    id: fixedId(1, n),
    slug: `${brand}-${colour}-${noun}-${n}`,
    name: productName(n),
    description: Array.from({ length: 10 }, (_, i) => productWords(n * 16 + i).brand).join(' '),
    // Not a divisor of the nouns' count: drafts spread over every kind of product.
    status: n % 23 === 0 ? 'draft' : n % 51 === 1 ? 'archived' : 'active',
    categoryIds: [CATEGORY_IDS[n % CATEGORY_IDS.length]],
    tags: [colour, noun],
    options: [{ name: 'Size', values: SIZES }],
    createdAt: at,
    updatedAt: at,
  };
}

/** The host tests' variant and level rows, with this catalog's SKUs, prices and stock. */
const variantOf = (n: number, k: number) =>
  variantRow(n, k, { sku: skuOf(n, k), priceCents: 1000 + Math.floor(unit(n, 2) * 20_000) + k * 200, costCents: 500 });
// Some sold out, some low, most in stock: every stock state shows up in the list.
const levelOf = (n: number, k: number) => levelRow(n, k, Math.max(0, Math.floor(unit(n * 10 + k, 3) * 120) - 3));

/** Every row in SNAPSHOT_TABLES order (levels before variants before products), as the stream sends them. */
function* snapshotRows(products: number): Generator<SnapshotRow> {
  const row = (table: SyncedTable, value: Record<string, unknown>): SnapshotRow => ({
    table,
    id: value.id as string,
    version: 1,
    row: JSON.stringify({ ...value, version: 1 }),
  });
  const byTable: Partial<Record<SyncedTable, () => Iterable<Record<string, unknown>>>> = {
    categories: () =>
      CATEGORIES.map((name, i) => ({
        id: CATEGORY_IDS[i],
        parentId: null,
        slug: name.toLowerCase(),
        name,
        description: null,
        position: i,
        createdAt: at,
        updatedAt: at,
      })),
    stock_locations: () => [{ id: LOCATION_ID, code: 'main', name: 'Main warehouse', isDefault: true, createdAt: at }],
    stock_levels: function* () {
      for (let n = 1; n <= products; n++) for (let k = 0; k < VARIANTS_PER; k++) yield levelOf(n, k);
    },
    variants: function* () {
      for (let n = 1; n <= products; n++) for (let k = 0; k < VARIANTS_PER; k++) yield variantOf(n, k);
    },
    products: function* () {
      for (let n = 1; n <= products; n++) yield productRow(n);
    },
  };
  for (const table of SNAPSHOT_TABLES) for (const value of byTable[table]?.() ?? []) yield row(table, value);
}

/** Writes a whole catalog into a new store file as a snapshot download would, then closes it. */
export function buildStore(file: string, products: number): void {
  const store = openStore(file);
  const endBulk = beginBulkWrites(store);
  try {
    dropSyncedIndexes(store);
    const total = products * (1 + 2 * VARIANTS_PER) + CATEGORIES.length + 1;
    let batch: SnapshotRow[] = [];
    let done = 0;
    const flush = () => {
      done += batch.length;
      const state = { epoch: EPOCH, cursor: `snapshot:bench-${done}`, lastMutationSeq: 0, done, total };
      const result = applySnapshotBatch(store, batch, state);
      if (result.status !== 'applied') throw new Error(`snapshot batch refused: ${result.status}`);
      batch = [];
    };
    for (const row of snapshotRows(products)) {
      batch.push(row);
      if (batch.length === BATCH) flush();
    }
    if (batch.length > 0) flush();
    store.transaction(() => restoreSyncedIndexes(store));
    // The pull that follows a snapshot: its last page builds the product index and marks the download done.
    const end = { changes: [], cursor: 'bench-end', hasMore: false, lastMutationSeq: 0, epoch: EPOCH };
    const result = applyPullPage(store, end, { deferProductIndex: true });
    if (result.status !== 'applied') throw new Error(`closing pull page refused: ${result.status}`);
  } finally {
    endBulk();
    store.close();
  }
}

/** What the cached file depends on besides its size: the seed and the host's schema. */
function fingerprint(): string {
  const hash = createHash('sha256').update(`seed ${SEED_VERSION}`);
  for (const name of readdirSync(DEFAULT_MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) hash.update(name);
  return hash.digest('hex').slice(0, 10);
}

export interface PreparedStore {
  /** The cached store file (read-only for the bench: copy it before opening). */
  file: string;
  /** Seconds spent building it now; null when it came from the cache. */
  builtSeconds: number | null;
}

/** Where the store for `products` products is cached. */
export const cachedStoreFile = (products: number) => path.join(CACHE_DIR, `store-${products}p-${fingerprint()}.db`);

/**
 * The cached store for `products` products, built first when missing or when `rebuild` is set
 * (into a temporary name, then renamed: an interrupted build is never taken for a finished one).
 */
export function preparedStore(products: number, { rebuild = false, log = console.log } = {}): PreparedStore {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = cachedStoreFile(products);
  if (existsSync(file) && !rebuild) return { file, builtSeconds: null };
  log(`building a host store with ${products} products (cached afterwards in ${CACHE_DIR}) ...`);
  const partial = `${file}.${process.pid}.partial`;
  const started = performance.now();
  try {
    buildStore(partial, products);
    renameSync(partial, file);
    // A store of the same size for an older schema or seed is never read again: half a GiB at 100k.
    for (const name of readdirSync(CACHE_DIR))
      if (name.startsWith(`store-${products}p-`) && name.endsWith('.db') && path.join(CACHE_DIR, name) !== file)
        rmSync(path.join(CACHE_DIR, name), { force: true });
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  }
  return { file, builtSeconds: Math.round(performance.now() - started) / 1000 };
}

/** A private copy of the cached store as `<dataDir>/backoffice.db`, where createBackofficeHost looks. */
export function copyStoreInto(cached: string, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(cached, path.join(dataDir, 'backoffice.db'));
}

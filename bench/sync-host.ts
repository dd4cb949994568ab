/**
 * The back-office side of bench/sync.ts: what it measures on the host store and engine, each
 * step a function so sync.ts reads as the scenario. Everything here runs in the bench's own
 * process, the server in a child (sync-server.ts), so host timings include no server work.
 */
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { parseMutation } from '../shared/sync/mutations.js';
import { SYNCED_TABLES } from '../shared/sync/protocol.js';
import { AppError } from '../shared/domain/errors.js';
import { enqueueMutation } from '../electron/host/db/outbox.js';
import { getSyncState } from '../electron/host/db/state.js';
import type { Store } from '../electron/host/db/store.js';
import type { SyncEngine } from '../electron/host/sync/engine.js';
import { applyLocal } from '../electron/host/sync/local.js';
import type { SyncStatus } from '../electron/host/sync/status.js';
import type { StockExpectation } from './sync-check.js';

export interface PullTally {
  /** Pull pages and snapshot streams asked for. */
  requests: number;
  snapshots: number;
  /** Time the host spent waiting for their bytes (a pull: until its last byte; a stream: each read). */
  ms: number;
  bytes: number;
  /** Event streams (SSE) the engine has opened so far. */
  streams: number;
  /** Each push request, until its answer was read (ms). */
  pushMs: number[];
}

/**
 * A snapshot stream's body that adds the time the host waits for each read to `tally.ms`: the
 * stream overlaps host work, so only the waits are "server and wire" time.
 */
function timedBody(body: ReadableStream<Uint8Array>, tally: PullTally): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const started = performance.now();
        const { done, value } = await reader.read();
        tally.ms += performance.now() - started;
        if (done) controller.close();
        else {
          tally.bytes += value.byteLength;
          controller.enqueue(value);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * A fetch for the engine that times pull requests up to the last byte of their body, and snapshot
 * streams read by read, so the download splits into "waiting for the server and the wire" and
 * "host work" (parse, validate, apply); counts opened event streams (the edit latency waits for
 * one), and times push requests. With `paged`, it answers the snapshot with a 404, as a server
 * without it would: the engine then downloads in pull pages (for comparison).
 */
export function pullTimer(paged = false): { fetch: typeof fetch; tally: PullTally; reset(): void } {
  const tally: PullTally = { requests: 0, snapshots: 0, ms: 0, bytes: 0, streams: 0, pushMs: [] };
  const timed: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const snapshot = url.includes('/api/v1/sync/snapshot');
    if (snapshot && paged) return new Response('not here', { status: 404 });
    const started = performance.now();
    const res = await fetch(input, init);
    if (url.includes('/api/v1/sync/events') && res.ok) tally.streams++;
    if (snapshot && res.ok && res.body) {
      tally.snapshots++;
      tally.ms += performance.now() - started;
      return new Response(timedBody(res.body, tally), { status: res.status, headers: res.headers });
    }
    const push = url.includes('/api/v1/sync/push');
    if (!(push || url.includes('/api/v1/sync/pull')) || !res.ok) return res;
    const body = await res.arrayBuffer();
    if (push) tally.pushMs.push(performance.now() - started);
    else {
      tally.requests++;
      tally.ms += performance.now() - started;
      tally.bytes += body.byteLength;
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return {
    fetch: timed,
    tally,
    reset: () => Object.assign(tally, { requests: 0, snapshots: 0, ms: 0, bytes: 0, pushMs: [] }),
  };
}

/**
 * Resolves with the moment the first download's last page was applied, and the moment each batch
 * before it was (when the count of downloaded changes grew), all measured on 'status' events.
 */
export function whenDownloaded(store: Store, engine: SyncEngine): Promise<{ at: number; batchesAt: number[] }> {
  const batchesAt: number[] = [];
  let done = 0;
  return new Promise((resolve) => {
    const check = () => {
      const state = getSyncState(store);
      if (state.firstDownloadDone > done) {
        done = state.firstDownloadDone;
        batchesAt.push(performance.now());
      }
      if (!state.firstDownloadComplete) return;
      engine.off('status', check);
      resolve({ at: performance.now(), batchesAt });
    };
    engine.on('status', check);
  });
}

type StoredRow = [table: string, id: string, version: number, data: string];

/** Every synced row the download stored, as the floor inserts them. */
export function storedRows(store: Store): StoredRow[] {
  const rows: StoredRow[] = [];
  for (const table of SYNCED_TABLES) {
    const statement = store.sqlite.prepare(`SELECT id, version, data FROM ${table}`).raw();
    for (const [id, version, data] of statement.iterate() as Iterable<[string, number, string]>)
      rows.push([table, id, version, data]);
  }
  return rows;
}

/**
 * The floor: the same rows (their stored JSON, so the same bytes) into one bare table of a fresh
 * file with the store's pragmas, one prepared INSERT, one transaction per `perTransaction` rows.
 * Answers the milliseconds of each transaction (the inserts alone).
 */
export function rawInsertMs(rows: readonly StoredRow[], perTransaction: number, dir: string): number[] {
  const db = new Database(path.join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE bare (id TEXT PRIMARY KEY, tbl TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bare (id, tbl, version, data) VALUES (?, ?, ?, ?)');
    const page = db.transaction((slice: readonly StoredRow[]) => {
      for (const [table, id, version, data] of slice) insert.run(id, table, version, data);
    });
    const times: number[] = [];
    for (let i = 0; i < rows.length; i += perTransaction) {
      const slice = rows.slice(i, i + perTransaction);
      const started = performance.now();
      page(slice);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    db.close();
  }
}

/** `count` product ids spread evenly over the stored catalog. */
export function spreadProductIds(store: Store, count: number): string[] {
  const ids = store.sqlite.prepare('SELECT id FROM products ORDER BY rid').pluck().all() as string[];
  const stride = Math.max(1, Math.floor(ids.length / count));
  return Array.from({ length: Math.min(count, ids.length) }, (_, i) => ids[i * stride]!);
}

/**
 * Resolves with the moment the host's product row shows `name` (checked on every engine status
 * event, which follows each applied page, and every 2 ms besides), or null after `timeoutMs`.
 */
export function whenNameShows(
  store: Store,
  engine: SyncEngine,
  productId: string,
  name: string,
  timeoutMs: number,
): Promise<number | null> {
  const read = store.cached('bench:product-name', () =>
    store.sqlite.prepare('SELECT name FROM products WHERE id = ?').pluck(),
  );
  return new Promise((resolve) => {
    let done = false;
    const finish = (at: number | null) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(limit);
      engine.off('status', check);
      resolve(at);
    };
    const check = () => {
      if (read.get(productId) === name) finish(performance.now());
    };
    const poll = setInterval(check, 2);
    const limit = setTimeout(() => finish(null), timeoutMs);
    engine.on('status', check);
    check();
  });
}

/** Deterministic pseudo-random numbers in [0, 1) (xorshift32), so two runs queue the same mutations. */
export function seededRandom(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const YIELD_EVERY = 200;

/** A stock.adjust as staff make them: mostly sales, some deliveries, a few corrections either way. */
function adjustment(random: () => number): { delta: number; reason: 'sale' | 'received' | 'adjustment' } {
  const r = random();
  const size = (max: number) => 1 + Math.floor(random() * max);
  if (r < 0.6) return { delta: -size(3), reason: 'sale' };
  if (r < 0.8) return { delta: size(20), reason: 'received' };
  return { delta: (random() < 0.5 ? -1 : 1) * size(5), reason: 'adjustment' };
}

/**
 * Queues `count` stock.adjust mutations over up to `variants` variants (the engine must be
 * stopped: this is the offline queue). Answers what each variant should end at on the server,
 * from the levels the host held before (the local writes move them at once).
 */
export async function queueAdjustments(
  store: Store,
  count: number,
  variants: number,
  random: () => number,
): Promise<{ expected: Map<string, StockExpectation>; ms: number }> {
  const levels = store.sqlite
    .prepare('SELECT variant_id AS variantId, on_hand AS onHand FROM stock_levels ORDER BY variant_id')
    .all() as { variantId: string; onHand: number }[];
  if (levels.length === 0) throw new AppError('internal', 'the host store has no stock levels to adjust');
  const stride = Math.max(1, Math.floor(levels.length / variants));
  const targets = levels.filter((_, i) => i % stride === 0).slice(0, variants);
  const expected = new Map<string, StockExpectation>();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    // Let the event loop breathe now and then, as edits spread over a day would: seconds of
    // blocking let the server drop an idle keep-alive socket unseen, and the push's first request
    // then fails on it (UND_ERR_SOCKET).
    if (i > 0 && i % YIELD_EVERY === 0) await setImmediate();
    const target = targets[Math.floor(random() * targets.length)]!;
    const args = { variantId: target.variantId, ...adjustment(random) };
    const parsed = parseMutation('stock.adjust', args);
    if (!parsed.ok) throw new AppError('validation_failed', parsed.message);
    // As the back-office's handlers do: the optimistic local write and the outbox entry together.
    enqueueMutation(store, { name: 'stock.adjust', args }, (s) => applyLocal(s, parsed.mutation));
    const { delta } = args;
    const entry = expected.get(target.variantId) ?? { initialOnHand: target.onHand, delta: 0, mutations: 0 };
    entry.delta += delta;
    entry.mutations++;
    expected.set(target.variantId, entry);
  }
  return { expected, ms: performance.now() - started };
}

export interface DrainResult {
  /** From syncNow() until the status first showed nothing pending (every push answered); null if never. */
  drainedMs: number | null;
  /** Until syncNow() resolved (the pull that brings the server's new levels back included). */
  totalMs: number;
  status: SyncStatus;
}

export async function drainOutbox(engine: SyncEngine): Promise<DrainResult> {
  let drainedAt: number | null = null;
  const check = () => {
    if (drainedAt === null && engine.status().pending === 0) drainedAt = performance.now();
  };
  engine.on('status', check);
  const started = performance.now();
  try {
    const status = await engine.syncNow();
    const finished = performance.now();
    if (drainedAt === null && status.pending === 0) drainedAt = finished;
    return { drainedMs: drainedAt === null ? null : drainedAt - started, totalMs: finished - started, status };
  } finally {
    engine.off('status', check);
  }
}

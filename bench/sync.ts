/**
 * npm run bench:sync [-- --smoke | --quick | --products 100000 --variants-per 3 --orders 50000 --db pglite|postgres
 *                       --page N --paged --edits 30 --edit-gap-ms 200 --mutations 10000 --keep]
 * The back-office's sync against a real server over loopback HTTP (issue 6, "Performance"):
 * 1. First download of a seeded catalog (products, variants, stock levels, customers, orders and
 *    their lines) into a fresh host store: seconds and changes/s, split into waiting for the
 *    server and host work, beside the raw better-sqlite3 INSERT rate of the same rows measured in
 *    the same run (bare table, one prepared statement, one transaction per batch), and their ratio.
 *    The engine downloads as it would in the field (the snapshot stream, then pages to catch up);
 *    `--paged` makes the snapshot answer 404 so it pulls pages only, `--page` sets their size.
 * 2. Edit → host latency: with the engine started (event stream on), products are renamed through
 *    the admin API one at a time; each sample runs from the PATCH's answer until the host's SQLite
 *    row shows the new name (p50 / p95 / max).
 * 3. Offline push: the engine stopped, `--mutations` stock.adjust are queued, then one syncNow()
 *    drains them (seconds until nothing is pending, mutations/s); the server's levels must have
 *    moved by exactly the sum of the deltas ("ok" / "MISMATCH", exit code 1 on a mismatch).
 * 4. One pull page (`--page` changes, else the engine's default) over HTTP, one at a time, beside
 *    its floor: the server's pull service called directly in the server process (no HTTP).
 * The server runs in a child process (sync-server.ts), seeded with set-based SQL, so its work
 * never shares the host's event loop. Postgres by default when it answers, else PGlite. Prints a
 * table, writes JSON under bench/results/ and hands its rows to `npm run bench`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { AppError } from '../shared/domain/errors.js';
import { DEFAULT_PULL_LIMIT, DEFAULT_SNAPSHOT_BATCH, PROTOCOL_VERSION } from '../shared/sync/protocol.js';
import { FIRST_DOWNLOAD_PULL_LIMIT } from '../electron/host/db/first-download.js';
import { getSyncState } from '../electron/host/db/state.js';
import { openStore, type Store } from '../electron/host/db/store.js';
import { createSyncEngine, type SyncEngine } from '../electron/host/sync/engine.js';
import { rebasePending } from '../electron/host/sync/local.js';
import { type BenchChild, startChild } from './lib/child.js';
import { httpJson } from './lib/http-load.js';
import { PG_ADMIN_URL, freshPostgres } from './lib/postgres.js';
import { machine, writeResults } from './lib/results.js';
import { reportSuiteRows } from './lib/suite.js';
import { checkStock, type ServerStockRow, summarizeLatency } from './sync-check.js';
import { measureEdits, staffToken } from './sync-edits.js';
import {
  drainOutbox,
  pullTimer,
  queueAdjustments,
  rawInsertMs,
  seededRandom,
  spreadProductIds,
  storedRows,
  whenDownloaded,
} from './sync-host.js';
import { parseSyncOptions, type SyncBenchOptions } from './sync-options.js';
import { printReport, syncSuiteRows } from './sync-report.js';
import type { SyncServerReady } from './sync-server.js';
import { tcpAnswers } from '../scripts/lib/tcp.js';

/** The variants the offline mutations spread over: many mutations per variant, as a shop's day. */
const ADJUSTED_VARIANTS = 1000;
/** Pull pages timed over HTTP, and as many in the floor. */
const PULL_SAMPLES = 20;

const postgresAnswers = (url: string) => tcpAnswers(url, 5432);

/** The scratch database: made afresh, or with `--reuse` the one a previous run left (made if missing). */
async function benchDatabase(reuse: boolean): Promise<string> {
  const name = 'nexus_bench_sync';
  if (!reuse) return freshPostgres(name);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startServer(options: SyncBenchOptions, kind: 'pglite' | 'postgres') {
  console.log(`[${kind}] seeding the server and starting it…`);
  const child = await startChild<SyncServerReady>('bench/sync-server.ts', {
    ...process.env,
    BENCH_SYNC_DATABASE_URL: kind === 'postgres' ? await benchDatabase(options.reuse) : '',
    BENCH_REUSE: options.reuse ? '1' : '',
    BENCH_PRODUCTS: String(options.products),
    BENCH_VARIANTS_PER: String(options.variantsPer),
    BENCH_ORDERS: String(options.orders),
    BENCH_JSON_BODY_LIMIT: options.jsonBodyLimit,
    BENCH_SEED_CHUNK: String(options.seedChunk),
  });
  const { seed } = child.ready;
  const rows = Object.values(seed.counts).reduce((a, b) => a + b, 0);
  console.log(
    `[${kind}] seeded ${rows} rows (${JSON.stringify(seed.counts)}; ${seed.syncLog} sync_log entries) ` +
      `in ${seed.seconds.toFixed(1)} s`,
  );
  return child;
}

async function firstDownload(
  store: Store,
  engine: SyncEngine,
  timer: ReturnType<typeof pullTimer>,
  ready: SyncServerReady,
  dir: string,
  perTransaction: number,
) {
  const downloaded = whenDownloaded(store, engine).then((done) => ({ ...done, pulls: { ...timer.tally } }));
  // Signing in starts the first pass at once: the clock starts when sign-in answers (its password hash is not sync).
  await engine.login({ serverUrl: ready.url, ...ready.staff });
  const started = performance.now();
  const status = await engine.syncNow();
  if (status.lastError || !getSyncState(store).firstDownloadComplete)
    throw new AppError('service_unavailable', `first download failed: ${status.lastError ?? 'incomplete'}`);
  const { at, batchesAt, pulls } = await downloaded;
  // Each batch from the previous one's end (the first from the clock's start): waiting plus applying.
  const batchMs = batchesAt.map((t, i) => t - (i === 0 ? started : batchesAt[i - 1]!));
  const changes = getSyncState(store).firstDownloadDone;
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const fileMb = Math.round(statSync(store.file).size / 2 ** 20);
  console.log(`downloaded ${changes} changes in ${((at - started) / 1000).toFixed(1)} s; measuring the raw floor…`);

  const rows = storedRows(store);
  const transactionMs = rawInsertMs(rows, perTransaction, dir);
  const floor = { rows: rows.length, ms: transactionMs.reduce((a, b) => a + b, 0), transactionMs };
  return { changes, ms: at - started, batchMs, pulls, fileMb, floor };
}

/** Rows per download transaction, as the engine will choose them: the raw floor commits as often. */
const batchSize = (o: SyncBenchOptions) => o.page ?? (o.paged ? FIRST_DOWNLOAD_PULL_LIMIT : DEFAULT_SNAPSHOT_BATCH);

async function editLatency(
  store: Store,
  engine: SyncEngine,
  timer: ReturnType<typeof pullTimer>,
  ready: SyncServerReady,
  options: SyncBenchOptions,
) {
  engine.start();
  await engine.syncNow();
  for (let waited = 0; timer.tally.streams === 0; waited += 10) {
    if (waited > 10_000) throw new AppError('service_unavailable', 'the engine did not open its event stream');
    await sleep(10);
  }
  await sleep(200);
  console.log(`editing ${options.edits} products through the admin API…`);
  const api = httpJson(ready.url, 1);
  try {
    const token = await staffToken(api, ready.staff.email, ready.staff.password);
    const productIds = spreadProductIds(store, options.edits);
    return await measureEdits({ store, engine, api, token, productIds, gapMs: options.editGapMs });
  } finally {
    api.close();
  }
}

async function offlinePush(
  store: Store,
  engine: SyncEngine,
  timer: ReturnType<typeof pullTimer>,
  child: BenchChild<SyncServerReady>,
  options: SyncBenchOptions,
) {
  await engine.stop();
  await child.ask('mark');
  const queued = await queueAdjustments(store, options.mutations, ADJUSTED_VARIANTS, seededRandom(42));
  console.log(`queued ${options.mutations} stock.adjust offline in ${(queued.ms / 1000).toFixed(2)} s; pushing…`);
  const pushesBefore = timer.tally.pushMs.length;
  const drain = await drainOutbox(engine);
  const pushMs = timer.tally.pushMs.slice(pushesBefore);
  const check = checkStock(queued.expected, await child.ask<ServerStockRow[]>('stock'));
  return { queueMs: queued.ms, variants: queued.expected.size, drain, pushMs, check };
}

/**
 * One pull page through the API as the engine asks for it (signed in, its device), the second
 * page of a download `PULL_SAMPLES` times one after another, then the same in the server process
 * without HTTP (sync-server.ts `pull-floor`). The engine is stopped: nothing else is asked meanwhile.
 */
async function pullPage(store: Store, child: BenchChild<SyncServerReady>, options: SyncBenchOptions) {
  const limit = options.page ?? DEFAULT_PULL_LIMIT;
  const clientId = getSyncState(store).clientId;
  const api = httpJson(child.ready.url, 1);
  try {
    const headers = {
      Authorization: `Bearer ${await staffToken(api, child.ready.staff.email, child.ready.staff.password)}`,
    };
    const path = `/api/v1/sync/pull?clientId=${clientId}&protocolVersion=${PROTOCOL_VERSION}&limit=${limit}`;
    const first = await api.request('GET', path, undefined, headers);
    const cursor = (first.body as { cursor?: string } | undefined)?.cursor;
    if (first.status !== 200 || !cursor) throw new AppError('service_unavailable', `pull answered ${first.status}`);
    const ms: number[] = [];
    let errors = 0;
    for (let i = 0; i < PULL_SAMPLES; i++) {
      const started = performance.now();
      const answer = await api.request('GET', `${path}&cursor=${encodeURIComponent(cursor)}`, undefined, headers);
      if (answer.status === 200) ms.push(performance.now() - started);
      else errors++;
    }
    const floor = await child.ask<number[] | { error: string }>(
      `pull-floor ${JSON.stringify({ clientId, limit, samples: PULL_SAMPLES })}`,
    );
    if (!Array.isArray(floor)) throw new AppError('internal', `pull floor: ${floor.error}`);
    return { limit, ms, errors, floorMs: floor };
  } finally {
    api.close();
  }
}

async function main(): Promise<number> {
  let options: SyncBenchOptions;
  try {
    options = parseSyncOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 64;
  }
  const kind = options.db ?? ((await postgresAnswers(PG_ADMIN_URL)) ? 'postgres' : 'pglite');
  const child = await startServer(options, kind);
  const dir = mkdtempSync(path.join(tmpdir(), 'nexus-bench-sync-'));
  const store = openStore(path.join(dir, 'backoffice.db'));
  const timer = pullTimer(options.paged);
  const errors: string[] = [];
  const engine = createSyncEngine({
    store,
    rebase: rebasePending,
    liveEvents: true,
    ...(options.page ? { pullLimit: options.page } : {}),
    // Far above any measured step: latency must come from the event stream, not the fallback timer.
    pollIntervalMs: 120_000,
    requestTimeoutMs: 120_000,
    fetch: timer.fetch,
    deviceName: 'bench:sync',
    backoff: { baseMs: 100, maxMs: 2000, minMs: 50 },
  });
  // Failed passes, for the report (the status shows only the last one).
  engine.on('sync-error', (error: Error) => errors.push(error.message));
  try {
    const download = await firstDownload(store, engine, timer, child.ready, dir, batchSize(options));
    const edits = await editLatency(store, engine, timer, child.ready, options);
    const push = await offlinePush(store, engine, timer, child, options);
    const pulls = await pullPage(store, child, options);
    const results = {
      options,
      database: kind,
      machine: machine(),
      seed: child.ready.seed,
      download,
      edits: {
        afterAnswer: summarizeLatency(edits.afterAnswer),
        afterSend: summarizeLatency(edits.afterSend),
        patch: summarizeLatency(edits.patch),
        timeouts: edits.timeouts,
        samples: edits,
      },
      push,
      pulls,
      engineErrors: errors,
    };
    printReport(results);
    writeResults('sync', results);
    reportSuiteRows('sync', syncSuiteRows(results));
    return push.check.ok && edits.timeouts === 0 ? 0 : 1;
  } finally {
    await engine.stop();
    store.close();
    await child.stop();
    if (options.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();

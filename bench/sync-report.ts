/**
 * The table bench/sync.ts prints (one line per figure, with the issue's target beside it), and
 * its rows for `npm run bench`.
 */
import { FIRST_DOWNLOAD_PULL_LIMIT } from '../electron/host/db/first-download.js';
import type { SyncStatus } from '../electron/host/sync/status.js';
import { DEFAULT_SNAPSHOT_BATCH } from '../shared/sync/protocol.js';
import { printTable } from './lib/table.js';
import { percentile } from './lib/stats.js';
import type { SuiteRow } from './lib/suite.js';
import { describeStockCheck, type LatencySummary, type StockCheck } from './sync-check.js';
import type { EditSamples } from './sync-edits.js';
import type { PullTally } from './sync-host.js';
import type { SyncBenchOptions } from './sync-options.js';

export interface SyncResults {
  options: SyncBenchOptions;
  database: string;
  machine: string;
  download: {
    changes: number;
    ms: number;
    /** Each batch of the download, from the previous one applied to this one applied. */
    batchMs: number[];
    pulls: PullTally;
    fileMb: number;
    floor: { rows: number; ms: number; transactionMs: number[] };
  };
  edits: {
    afterAnswer: LatencySummary;
    afterSend: LatencySummary;
    patch: LatencySummary;
    timeouts: number;
    samples: EditSamples;
  };
  push: {
    queueMs: number;
    variants: number;
    drain: { drainedMs: number | null; totalMs: number; status: SyncStatus };
    /** Each push request of the drain, until its answer was read. */
    pushMs: number[];
    check: StockCheck;
  };
  /** One pull page over HTTP, and the server's pull service alone (the floor), in ms each. */
  pulls: { limit: number; ms: number[]; errors: number; floorMs: number[] };
  engineErrors: string[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

function downloadRows(r: SyncResults) {
  const d = r.download;
  const hostMs = d.ms - d.pulls.ms;
  const rate = d.changes / (d.ms / 1000);
  const hostRate = d.changes / (hostMs / 1000);
  const floorRate = d.floor.rows / (d.floor.ms / 1000);
  const o = r.options;
  const batch = o.page ?? DEFAULT_SNAPSHOT_BATCH;
  const how = o.paged ? `pull pages of ${o.page ?? FIRST_DOWNLOAD_PULL_LIMIT}` : `snapshot stream, batches of ${batch}`;
  return [
    {
      step: `1. first download: ${d.changes} changes, ${how}`,
      time: seconds(d.ms),
      rate: perSecond(d.changes, d.ms),
      target: '',
      met: '',
    },
    {
      step: `   waiting for server + wire (${d.pulls.snapshots} streams, ${d.pulls.requests} pulls, ${Math.round(d.pulls.bytes / 2 ** 20)} MiB)`,
      time: seconds(d.pulls.ms),
      rate: '',
      target: '',
      met: '',
    },
    {
      step: `   host work: parse, validate, apply (store file ${d.fileMb} MiB)`,
      time: seconds(hostMs),
      rate: perSecond(d.changes, hostMs),
      target: '',
      met: '',
    },
    {
      step: `   raw better-sqlite3 INSERT: same ${d.floor.rows} rows, bare table, ${o.paged ? (o.page ?? FIRST_DOWNLOAD_PULL_LIMIT) : batch}/transaction`,
      time: seconds(d.floor.ms),
      rate: perSecond(d.floor.rows, d.floor.ms),
      target: '',
      met: '',
    },
    {
      step: `   download ÷ raw (host work alone ÷ raw: ${(hostRate / floorRate).toFixed(2)})`,
      time: '',
      rate: (rate / floorRate).toFixed(2),
      target: '>= 0.5',
      met: met(rate / floorRate >= 0.5),
    },
  ];
}

function editRows(r: SyncResults) {
  const e = r.edits;
  const a = e.afterAnswer;
  return [
    {
      step: `2. edit → host, ${a.samples} PATCHes one at a time, event stream${e.timeouts ? `, ${e.timeouts} TIMED OUT` : ''}`,
      time: `p50 ${a.p50} / p95 ${a.p95} / max ${a.max} ms`,
      rate: '',
      target: '< 1000 ms',
      met: met(e.timeouts === 0 && a.max < 1000),
    },
    {
      step: `   from PATCH sent (the PATCH alone: p50 ${e.patch.p50} ms)`,
      time: `p50 ${e.afterSend.p50} / p95 ${e.afterSend.p95} / max ${e.afterSend.max} ms`,
      rate: '',
      target: '',
      met: '',
    },
  ];
}

function pushRows(r: SyncResults) {
  const p = r.push;
  const drained = p.drain.drainedMs;
  const s = p.drain.status;
  return [
    {
      step: `3. push ${r.options.mutations} offline stock.adjust (${p.variants} variants) until pending = 0`,
      time: drained === null ? `never (pending ${s.pending})` : seconds(drained),
      rate: drained === null ? '' : perSecond(r.options.mutations, drained),
      target: '< 10 s',
      met: met(drained !== null && drained < 10_000),
    },
    {
      step: `   whole syncNow() incl. pulling the new levels back${s.lastError ? ` (error: ${s.lastError})` : ''}`,
      time: seconds(p.drain.totalMs),
      rate: '',
      target: '',
      met: '',
    },
    {
      step: `   server stock = levels before + sum of deltas (rejected: ${s.rejections}, oversells: ${s.oversells})`,
      time: p.check.ok ? 'ok' : 'MISMATCH',
      rate: '',
      target: 'ok',
      met: met(p.check.ok),
    },
  ];
}

function pullRows(r: SyncResults) {
  const http = percentiles(r.pulls.ms);
  const floor = percentiles(r.pulls.floorMs);
  return [
    {
      step: `4. pull page of ${r.pulls.limit} changes over HTTP, ${r.pulls.ms.length} one at a time${r.pulls.errors ? `, ${r.pulls.errors} FAILED` : ''}`,
      time: `p50 ${http.p50} / p95 ${http.p95} / p99 ${http.p99} ms`,
      rate: '',
      target: '',
      met: '',
    },
    {
      step: `   floor: the pull service in the server process, no HTTP (HTTP ÷ floor at p50: ${(http.p50 / floor.p50).toFixed(2)})`,
      time: `p50 ${floor.p50} / p95 ${floor.p95} / p99 ${floor.p99} ms`,
      rate: '',
      target: '',
      met: '',
    },
  ];
}

export function printReport(r: SyncResults): void {
  console.log(
    `\nSync benchmark: ${r.options.products} products × ${r.options.variantsPer} variants, ${r.options.orders} orders ` +
      `on ${r.database}, ${r.options.seedChunk} per seeding transaction; host and server in separate processes; ` +
      `server JSON_BODY_LIMIT ${r.options.jsonBodyLimit}\n` +
      `(${r.machine})\n`,
  );
  printTable([...downloadRows(r), ...editRows(r), ...pushRows(r), ...pullRows(r)]);
  console.log(`\nstock check: ${describeStockCheck(r.push.check)}`);
  if (r.engineErrors.length > 0) console.log(`\nengine errors: ${r.engineErrors.join(' | ')}`);
  console.log('');
}

/** p50 / p95 / p99 of samples in ms, to 0.1 ms, for the suite. */
function percentiles(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p) * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** The rows `npm run bench` prints: the download beside its raw SQLite floor, edit latency, the push. */
export function syncSuiteRows(r: SyncResults): Omit<SuiteRow, 'bench'>[] {
  const d = r.download;
  const p = r.push;
  const database = r.database as 'pglite' | 'postgres';
  const drained = p.drain.drainedMs;
  const floorLatency = percentiles(d.floor.transactionMs);
  const pullFloor = percentiles(r.pulls.floorMs);
  const sequential = (ms: number[]) => Math.round(ms.length / (ms.reduce((a, b) => a + b, 0) / 1000));
  return [
    {
      scenario: 'first download (per batch)',
      database,
      unit: 'rows/s',
      rate: Math.round(d.changes / (d.ms / 1000)),
      ...percentiles(d.batchMs),
      floor: { rate: Math.round(d.floor.rows / (d.floor.ms / 1000)), p50: floorLatency.p50, p95: floorLatency.p95 },
      note: `${d.changes} changes; floor: raw better-sqlite3 INSERT, same rows, bare table`,
    },
    {
      scenario: 'edit → host (one at a time)',
      database,
      unit: 'ops/s',
      ...percentiles(r.edits.samples.afterAnswer),
      errors: r.edits.timeouts,
      note: 'PATCH answered → row on host; no floor: a stream notice + pull has no cheaper equal',
    },
    {
      scenario: 'offline push (per request)',
      database,
      unit: 'ops/s',
      ...(drained === null ? {} : { rate: Math.round(r.options.mutations / (drained / 1000)) }),
      ...percentiles(p.pushMs),
      errors: p.drain.status.rejections,
      note:
        `${r.options.mutations} stock.adjust; stock check ${p.check.ok ? 'ok' : 'MISMATCH'}` +
        `${drained === null ? '; never drained' : ''}; no floor measured yet`,
    },
    {
      scenario: 'pull page (one at a time)',
      database,
      unit: 'req/s',
      rate: sequential(r.pulls.ms),
      ...percentiles(r.pulls.ms),
      errors: r.pulls.errors,
      floor: { rate: sequential(r.pulls.floorMs), p50: pullFloor.p50, p95: pullFloor.p95 },
      note: `${r.pulls.limit} changes a page; floor: the pull service's SQL, no HTTP`,
    },
  ];
}

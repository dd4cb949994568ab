/** The table bench/sync.ts prints: one line per figure, with the issue's target beside it. */
import { FIRST_DOWNLOAD_PULL_LIMIT } from '../electron/host/db/first-download.js';
import type { SyncStatus } from '../electron/host/sync/status.js';
import { DEFAULT_SNAPSHOT_BATCH } from '../shared/sync/protocol.js';
import { printTable } from './lib/table.js';
import { describeStockCheck, type LatencySummary, type StockCheck } from './sync-check.js';
import type { PullTally } from './sync-host.js';
import type { SyncBenchOptions } from './sync-options.js';

export interface SyncResults {
  options: SyncBenchOptions;
  database: string;
  machine: string;
  download: {
    changes: number;
    ms: number;
    pulls: PullTally;
    fileMb: number;
    floor: { rows: number; ms: number };
  };
  edits: { afterAnswer: LatencySummary; afterSend: LatencySummary; patch: LatencySummary; timeouts: number };
  push: {
    queueMs: number;
    variants: number;
    drain: { drainedMs: number | null; totalMs: number; status: SyncStatus };
    check: StockCheck;
  };
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

export function printReport(r: SyncResults): void {
  console.log(
    `\nSync benchmark: ${r.options.products} products × ${r.options.variantsPer} variants, ${r.options.orders} orders ` +
      `on ${r.database}, ${r.options.seedChunk} per seeding transaction; host and server in separate processes; ` +
      `server JSON_BODY_LIMIT ${r.options.jsonBodyLimit}\n` +
      `(${r.machine})\n`,
  );
  printTable([...downloadRows(r), ...editRows(r), ...pushRows(r)]);
  console.log(`\nstock check: ${describeStockCheck(r.push.check)}`);
  if (r.engineErrors.length > 0) console.log(`\nengine errors: ${r.engineErrors.join(' | ')}`);
  console.log('');
}

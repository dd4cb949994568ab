/** What `npm run bench:soak` prints, and the rows it hands to `npm run bench`. */
import type { SuiteRow } from './lib/suite.js';
import type { Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import type { SoakOptions, SoakPlan } from './soak-options.js';
import { type BucketRow, type HeapSpaces, type MemorySample, spaceGrowth, type Trend } from './soak-stats.js';
import { type VisitCount, VISIT_MIX } from './soak-workload.js';

/** The child's `emptied`: a memory reading with the response cache emptied, and the heap by space. */
export type EmptiedReading = Omit<MemorySample, 'at'> & { spaces: HeapSpaces };

/** What the run left in the database (the child's `check`). */
export interface SoakCheck {
  orders: number;
  paid: number;
  emailsSent: number;
  emailsWaiting: number;
  emailsFailed: number;
  syncMovements: number;
  lowestAvailable: number;
}

export interface SoakResults {
  options: SoakOptions;
  plan: SoakPlan;
  machine: string;
  /** One-minute load average of the machine when the load started and when it stopped. */
  loadAverage: { before: number; after: number };
  database: 'pglite' | 'postgres';
  seed: { products: number; variants: number; seconds: number };
  visits: VisitCount;
  pokes: number;
  perOp: (Summary & { op: string })[];
  errors: { total: number; byOpAndStatus: Record<string, number>; first: string[] };
  memory: {
    samples: MemorySample[];
    /** Before the load (the cache still empty), and once it stopped and the outbox was done. */
    beforeLoad: EmptiedReading;
    afterLoad: EmptiedReading;
    heap: Trend;
    heapWithoutCache: Trend;
    rss: Trend;
  };
  buckets: BucketRow[];
  check: SoakCheck;
  /** Where the database disagrees with what the shoppers were told, or stock ran out. */
  problems: string[];
}

const MB = 2 ** 20;
/** The reads the catalog response cache may answer (server/modules/catalog/cache.ts). */
const CACHED_OPS: ReadonlySet<string> = new Set(['catalog list', 'search', 'product', 'storefront page']);
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
const mb = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(1));
const signed = (n: number, digits: number) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** A trend's slope and what it adds over the run, without a verdict. */
function describeSlope(trend: Trend, runMinutes: number): string {
  return (
    `${signed(trend.slopeMbPerMin, 2)} ± ${trend.slopeStdErrMbPerMin.toFixed(2)} MB/min → ` +
    `${signed(trend.impliedMb, 1)} MB over the ${runMinutes}-min run (mean ${trend.meanMb.toFixed(1)} MB)`
  );
}

/** One line per trend: slope, what it adds over the run, the tolerance and the verdict. */
export function describeTrend(trend: Trend, runMinutes: number): string {
  if (trend.verdict === 'inconclusive') return `inconclusive (${trend.samples} samples after the warm-up)`;
  return `${describeSlope(trend, runMinutes)}, tolerance ${trend.toleranceMb.toFixed(1)} MB: ${trend.verdict}`;
}

/** The memory section: the trends, what the load left behind, and the response cache's use. */
function printMemory(r: SoakResults): void {
  const { plan } = r;
  const minutes = plan.seconds / 60;
  const samples = r.memory.samples.length;
  console.log(
    `\nMemory of the server process, ${samples} samples each after a full GC; the first ${plan.warmupSeconds} s are warm-up:`,
  );
  console.log(`  heapUsed:                          ${describeTrend(r.memory.heap, minutes)}`);
  console.log(`  heapUsed less the response cache:  ${describeTrend(r.memory.heapWithoutCache, minutes)}`);
  if (r.memory.rss.verdict !== 'inconclusive') {
    // No verdict on RSS: it keeps pages the allocator has not handed back, and PGlite's database lives there.
    console.log(`  RSS (for reference):               ${describeSlope(r.memory.rss, minutes)}`);
  }
  const { beforeLoad: before, afterLoad: after } = r.memory;
  const grew = spaceGrowth(before.spaces, after.spaces)
    .map((g) => `${g.space} +${g.mb.toFixed(1)}`)
    .join(', ');
  console.log(
    `  after the load, idle, response cache emptied: heap ${mb(after.heapUsed / MB)} MB, RSS ${mb(after.rss / MB)} MB ` +
      `(before the load: heap ${mb(before.heapUsed / MB)} MB, RSS ${mb(before.rss / MB)} MB; grew: ${grew || 'nothing'})`,
  );
  const last = r.memory.samples[r.memory.samples.length - 1]!;
  const reads = r.perOp.filter((s) => CACHED_OPS.has(s.op)).reduce((a, s) => a + s.requests, 0);
  console.log(
    `  response cache at the end of the load: ${last.cacheEntries} answers, ${mb(last.cacheBytes / MB)} MB, ` +
      `after ${reads} catalog reads (API and pages; every stock write starts a new catalog state, so new keys)`,
  );
  console.log(
    `  search caches at the end of the load: ${last.searchEntries.facets} facet rows, ` +
      `${last.searchEntries.corrections} typo corrections (only the two newest catalog states are kept)`,
  );
}

export function printSoakReport(r: SoakResults): void {
  const { options: o, plan } = r;
  const mix = VISIT_MIX.map(([kind, percent]) => `${percent}% ${kind}`).join(', ');
  console.log(
    `\nSoak: ${plan.seconds / 60} min on ${r.database}, ${o.rate} visits/s (${mix}), at most ${o.connections} in flight, ` +
      `plus one sync device; ${r.seed.products} products (${r.machine}; load average ${r.loadAverage.before.toFixed(2)} ` +
      `at the start, ${r.loadAverage.after.toFixed(2)} at the end)\n`,
  );
  printTable(
    r.buckets.map((b) => ({
      time: `${clock(b.from)}–${clock(b.to)}`,
      requests: b.requests,
      'req/s': Math.round(b.perSecond),
      errors: b.errors,
      'p95 ms': Number.isNaN(b.p95) ? '–' : b.p95.toFixed(1),
      'heap MB (post-GC)': mb(b.heapMb),
      'heap max': mb(b.heapMaxMb),
      'heap less cache': mb(b.heapLessCacheMb),
      'RSS max MB': mb(b.rssMaxMb),
      'catalog cache MB': mb(b.cacheMb),
    })),
  );
  console.log('');
  printTable(
    r.perOp.map((s) => ({
      operation: s.op,
      requests: s.requests,
      'req/s': s.perSecond,
      'p50 ms': s.p50,
      'p95 ms': s.p95,
      'p99 ms': s.p99,
      errors: s.errors,
    })),
  );
  console.log(`\nErrors: ${r.errors.total}${r.errors.total > 0 ? ' (target 0)' : ''}`);
  for (const [key, n] of Object.entries(r.errors.byOpAndStatus)) console.log(`  ${key}: ${n}`);
  for (const message of r.errors.first) console.log(`  first: ${message}`);
  printMemory(r);
  const c = r.check;
  console.log(
    `\nRun: ${r.visits.started} of ${r.visits.due} visits started (${r.visits.late} over a second late` +
      `${r.visits.started < r.visits.due ? '; the run ended behind schedule, the rest never started' : ''}); ` +
      `${c.orders} orders, ${c.paid} paid; ` +
      `e-mails ${c.emailsSent} sent, ${c.emailsWaiting} waiting, ${c.emailsFailed} failed; ` +
      `${c.syncMovements} stock receipts pushed by the device, ${r.pokes} pokes on its event stream; ` +
      `lowest available stock ${c.lowestAvailable}`,
  );
  console.log(r.problems.length === 0 ? 'Consistency: OK' : `Consistency: BROKEN: ${r.problems.join('; ')}`);
}

/**
 * One row per operation. No floor: a soak asks whether the server stays correct and its memory
 * flat over time under a mix, and no single raw query is that mix's lower bound.
 */
export function soakSuiteRows(r: SoakResults): Omit<SuiteRow, 'bench'>[] {
  const memory = `heap ${r.memory.heap.verdict}, less cache ${r.memory.heapWithoutCache.verdict}`;
  return r.perOp.map((s, i) => ({
    scenario: `soak ${s.op}`,
    database: r.database,
    unit: 'req/s',
    rate: s.perSecond,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    errors: s.errors,
    note:
      i === 0
        ? `${r.plan.seconds / 60} min mixed load; ${memory}; no floor (a mix over time)`
        : 'no floor (a mix over time)',
  }));
}

/**
 * npm run bench:soak [-- --minutes 10 | --quick] [--db postgres|pglite] [--rate 10] [--connections 20] [--products 2000]
 * Issue 9's soak: the server (a child process, as deployed: outbox worker, cart purge, order
 * expiry) under moderate mixed load for a long while: shoppers browse (API and storefront pages),
 * fill carts and abandon them, or check out and pay with the test card (soak-workload.ts), while
 * a back-office device pushes stock receipts and pulls every couple of seconds (soak-device.ts).
 * Every few seconds the child runs a full GC and reports its RSS and heapUsed, so the heap figure
 * is retained memory. Reports errors (target 0) by operation and status with the first messages,
 * memory over time, the post-warm-up trend of the heap with a verdict against a stated tolerance
 * (soak-stats.ts), and throughput and p50/p95/p99 per operation. Writes JSON under bench/results/
 * and rows for `npm run bench`; exits 1 on any error or when the database disagrees with what
 * the shoppers were told.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startChild } from './lib/child.js';
import { httpJson } from './lib/http-load.js';
import { freshPostgres, PG_ADMIN_URL } from './lib/postgres.js';
import { machine, writeResults } from './lib/results.js';
import { summarize } from './lib/stats.js';
import { reportSuiteRows } from './lib/suite.js';
import { SoakDevice } from './soak-device.js';
import { parseSoakOptions, soakPlan, type SoakOptions, type SoakPlan } from './soak-options.js';
import {
  type EmptiedReading,
  printSoakReport,
  soakSuiteRows,
  type SoakCheck,
  type SoakResults,
} from './soak-report.js';
import { bucketRows, type MemorySample, memoryTrend } from './soak-stats.js';
import { OPS, Recorder, runVisits, type SoakReady, visit } from './soak-workload.js';

/** How long the outbox gets, after the load stops, to send the e-mails the run queued. */
const OUTBOX_SETTLE_MS = 20_000;

type Child = Awaited<ReturnType<typeof startChild<SoakReady>>>;

/**
 * This run's own scratch database: a soak lasts, and another run meanwhile (the suite, a second
 * soak) would otherwise drop it under the load, as freshPostgres does to start clean. Dropped at the end.
 */
const DATABASE = `nexus_bench_soak_${process.pid}`;

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
  } finally {
    await admin.end();
  }
}

async function startServer(options: SoakOptions): Promise<Child> {
  console.log(`[${options.db}] seeding ${options.products} products and starting the server…`);
  const child = await startChild<SoakReady>('bench/soak-server.ts', {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
    BENCH_PRODUCTS: String(options.products),
    BENCH_DATABASE_URL: options.db === 'postgres' ? await freshPostgres(DATABASE) : '',
  });
  const { seed } = child.ready;
  console.log(
    `[${options.db}] seeded ${seed.products} products, ${seed.variants} variants in ${seed.seconds.toFixed(1)} s`,
  );
  return child;
}

/** Memory every `sampleSeconds` until `seconds` pass, with a progress line at each table row's end. */
async function sampleMemory(child: Child, plan: SoakPlan, t0: number, rec: Recorder, samples: MemorySample[]) {
  const take = async () => {
    const m = await child.ask<Omit<MemorySample, 'at'>>('memory');
    samples.push({ at: (performance.now() - t0) / 1000, ...m });
  };
  let shown = 0;
  for (;;) {
    const left = plan.seconds * 1000 - (performance.now() - t0);
    if (left <= 0) break;
    await sleep(Math.min(plan.sampleSeconds * 1000, left));
    await take();
    const at = samples[samples.length - 1]!.at;
    if (Math.floor(at / plan.bucketSeconds) > shown) {
      shown = Math.floor(at / plan.bucketSeconds);
      const heap = samples[samples.length - 1]!.heapUsed / 2 ** 20;
      console.log(
        `  ${Math.round(at)} s: ${rec.events.length} requests, ${rec.errors.total} errors, heap ${heap.toFixed(1)} MB`,
      );
    }
  }
}

/** The database once the outbox has sent what the run queued (or the settle time ran out). */
async function settle(child: Child): Promise<SoakCheck> {
  const deadline = performance.now() + OUTBOX_SETTLE_MS;
  for (;;) {
    const check = await child.ask<SoakCheck>('check');
    if (check.emailsWaiting === 0 || performance.now() > deadline) return check;
    await sleep(500);
  }
}

function perOperation(rec: Recorder, seconds: number) {
  return OPS.flatMap((op) => {
    const events = rec.events.filter((e) => e.op === op);
    if (events.length === 0) return [];
    const ok = events.filter((e) => e.ok).map((e) => e.ms);
    return [{ op, ...summarize(ok, events.length - ok.length, seconds) }];
  });
}

/** Where the database disagrees with what shoppers were answered, an e-mail is stuck, or stock ran out. */
function consistencyProblems(check: SoakCheck, rec: Recorder): string[] {
  const placed = rec.succeeded('checkout');
  const paid = rec.succeeded('pay');
  return [
    check.orders !== placed && `${check.orders} orders in the database but ${placed} checkouts answered 201`,
    check.paid !== paid && `${check.paid} paid orders but ${paid} payments succeeded`,
    check.emailsFailed > 0 && `${check.emailsFailed} e-mails failed`,
    check.emailsWaiting > 0 &&
      `${check.emailsWaiting} e-mails still waiting ${OUTBOX_SETTLE_MS / 1000} s after the load`,
    check.lowestAvailable <= 0 && 'a shoppable variant ran out of stock',
  ].filter((p): p is string => Boolean(p));
}

async function soak(child: Child, options: SoakOptions, plan: SoakPlan): Promise<SoakResults> {
  const ready = child.ready;
  const client = httpJson(ready.url, options.connections);
  const deviceApi = httpJson(ready.url, 1);
  const load = { before: loadavg()[0]!, after: NaN };
  const t0 = performance.now();
  const rec = new Recorder(t0);
  const samples: MemorySample[] = [];
  const baseline = await child.ask<EmptiedReading>('emptied');
  const { spaces: _spaces, ...reading } = baseline;
  samples.push({ at: 0, ...reading });
  const device = new SoakDevice(deviceApi, ready, rec);
  await device.start();
  console.log(
    `[${options.db}] soaking for ${plan.seconds} s at ${options.rate} visits/s (memory every ${plan.sampleSeconds} s)…`,
  );
  const [visits] = await Promise.all([
    runVisits((i) => visit(client, ready.workload, i, rec), {
      rate: options.rate,
      connections: options.connections,
      seconds: plan.seconds,
    }),
    device.run(plan.seconds),
    sampleMemory(child, plan, t0, rec, samples),
  ]);
  device.close();
  load.after = loadavg()[0]!;
  const check = await settle(child);
  const afterLoad = await child.ask<EmptiedReading>('emptied');
  client.close();
  deviceApi.close();

  const trendOf = (value: (s: MemorySample) => number) =>
    memoryTrend(samples, { warmupSeconds: plan.warmupSeconds, runSeconds: plan.seconds, value });
  return {
    options,
    plan,
    machine: machine(),
    loadAverage: load,
    database: ready.database,
    seed: ready.seed,
    visits,
    pokes: device.pokes,
    perOp: perOperation(rec, plan.seconds),
    errors: { total: rec.errors.total, byOpAndStatus: Object.fromEntries(rec.errors.counts), first: rec.errors.first },
    memory: {
      samples,
      beforeLoad: baseline,
      afterLoad,
      heap: trendOf((s) => s.heapUsed),
      heapWithoutCache: trendOf((s) => s.heapUsed - s.cacheBytes),
      rss: trendOf((s) => s.rss),
    },
    buckets: bucketRows(rec.events, samples, plan.bucketSeconds, plan.seconds),
    check,
    problems: consistencyProblems(check, rec),
  };
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 64;
  }
  const plan = soakPlan(options);
  let results: SoakResults;
  try {
    const child = await startServer(options);
    try {
      results = await soak(child, options, plan);
    } finally {
      await child.stop();
    }
  } finally {
    if (options.db === 'postgres') await dropDatabase();
  }
  printSoakReport(results);
  writeResults('soak', results);
  reportSuiteRows('soak', soakSuiteRows(results));
  return results.errors.total === 0 && results.problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();

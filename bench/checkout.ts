/**
 * npm run bench:checkout [-- --quick] [--seconds 10 --connections 50 --warmup 3 --db pglite|postgres|both
 *                                      --products 200 --hot-stock 1000000]
 * Seeds products with plenty of stock, then N simulated shoppers (closed loop, one connection
 * each) run two scenarios through the public API: "spread" (each checkout buys 1–3 random
 * variants among many) and "hot" (every checkout buys the same variant; `--hot-stock` makes its
 * stock finite, and the 409s are counted). Each shopper: guest cart, lines, POST /checkout with an
 * Idempotency-Key, then the test provider's confirmation with the success card. Prints orders/s
 * and p50/p95/p99 of checkout alone and of checkout + payment, failures by step and status, and
 * the floor (one reservation + order insert in a transaction, as raw SQL on the same database
 * with the same concurrency). Ends with a consistency line per database (stock never negative,
 * level = ledger, paid orders = successful confirmations, reserved = unpaid orders' units) and
 * exits 1 when it does not hold. Writes JSON under bench/results/ and hands its rows to `npm run bench`.
 *
 * Rate limits: only the auth routes (login, register, password reset) are limited per IP; cart,
 * checkout and payment confirmation are not, so the benchmark needs no setting to lift them.
 */
import { z } from 'zod';
import { SCENARIOS, shop, Tally, type CheckoutWorkload } from './checkout-workload.js';
import { startChild } from './lib/child.js';
import { httpJson } from './lib/http-load.js';
import { parseBenchArgs } from './lib/options.js';
import { freshPostgres } from './lib/postgres.js';
import { machine, writeResults } from './lib/results.js';
import { runConcurrent, summarize, type Summary } from './lib/stats.js';
import { reportSuiteRows } from './lib/suite.js';
import { printTable } from './lib/table.js';

const options = z.strictObject({
  seconds: z.coerce.number().min(1).max(600).default(10),
  connections: z.coerce.number().int().min(1).max(1000).default(50),
  warmup: z.coerce.number().min(0).max(60).default(3),
  db: z.enum(['both', 'pglite', 'postgres']).default('pglite'),
  products: z.coerce.number().int().min(1).max(100_000).default(200),
  hotStock: z.coerce.number().int().min(1).default(1_000_000),
});
const { seconds, connections, warmup, db, products, hotStock } = parseBenchArgs(process.argv.slice(2), {
  schema: options,
  flags: {
    seconds: 'seconds',
    connections: 'connections',
    warmup: 'warmup',
    db: 'db',
    products: 'products',
    'hot-stock': 'hotStock',
  },
  switches: [],
  // Seeding goes through the admin service one product at a time: few products keep it short. A
  // run ends when its shoppers' last visits do, and fewer shoppers finish sooner on a busy machine.
  preset: { name: 'quick', values: { seconds: '1', warmup: '0.25', products: '30', connections: '10' } },
  usage:
    'usage: npm run bench:checkout [-- --quick] [--seconds S --connections C --warmup S --db pglite|postgres|both ' +
    '--products N --hot-stock N]',
});

interface Ready {
  url: string;
  workload: CheckoutWorkload;
  floor: Record<string, Summary>;
  seed: { products: number; variants: number; seconds: number };
  database: string;
}

interface Consistency {
  negativeLevels: number;
  negativeLedger: number;
  ledgerMismatch: number;
  orders: number;
  paid: number;
  reservedUnits: number;
  pendingUnits: number;
  confirmationEmails: number;
}

async function runOn(kind: 'pglite' | 'postgres') {
  console.log(`\n[${kind}] seeding ${products} products and measuring the floor…`);
  const child = await startChild<Ready>('bench/checkout-server.ts', {
    ...process.env,
    BENCH_PRODUCTS: String(products),
    BENCH_HOT_STOCK: String(hotStock),
    BENCH_SECONDS: String(seconds),
    BENCH_CONCURRENCY: String(connections),
    BENCH_WARMUP: String(warmup),
    BENCH_DATABASE_URL: kind === 'postgres' ? await freshPostgres('nexus_bench_checkout') : '',
  });
  const { ready } = child;
  console.log(`[${kind}] seeded ${ready.seed.variants} variants in ${ready.seed.seconds.toFixed(1)} s`);
  const client = httpJson(ready.url, connections);
  const total = new Tally();
  const rows = [];
  for (const scenario of SCENARIOS) {
    const run = async (duration: number) => {
      const tally = new Tally();
      const started = performance.now();
      await runConcurrent((i) => shop(client, scenario.lines(ready.workload, i), tally), {
        concurrency: connections,
        seconds: duration,
      });
      tally.addTo(total);
      return { tally, elapsed: (performance.now() - started) / 1000 };
    };
    if (warmup > 0) await run(warmup);
    const { tally, elapsed } = await run(seconds);
    const floor = ready.floor[scenario.name]!;
    const errors = [...tally.errors.values()].reduce((a, b) => a + b, 0);
    rows.push(
      {
        scenario: scenario.name,
        database: kind,
        measure: 'checkout',
        ...summarize(tally.checkout, errors, elapsed),
        floor,
      },
      {
        scenario: scenario.name,
        database: kind,
        measure: 'checkout+pay',
        ...summarize(tally.checkoutAndPay, errors, elapsed),
        floor,
      },
    );
    console.log(`[${kind}] ${scenario.name}: ${tally.ordered} orders, failures: ${tally.errorSummary()}`);
  }
  client.close();
  const consistency = await child.ask<Consistency>('check');
  await child.stop();
  const problems = [
    consistency.negativeLevels > 0 && `${consistency.negativeLevels} negative stock levels`,
    consistency.negativeLedger > 0 && `${consistency.negativeLedger} ledger rows below zero on hand`,
    consistency.ledgerMismatch > 0 && `${consistency.ledgerMismatch} levels differ from their ledger`,
    consistency.paid !== total.confirmed && `${consistency.paid} paid orders but ${total.confirmed} confirmations`,
    consistency.orders !== total.ordered && `${consistency.orders} orders but ${total.ordered} checkouts answered 201`,
    consistency.reservedUnits !== consistency.pendingUnits &&
      `${consistency.reservedUnits} units reserved but ${consistency.pendingUnits} in unpaid orders`,
  ].filter((p): p is string => Boolean(p));
  return { kind, rows, consistency, total, problems, seed: ready.seed };
}

const kinds: ('pglite' | 'postgres')[] = db === 'both' ? ['pglite', 'postgres'] : [db];
const results = [];
for (const kind of kinds) results.push(await runOn(kind));

console.log(
  `\nCheckout benchmark: ${connections} connections, ${seconds} s per scenario after ${warmup} s of warm-up, ` +
    `hot stock ${hotStock} (${machine()})\n`,
);
printTable(
  results.flatMap((r) =>
    r.rows.map((row) => ({
      scenario: row.scenario,
      database: row.database,
      measure: row.measure,
      'orders/s': row.perSecond,
      'p50 ms': row.p50,
      'p95 ms': row.p95,
      'p99 ms': row.p99,
      failures: row.errors,
      'floor orders/s': row.floor.perSecond,
      'floor p50': row.floor.p50,
      'floor p95': row.floor.p95,
      'floor p99': row.floor.p99,
    })),
  ),
);
console.log('');
for (const r of results) {
  const c = r.consistency;
  console.log(
    `Consistency [${r.kind}]: ${r.problems.length === 0 ? 'OK' : `BROKEN: ${r.problems.join('; ')}`} — ` +
      `${c.orders} orders, ${c.paid} paid = ${r.total.confirmed} confirmations, stock never negative ` +
      `(${c.negativeLevels} levels, ${c.negativeLedger} ledger rows), ${c.ledgerMismatch} level/ledger mismatches, ` +
      `${c.reservedUnits} units still reserved for ${c.pendingUnits} unpaid; failures: ${r.total.errorSummary()}`,
  );
}
writeResults('checkout', { seconds, warmup, connections, products, hotStock, machine: machine(), results });
reportSuiteRows(
  'checkout',
  results.flatMap((r) =>
    r.rows.map((row) => ({
      scenario: `${row.scenario}: ${row.measure}`,
      database: row.database,
      unit: 'orders/s' as const,
      rate: row.perSecond,
      p50: row.p50,
      p95: row.p95,
      p99: row.p99,
      errors: row.errors,
      floor: { rate: row.floor.perSecond, p50: row.floor.p50, p95: row.floor.p95 },
      note: [
        'floor: reserve + order insert, raw SQL',
        r.problems.length > 0 && `consistency BROKEN: ${r.problems.join('; ')}`,
      ]
        .filter(Boolean)
        .join('; '),
    })),
  ),
);
if (results.some((r) => r.problems.length > 0)) process.exitCode = 1;

/**
 * npm run bench:catalog [-- --products 100000 --seconds 10 --connections 50 --db both|pglite|postgres --quick
 *                          --warmup 3 --existing postgres://…/db]
 * Seeds a catalog on each database, then measures search, category browse and the product page
 * through HTTP with N concurrent connections, beside the floor (the same service calls made
 * directly). Each scenario runs twice: against the API as deployed (catalog state shared for a
 * second, answers cached per catalog state) and against the same API with both caches off, which
 * is what a never-seen query costs. `--existing` measures a Postgres database seeded earlier with
 * `npm run seed` instead of seeding a fresh one. Prints a table, writes JSON under bench/results/
 * and hands its rows to `npm run bench`.
 */
import { SCENARIOS, type Workload } from './catalog-workload.js';
import { benchDatabases, parseCatalogBenchArgs } from './catalog-options.js';
import { startChild } from './lib/child.js';
import { httpGetter } from './lib/http-load.js';
import { freshPostgres } from './lib/postgres.js';
import { machine, writeResults } from './lib/results.js';
import { runConcurrent, type Summary } from './lib/stats.js';
import { reportSuiteRows } from './lib/suite.js';
import { printTable } from './lib/table.js';

const { products, seconds, connections, warmup, existing, db } = parseCatalogBenchArgs(
  process.argv.slice(2),
  'usage: npm run bench:catalog [-- --quick] [--products N --seconds S --connections C --db both|pglite|postgres --warmup S --existing postgres://…]',
);

interface Ready {
  url: string;
  uncachedUrl: string;
  workload: Workload;
  floor: Record<string, Summary>;
  seed: { products: number; variants: number; seconds: number; rowsPerSecond: number };
  database: string;
}

async function runOn(kind: 'pglite' | 'postgres') {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_PRODUCTS: String(products),
    BENCH_SECONDS: String(seconds),
    BENCH_CONCURRENCY: String(connections),
    BENCH_WARMUP: String(warmup),
    BENCH_DATABASE_URL: kind === 'postgres' ? (existing ?? (await freshPostgres('nexus_bench'))) : '',
    BENCH_EXISTING: kind === 'postgres' && existing ? '1' : '',
  };
  console.log(`\n[${kind}] seeding ${products} products and measuring the floor…`);
  const child = await startChild<Ready>('bench/catalog-server.ts', env);
  const { ready } = child;
  console.log(
    `[${kind}] seeded ${ready.seed.products} products, ${ready.seed.variants} variants at ${ready.seed.rowsPerSecond} products/s`,
  );
  const rows = [];
  for (const [url, label] of [
    [ready.url, ''],
    [ready.uncachedUrl, ' (no cache)'],
  ] as const) {
    const client = httpGetter(url, connections);
    for (const scenario of SCENARIOS) {
      const request = (i: number) => client.get(scenario.path(ready.workload, i));
      if (warmup > 0) await runConcurrent(request, { concurrency: connections, seconds: warmup });
      const api = await runConcurrent(request, { concurrency: connections, seconds });
      const floor = ready.floor[scenario.name]!;
      rows.push({ scenario: scenario.name + label, database: kind, api, floor, overhead: api.p50 / floor.p50 });
    }
    client.close();
  }
  await child.stop();
  return { rows, seed: ready.seed };
}

const kinds = benchDatabases(db);
const results = [];
for (const kind of kinds) results.push(await runOn(kind));

console.log(
  `\nCatalog benchmark: ${products} products, ${connections} connections, ${seconds} s per scenario after ${warmup} s of warm-up (${machine()})\n`,
);
printTable(
  results.flatMap((r) =>
    r.rows.map((row) => ({
      scenario: row.scenario,
      database: row.database,
      'req/s': row.api.perSecond,
      'p50 ms': row.api.p50,
      'p95 ms': row.api.p95,
      'p99 ms': row.api.p99,
      errors: row.api.errors,
      'floor req/s': row.floor.perSecond,
      'floor p50': row.floor.p50,
      'floor p95': row.floor.p95,
      'overhead (p50 ratio)': `${row.overhead.toFixed(2)}×`,
    })),
  ),
);
console.log('\nSeeding:', results.map((r, i) => `${kinds[i]} ${r.seed.rowsPerSecond} products/s`).join(', '));
writeResults('catalog', { products, seconds, warmup, connections, machine: machine(), results });
reportSuiteRows(
  'catalog',
  results.flatMap((r) =>
    r.rows.map((row) => ({
      scenario: row.scenario,
      database: row.database,
      unit: 'req/s' as const,
      rate: row.api.perSecond,
      p50: row.api.p50,
      p95: row.api.p95,
      p99: row.api.p99,
      errors: row.api.errors,
      floor: { rate: row.floor.perSecond, p50: row.floor.p50, p95: row.floor.p95 },
      note: `${products} products; floor: service calls, no HTTP`,
    })),
  ),
);

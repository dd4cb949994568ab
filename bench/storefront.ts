/**
 * npm run bench:storefront [-- --products 100000 --seconds 10 --connections 50 --db both|pglite|postgres --quick
 *                             --warmup 3 --existing postgres://…/db]
 * Issue 8's storefront figures: time to first byte of the server-rendered pages (product, category
 * listing, search, home) with N concurrent connections over a seeded catalog, beside the floor
 * (the catalog service calls alone, measured by the same child as bench:catalog), and the bytes a
 * product page makes the browser download (script and style, raw and gzipped). Each page is
 * measured against the server as deployed (catalog state shared, answers cached per state) and
 * with both caches off (a never-seen URL). Target: p95 TTFB under 50 ms on Postgres; the product
 * page's JavaScript under 100 kB gzipped. Prints a table, writes JSON under bench/results/ and
 * hands its rows to `npm run bench` (percentiles of TTFB there too).
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Workload } from './catalog-workload.js';
import { benchDatabases, parseCatalogBenchArgs } from './catalog-options.js';
import { startChild } from './lib/child.js';
import { freshPostgres } from './lib/postgres.js';
import { machine, writeResults } from './lib/results.js';
import { percentile, runConcurrent, type Summary } from './lib/stats.js';
import { reportSuiteRows } from './lib/suite.js';
import { printTable } from './lib/table.js';

const { products, seconds, connections, warmup, existing, db } = parseCatalogBenchArgs(
  process.argv.slice(2),
  'usage: npm run bench:storefront [-- --quick] [--products N --seconds S --connections C --db both|pglite|postgres --warmup S --existing postgres://…]',
);

interface Ready {
  url: string;
  uncachedUrl: string;
  workload: Workload;
  floor: Record<string, Summary>;
  seed: { products: number; variants: number; rowsPerSecond: number };
}

const QUERIES = ['hoodie', 'organic cotton', 'espresso', 'backpack', 'walnut', 'tee', 'cofee', 'trail tent'];
const SORTS = ['price_asc', 'newest', 'rating', 'bestselling'];
const PAGES: { name: string; floor?: string; path: (w: Workload, i: number) => string }[] = [
  { name: 'product page', floor: 'product page', path: (w, i) => `/products/${w.slugs[i % w.slugs.length]}` },
  {
    name: 'category listing',
    floor: 'category browse',
    path: (w, i) =>
      `/categories/${w.categories[i % w.categories.length]}?sort=${SORTS[i % SORTS.length]}&page=${1 + (i % 3)}`,
  },
  {
    name: 'search listing',
    floor: 'search',
    path: (_w, i) => `/search?q=${encodeURIComponent(QUERIES[i % QUERIES.length]!)}`,
  },
  { name: 'home', path: () => '/' },
];

/** Keep-alive GETs timed to the first byte of the answer (headers in), and to its end. */
function ttfbGetter(baseUrl: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(baseUrl);
  const firstByte: number[] = [];
  const get = (path: string) =>
    new Promise<boolean>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: base.hostname, port: base.port, path, agent }, (res) => {
        const ok = (res.statusCode ?? 500) < 400;
        if (ok) firstByte.push(performance.now() - t0);
        res.resume();
        res.on('end', () => resolve(ok));
      });
      req.on('error', () => resolve(false));
    });
  const take = () => firstByte.splice(0).sort((a, b) => a - b);
  return { get, take, close: () => agent.destroy() };
}

/** A percentile of sorted latencies, to 0.1 ms (stats.ts's rule for which sample is the p-th). */
const pct = (sorted: number[], p: number) => Math.round(percentile(sorted, p) * 10) / 10;

/** What a product page makes the browser fetch from us: its HTML, then the script and style it links. */
async function pageWeight(baseUrl: string, path: string) {
  const html = await (await fetch(baseUrl + path)).text();
  const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="stylesheet"[^>]*\bhref)="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  const sizes = {
    html: Buffer.byteLength(html),
    htmlGzip: gzipSync(html, { level: 9 }).length,
    js: 0,
    jsGzip: 0,
    css: 0,
    cssGzip: 0,
  };
  for (const asset of assets) {
    const body = Buffer.from(await (await fetch(baseUrl + asset)).arrayBuffer());
    const kind = asset.endsWith('.js') ? 'js' : 'css';
    sizes[kind] += body.length;
    sizes[`${kind}Gzip`] += gzipSync(body, { level: 9 }).length;
  }
  return sizes;
}

async function runOn(kind: 'pglite' | 'postgres') {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_PRODUCTS: String(products),
    BENCH_SECONDS: String(Math.min(seconds, 3)),
    BENCH_CONCURRENCY: String(connections),
    BENCH_WARMUP: String(Math.min(warmup, 1)),
    BENCH_DATABASE_URL: kind === 'postgres' ? (existing ?? (await freshPostgres('nexus_bench_store'))) : '',
    BENCH_EXISTING: kind === 'postgres' && existing ? '1' : '',
  };
  console.log(`\n[${kind}] seeding ${products} products and measuring the floor…`);
  const child = await startChild<Ready>('bench/catalog-server.ts', env);
  const { ready } = child;
  const rows = [];
  for (const [url, label] of [
    [ready.url, ''],
    [ready.uncachedUrl, ' (no cache)'],
  ] as const) {
    const client = ttfbGetter(url, connections);
    for (const pageKind of PAGES) {
      const request = (i: number) => client.get(pageKind.path(ready.workload, i));
      if (warmup > 0) await runConcurrent(request, { concurrency: connections, seconds: warmup });
      client.take();
      const full = await runConcurrent(request, { concurrency: connections, seconds });
      const ttfb = client.take();
      const floor = pageKind.floor ? ready.floor[pageKind.floor] : undefined;
      rows.push({
        page: pageKind.name + label,
        database: kind,
        full,
        ttfb: { p50: pct(ttfb, 50), p95: pct(ttfb, 95), p99: pct(ttfb, 99) },
        floor,
      });
    }
    client.close();
  }
  const weight = await pageWeight(ready.url, PAGES[0]!.path(ready.workload, 0));
  await child.stop();
  return { rows, weight, seed: ready.seed };
}

const kinds = benchDatabases(db);
const results = [];
for (const kind of kinds) results.push(await runOn(kind));

console.log(
  `\nStorefront benchmark: ${products} products, ${connections} connections, ${seconds} s per page after ${warmup} s of warm-up (${machine()})\n`,
);
printTable(
  results.flatMap((r) =>
    r.rows.map((row) => ({
      page: row.page,
      database: row.database,
      'req/s': row.full.perSecond,
      'TTFB p50 ms': row.ttfb.p50,
      'TTFB p95 ms': row.ttfb.p95,
      'TTFB p99 ms': row.ttfb.p99,
      'full p95 ms': row.full.p95,
      errors: row.full.errors,
      'floor p50': row.floor?.p50 ?? '',
      'floor p95': row.floor?.p95 ?? '',
    })),
  ),
);
const w = results[0]!.weight;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
console.log(
  `\nProduct page weight: HTML ${kb(w.html)} (${kb(w.htmlGzip)} gzipped), JavaScript ${kb(w.js)} (${kb(w.jsGzip)} gzipped; target < 100 kB), CSS ${kb(w.css)} (${kb(w.cssGzip)} gzipped)`,
);
writeResults('storefront', { products, seconds, warmup, connections, machine: machine(), results });
reportSuiteRows(
  'storefront',
  results.flatMap((r) =>
    r.rows.map((row, i) => ({
      scenario: `TTFB ${row.page}`,
      database: row.database,
      unit: 'req/s' as const,
      rate: row.full.perSecond,
      ...row.ttfb,
      errors: row.full.errors,
      ...(row.floor ? { floor: { rate: row.floor.perSecond, p50: row.floor.p50, p95: row.floor.p95 } } : {}),
      note: [
        row.floor
          ? 'floor: its service call, no HTTP or HTML'
          : 'no floor: two searches and the categories, no one call',
        i === 0 && `JS ${kb(r.weight.jsGzip)} gzipped (target < 100 kB)`,
      ]
        .filter(Boolean)
        .join('; '),
    })),
  ),
);

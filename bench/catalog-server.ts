/**
 * Child process of bench/catalog.ts: seeds a catalog, measures the floor (the catalog services
 * called directly, no HTTP), then serves the API and prints one JSON line when ready. It owns the
 * database because an embedded PGlite lives inside one process.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../server/db/client.js';
import { products } from '../server/db/schema/index.js';
import { seedCatalog } from '../server/modules/catalog/demo/generator.js';
import { CATEGORY_SPECS } from '../server/modules/catalog/demo/catalog-data.js';
import { getPublicProduct } from '../server/modules/catalog/products.service.js';
import { searchProducts } from '../server/modules/catalog/search.service.js';
import { productSearchQuery } from '../shared/api/catalog.schemas.js';
import { announceReady, serveCommands } from './lib/child.js';
import { serveBench } from './lib/serve.js';
import { runConcurrent } from './lib/stats.js';
import { SCENARIOS, type Workload } from './catalog-workload.js';

const count = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const warmup = Number(process.env.BENCH_WARMUP ?? 0);

const database = await openDatabase({ url: process.env.BENCH_DATABASE_URL, pgliteDir: 'memory', poolMax: 20 });
await database.migrate();
const t0 = performance.now();
// BENCH_EXISTING: the database was seeded by an earlier run (`npm run seed`); measure it as it is.
const seeded = process.env.BENCH_EXISTING
  ? { products: await countRows('products'), variants: await countRows('variants') }
  : await seedCatalog(database.db, { products: count, seed: 7 });
const seedSeconds = (performance.now() - t0) / 1000;
await database.db.execute(sql`analyze`);

async function countRows(table: 'products' | 'variants'): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return (result as { rows: { n: number }[] }).rows[0]!.n;
}

const slugs = (
  await database.db
    .select({ slug: products.slug })
    .from(products)
    .where(sql`${products.status} = 'active'`)
    .orderBy(sql`random()`)
    .limit(2000)
).map((r) => r.slug);
const workload: Workload = { slugs, categories: CATEGORY_SPECS.map((c) => c.slug) };

// The floor: the same service calls (the same SQL) without HTTP, validation or JSON.
const floor: Record<string, unknown> = {};
for (const scenario of SCENARIOS) {
  const call = async (i: number) => {
    const target = scenario.path(workload, i);
    const url = new URL(target, 'http://x');
    if (url.pathname === '/api/v1/products') {
      await searchProducts(database.db, productSearchQuery.parse(Object.fromEntries(url.searchParams)));
    } else {
      await getPublicProduct(database.db, decodeURIComponent(url.pathname.split('/').pop()!));
    }
    return true;
  };
  if (warmup > 0) await runConcurrent(call, { concurrency, seconds: warmup });
  floor[scenario.name] = await runConcurrent(call, { concurrency, seconds });
}

// The API as deployed (state read shared for a second, answers cached), and with both caches off.
const running = await serveBench(database);
const uncached = await serveBench(database, { env: { CATALOG_CACHE_MB: '0', CATALOG_STATE_TTL_MS: '0' } });
announceReady({
  url: running.url,
  uncachedUrl: uncached.url,
  workload,
  floor,
  seed: {
    products: seeded.products,
    variants: seeded.variants,
    seconds: seedSeconds,
    rowsPerSecond: Math.round(seeded.products / seedSeconds),
  },
  database: database.kind,
});
serveCommands({}, async () => {
  await Promise.all([running.shutdown(), uncached.shutdown()]);
});

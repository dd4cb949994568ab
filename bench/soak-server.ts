/**
 * Child process of bench/soak.ts: the server as deployed, on its own event loop so its memory is
 * its own. Seeds a catalog, gives the variants shoppers buy a large stock (the device's receipts
 * top it up during the run), adds a staff account for the sync device, then serves with the
 * background work startServer runs (outbox worker, cart purge, order expiry); mail is rendered
 * and marked sent, then dropped. Commands (bench/lib/child.ts):
 * - `memory`: a full GC, then the process's RSS and heapUsed (retained memory, not garbage);
 * - `check`: what the run left in the database (orders, e-mails, sync movements, lowest stock);
 * - `emptied`: `memory` once the response cache is emptied, with the heap by V8 space: before the
 *   load the baseline, after it what the run left behind.
 * Must run with --expose-gc (the parent sets it in NODE_OPTIONS).
 */
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../server/db/client.js';
import { queryRows } from '../server/db/sql.js';
import { hashPassword } from '../server/modules/auth/passwords.js';
import { scheduleCartPurge } from '../server/modules/cart/cart.purge.js';
import { CATEGORY_SPECS } from '../server/modules/catalog/demo/catalog-data.js';
import { seedCatalog } from '../server/modules/catalog/demo/generator.js';
import { correctionCache, facetCache } from '../server/modules/catalog/search.service.js';
import { adjustStock } from '../server/modules/inventory/stock.service.js';
import type { MailTransport } from '../server/modules/notifications/transport.js';
import { scheduleOrderExpiry } from '../server/modules/orders/expiry.js';
import { insertUser } from '../server/modules/users/users.service.js';
import { announceReady, serveCommands } from './lib/child.js';
import { serveBench } from './lib/serve.js';
import { SHOPPER_EMAIL, type SoakReady } from './soak-workload.js';

const collect = globalThis.gc;
if (!collect) throw new Error('bench/soak-server.ts needs --expose-gc: heapUsed without a GC counts garbage too');

const productCount = Number(process.env.BENCH_PRODUCTS ?? 2000);
const stock = Number(process.env.BENCH_STOCK ?? 100_000);
/** Shoppers buy among this many variants: enough to spread row locks, few enough to stock them all. */
const SHOPPABLE = 300;

const database = await openDatabase({
  url: process.env.BENCH_DATABASE_URL || undefined,
  pgliteDir: 'memory',
  poolMax: 20,
});
await database.migrate();
const db = database.db;

const t0 = performance.now();
const seeded = await seedCatalog(db, { products: productCount, seed: 11 });
const slugs = (
  await queryRows<{ slug: string }>(
    db,
    sql`select slug from products where status = 'active' order by random() limit 1000`,
  )
).map((r) => r.slug);
const variants = (
  await queryRows<{ id: string }>(
    db,
    sql`select v.id from variants v join products p on p.id = v.product_id
        where p.status = 'active' order by random() limit ${SHOPPABLE}`,
  )
).map((r) => r.id);
for (const variantId of variants) {
  await adjustStock(db, { variantId, delta: stock, reason: 'received', note: 'soak opening stock' }, null);
}
await db.execute(sql`analyze`);
const seedSeconds = (performance.now() - t0) / 1000;

// A scratch account on a scratch database: the password only has to be unguessable for the run.
const staff = { email: 'soak-device@bench.invalid', password: randomBytes(18).toString('base64url') };
await insertUser(db, {
  email: staff.email,
  name: 'Soak device',
  passwordHash: await hashPassword(staff.password),
  role: 'staff',
});

const discard: MailTransport = { description: 'discarded (benchmark)', send: async () => undefined, close() {} };
const running = await serveBench(database, { mailTransport: discard });
const { ctx } = running.nexus;
running.nexus.outbox.start();
const stopCartPurge = scheduleCartPurge(ctx);
const stopOrderExpiry = scheduleOrderExpiry(ctx);

async function memory() {
  collect!();
  const usage = process.memoryUsage();
  const responses = ctx.catalog.responses;
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    cacheBytes: responses?.calculatedSize ?? 0,
    cacheEntries: responses?.size ?? 0,
    searchEntries: { facets: facetCache(ctx.db).size, corrections: correctionCache(ctx.db).size },
  };
}

async function emptied() {
  ctx.catalog.responses?.clear();
  const reading = await memory();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  return { ...reading, spaces };
}

async function check() {
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*) from orders where email = ${SHOPPER_EMAIL})::int as orders,
      (select count(*) from orders where email = ${SHOPPER_EMAIL} and status = 'paid')::int as paid,
      (select count(*) from notifications where status = 'sent')::int as "emailsSent",
      (select count(*) from notifications where status in ('pending', 'sending'))::int as "emailsWaiting",
      (select count(*) from notifications where status = 'failed')::int as "emailsFailed",
      (select count(*) from stock_movements where reference like 'sync:%')::int as "syncMovements",
      (select min(on_hand - reserved) from stock_levels
        where variant_id in (select unnest(${`{${variants.join(',')}}`}::uuid[])))::int as "lowestAvailable"`,
  );
  return row;
}

const ready: SoakReady = {
  url: running.url,
  database: database.kind,
  workload: { slugs, categories: CATEGORY_SPECS.map((c) => c.slug), variants },
  staff,
  accessTokenSeconds: ctx.config.ACCESS_TOKEN_TTL,
  seed: { products: seeded.products, variants: seeded.variants, seconds: seedSeconds },
};
announceReady({ ...ready });
serveCommands({ memory, check, emptied }, async () => {
  stopCartPurge();
  stopOrderExpiry();
  await running.shutdown();
});

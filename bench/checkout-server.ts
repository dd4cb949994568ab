/**
 * Child process of bench/checkout.ts: seeds products with plenty of stock through the admin
 * service, measures the floor (the SQL of one reservation and order insert, in a transaction,
 * straight on the database), then serves the API as deployed (outbox worker running, mail
 * discarded) and answers `check`: the consistency figures of everything the shoppers did.
 * Scenario variants have SKUs `CK-…`, the floor's `FLOOR-…`; shoppers' orders carry the e-mail
 * shopper@bench.invalid, so the check counts only what the HTTP load did.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, type DbOrTx } from '../server/db/client.js';
import { queryRows } from '../server/db/sql.js';
import { createProduct } from '../server/modules/catalog/products.service.js';
import { defaultLocationId } from '../server/modules/inventory/stock.service.js';
import type { MailTransport } from '../server/modules/notifications/transport.js';
import { productCreateInput } from '../shared/api/catalog.schemas.js';
import { newId } from '../shared/domain/ids.js';
import type { CheckoutWorkload } from './checkout-workload.js';
import { announceReady, serveCommands } from './lib/child.js';
import { serveBench } from './lib/serve.js';
import { runConcurrent, type Summary } from './lib/stats.js';

const productCount = Number(process.env.BENCH_PRODUCTS ?? 200);
const stock = Number(process.env.BENCH_STOCK ?? 1_000_000);
const hotStock = Number(process.env.BENCH_HOT_STOCK ?? 1_000_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const warmup = Number(process.env.BENCH_WARMUP ?? 0);
const VARIANTS_PER_PRODUCT = 3;

const database = await openDatabase({
  url: process.env.BENCH_DATABASE_URL || undefined,
  pgliteDir: 'memory',
  poolMax: Number(process.env.BENCH_POOL_MAX ?? 20),
});
await database.migrate();
const db = database.db;

async function product(prefix: string, n: number, variants: number, initialStock: number): Promise<string[]> {
  const sizes = Array.from({ length: variants }, (_, i) => `S${i}`);
  const created = await createProduct(
    db,
    productCreateInput.parse({
      name: `${prefix} product ${n}`,
      status: 'active',
      options: [{ name: 'Size', values: sizes }],
      variants: sizes.map((size, i) => ({
        sku: `${prefix}-${n}-${i}`,
        optionValues: { Size: size },
        priceCents: 1000 + 10 * i,
        initialStock,
      })),
    }),
    null,
  );
  return created.variants.map((v) => v.id);
}

const t0 = performance.now();
const spread: string[] = [];
for (let n = 0; n < productCount; n++) spread.push(...(await product('CK', n, VARIANTS_PER_PRODUCT, stock)));
const [hotVariant] = await product('CK-HOT', 0, 1, hotStock);
const floorVariants: string[] = [];
for (let n = 0; n < 20; n++) floorVariants.push(...(await product('FLOOR', n, 5, stock)));
const seedSeconds = (performance.now() - t0) / 1000;
await db.execute(sql`analyze`);
const workload: CheckoutWorkload = { variants: spread, hotVariant: hotVariant! };

/**
 * The floor: what any checkout must at least do, as raw SQL in one transaction: reserve the stock
 * with the conditional update, record it in the ledger, insert the order and its line.
 */
const locationId = await defaultLocationId(db);
async function reserveAndOrder(tx: DbOrTx, variantId: string) {
  const [level] = await queryRows<{ on_hand: number }>(
    tx,
    sql`update stock_levels set reserved = reserved + 1, updated_at = now()
        where variant_id = ${variantId} and location_id = ${locationId} and on_hand - reserved >= 1
        returning on_hand`,
  );
  if (!level) throw new Error('floor variant out of stock');
  await tx.execute(
    sql`insert into stock_movements (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reason)
        values (${newId()}, ${variantId}, ${locationId}, 'reservation', 0, 1, ${level.on_hand}, 'floor')`,
  );
  const orderId = newId();
  await tx.execute(
    sql`insert into orders (id, number, email, subtotal_cents, total_cents, shipping_address, payment_provider)
        values (${orderId}, 'NX-' || nextval('order_number_seq'), 'floor@bench.invalid', 1000, 1000,
                ${JSON.stringify({ name: 'Floor', line1: '1 St', city: 'C', postalCode: '1', country: 'US' })}::jsonb, 'test')`,
  );
  await tx.execute(
    sql`insert into order_items (id, order_id, variant_id, sku, name, quantity, unit_price_cents, line_total_cents)
        values (${newId()}, ${orderId}, ${variantId}, 'FLOOR', 'Floor', 1, 1000, 1000)`,
  );
}
const floor: Record<string, Summary> = {};
for (const [name, pick] of [
  ['spread', (i: number) => floorVariants[(i * 7919) % floorVariants.length]!],
  ['hot', () => floorVariants[0]!],
] as const) {
  const call = async (i: number) => {
    await db.transaction((tx) => reserveAndOrder(tx, pick(i)));
    return true;
  };
  if (warmup > 0) await runConcurrent(call, { concurrency, seconds: warmup });
  floor[name] = await runConcurrent(call, { concurrency, seconds });
}

/** Mail is rendered and marked sent by the outbox worker as deployed, then dropped instead of written to disk. */
const discard: MailTransport = { description: 'discarded (benchmark)', send: async () => undefined, close() {} };
const running = await serveBench(database, { mailTransport: discard });
running.nexus.outbox.start();

async function check() {
  const shopperVariants = sql`(select id from variants where sku like 'CK-%')`;
  const shopperOrders = sql`(select id from orders where email = 'shopper@bench.invalid')`;
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*) from stock_levels where variant_id in ${shopperVariants}
         and (on_hand < 0 or reserved < 0 or on_hand < reserved))::int as "negativeLevels",
      (select count(*) from stock_movements where variant_id in ${shopperVariants} and on_hand_after < 0)::int
         as "negativeLedger",
      (select count(*) from stock_levels l where l.variant_id in ${shopperVariants} and (l.on_hand, l.reserved) <>
         (select coalesce(sum(on_hand_delta), 0), coalesce(sum(reserved_delta), 0) from stock_movements m
          where m.variant_id = l.variant_id and m.location_id = l.location_id))::int as "ledgerMismatch",
      (select count(*) from orders where id in ${shopperOrders})::int as orders,
      (select count(*) from orders where id in ${shopperOrders} and status = 'paid')::int as paid,
      (select coalesce(sum(reserved), 0) from stock_levels where variant_id in ${shopperVariants})::int
         as "reservedUnits",
      (select coalesce(sum(i.quantity), 0) from order_items i join orders o on o.id = i.order_id
         where o.id in ${shopperOrders} and o.status = 'pending_payment')::int as "pendingUnits",
      (select count(*) from notifications where template = 'order-confirmation')::int as "confirmationEmails"`,
  );
  return row;
}

announceReady({
  url: running.url,
  workload,
  floor,
  seed: { products: productCount + 21, variants: spread.length + 1 + floorVariants.length, seconds: seedSeconds },
  database: database.kind,
});
serveCommands({ check }, () => running.shutdown());

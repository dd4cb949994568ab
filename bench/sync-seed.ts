/**
 * Fills the server's database for bench/sync.ts with set-based SQL (generate_series), not
 * through the API: a 100k-product catalog through the services would take far longer than the
 * download it prepares. The rows still go through the tables' own triggers, so `version` comes
 * from sync_change_seq and every row gets its sync_log entry (migrations 0002, 0004, 0012, 0015), exactly
 * as a write by the services would.
 *
 * What it makes, per product n: `variantsPer` variants with one stock level each and an opening
 * "received" movement dated 90 days back (so level = ledger, and the first download skips them as
 * it skips any movement older than 30 days); customers (one per two orders) and `orders` orders of
 * 1 to 3 lines each, with statuses from paid to cancelled, and each order's timeline as the services
 * write it (created, paid, fulfilled, delivered, cancelled events). Ids are fixed UUIDs (version 7 layout)
 * made from a kind and a number, so every run makes the same rows and foreign keys are arithmetic.
 *
 * Chunks: each transaction writes `chunk` products with their variants, levels and movements (and
 * later `chunk` orders with their lines). The pull serves changes in (transaction, position) order,
 * so the chunk decides how a download's pages mix tables. Small chunks give pages like a catalog
 * built by the services (a product and its variants in one transaction); one huge chunk gives all
 * products, then all variants, then all levels, as one bulk import would, which makes the host
 * refresh each product's derived data and search row once per table instead of once.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../server/db/client.js';
import { queryRows } from '../server/db/sql.js';

export interface SeedSizes {
  products: number;
  variantsPer: number;
  orders: number;
  /** Products (and orders) per transaction; see the note on chunks above. */
  chunk: number;
}

export interface SeedCounts {
  categories: number;
  products: number;
  variants: number;
  stockLevels: number;
  movements: number;
  customers: number;
  orders: number;
  orderItems: number;
  orderEvents: number;
}

const CATEGORIES = 20;
const KIND = {
  category: 1,
  product: 2,
  variant: 3,
  level: 4,
  movement: 5,
  customer: 6,
  order: 7,
  item: 8,
  event: 9,
} as const;

/** `kind`-`n` as a valid UUID: zod's z.uuid() (the admin API, mutations) wants version 1-8 and variant 8-b. */
export function benchId(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The same id computed in SQL from an integer expression. */
function idOf(kind: number, n: SQL): SQL {
  return sql`(${sql.raw(`'${benchId(kind, 0).slice(0, 24)}'`)} || lpad(to_hex(${n}), 12, '0'))::uuid`;
}

const NOUNS = `array['hoodie','jacket','parka','tote','mug','scarf','boots','beanie','lamp','blanket','kettle','tee']`;
const COLOURS = `array['black','navy','olive','sand','rust','cream','slate','forest']`;
const int = (n: number) => sql.raw(String(Math.trunc(n)));

/** Price of variant k of product n: deterministic, spread over $10–$210. */
const price = (n: SQL, k: SQL) => sql`(1000 + ((${n} * 7919 + ${k} * 104729) % 20000))`;

async function seedCategories(db: DbOrTx): Promise<void> {
  const c = sql`c`;
  await db.execute(sql`
    insert into categories (id, slug, name, description, position)
    select ${idOf(KIND.category, c)}, 'bench-category-' || c, 'Bench category ' || c, 'Made by bench/sync.ts', c
    from generate_series(1, ${int(CATEGORIES)}) c`);
}

async function seedProducts(db: DbOrTx, lo: number, hi: number, per: number): Promise<void> {
  const n = sql`n`;
  const options = JSON.stringify([{ name: 'Size', values: Array.from({ length: per }, (_, i) => `V${i + 1}`) }]);
  await db.execute(sql`
    insert into products (id, slug, name, description, status, category_ids, tags, options,
                          min_price_cents, max_price_cents, in_stock, created_at, updated_at)
    select ${idOf(KIND.product, n)}, 'bench-product-' || n,
      initcap((${sql.raw(COLOURS)})[1 + n % 8]) || ' ' || (${sql.raw(NOUNS)})[1 + n % 12] || ' ' || n,
      'Bench product ' || n || ': a ' || (${sql.raw(COLOURS)})[1 + n % 8] || ' ' || (${sql.raw(NOUNS)})[1 + n % 12]
        || ' for everyday use, described at the length of an ordinary catalog entry.',
      (case when n % 20 = 0 then 'draft' else 'active' end)::product_status,
      array[${idOf(KIND.category, sql`(1 + n % ${int(CATEGORIES)})`)}],
      array['bench', (${sql.raw(COLOURS)})[1 + n % 8], (${sql.raw(NOUNS)})[1 + n % 12]],
      ${options}::jsonb,
      (select min(${price(n, sql`k`)}) from generate_series(1, ${int(per)}) k),
      (select max(${price(n, sql`k`)}) from generate_series(1, ${int(per)}) k),
      true, now() - make_interval(days => n % 700), now() - make_interval(days => n % 30)
    from generate_series(${int(lo)}, ${int(hi)}) n`);
}

async function seedVariants(db: DbOrTx, lo: number, hi: number, per: number): Promise<void> {
  const n = sql`n`;
  const k = sql`k`;
  await db.execute(sql`
    insert into variants (id, product_id, sku, title, option_values, price_cents, cost_cents, currency,
                          weight_grams, low_stock_threshold, position)
    select ${idOf(KIND.variant, sql`((n - 1) * ${int(per)} + k)`)}, ${idOf(KIND.product, n)},
      'BENCH-' || n || '-' || k, 'V' || k, jsonb_build_object('Size', 'V' || k),
      ${price(n, k)}, ${price(n, k)} / 2, 'USD', 300, 5, k - 1
    from generate_series(${int(lo)}, ${int(hi)}) n, generate_series(1, ${int(per)}) k
    order by n, k`);
}

/** One level per variant, and its opening movement (older than the first download's 30 days). */
async function seedStock(db: DbOrTx, lo: number, hi: number, location: string): Promise<void> {
  const v = sql`v`;
  const onHand = sql`((v * 37) % 60)`;
  const range = sql`generate_series(${int(lo)}, ${int(hi)}) v`;
  await db.execute(sql`
    insert into stock_levels (id, variant_id, location_id, on_hand, reserved)
    select ${idOf(KIND.level, v)}, ${idOf(KIND.variant, v)}, ${location}::uuid, ${onHand}, 0 from ${range}`);
  await db.execute(sql`
    insert into stock_movements (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, reason,
                                 reference, on_hand_after, created_at)
    select ${idOf(KIND.movement, v)}, ${idOf(KIND.variant, v)}, ${location}::uuid, 'received', ${onHand}, 0,
      'opening stock', 'bench-seed', ${onHand}, now() - interval '90 days'
    from ${range} where ${onHand} > 0`);
}

async function seedCustomers(db: DbOrTx, count: number): Promise<void> {
  const c = sql`c`;
  await db.execute(sql`
    insert into users (id, email, name, password_hash, role, created_at)
    select ${idOf(KIND.customer, c)}, 'customer-' || c || '@bench.invalid', 'Customer ' || c,
      '!bench: no password', 'customer', now() - make_interval(days => c % 900)
    from generate_series(1, ${int(count)}) c`);
}

/** Order o's lines: 1 to 3, each on some variant, with the variant's price (as the checkout copies it). */
function itemsOf(lo: number, hi: number, per: number, totalVariants: number): SQL {
  return sql`select o, j, v, 1 + (o + j) % 3 as qty, (v - 1) / ${int(per)} + 1 as n, (v - 1) % ${int(per)} + 1 as k,
      ${price(sql`((v - 1) / ${int(per)} + 1)`, sql`((v - 1) % ${int(per)} + 1)`)} as unit
    from generate_series(${int(lo)}, ${int(hi)}) o, generate_series(1, 1 + o % 3) j,
      lateral (select 1 + ((o * 7 + j * 131) % ${int(totalVariants)}) as v) pick`;
}

async function seedOrders(db: DbOrTx, lo: number, hi: number, per: number, variants: number, customers: number) {
  const status = sql`(array['paid','fulfilled','delivered','cancelled'])[1 + o % 4]`;
  const customer = sql`(1 + o % ${int(customers)})`;
  const at = sql`(now() - make_interval(days => o % 365))`;
  await db.execute(sql`
    insert into orders (id, number, user_id, email, status, currency, subtotal_cents, shipping_cents, tax_cents,
      total_cents, shipping_address, payment_provider, payment_status, fulfillment_carrier,
      fulfillment_tracking_number, shipped_at, paid_at, cancelled_at, cancellation_reason, created_at, updated_at)
    select ${idOf(KIND.order, sql`o`)}, 'BENCH-' || o, ${idOf(KIND.customer, customer)},
      'customer-' || ${customer} || '@bench.invalid', ${status}::order_status, 'USD', sub, 500, 0, sub + 500,
      jsonb_build_object('name', 'Customer ' || ${customer}, 'line1', o || ' Bench Street', 'city', 'Benchville',
        'postalCode', lpad((o % 100000)::text, 5, '0'), 'country', 'US'),
      'test', case when o % 4 = 3 then 'canceled' else 'succeeded' end,
      case when o % 4 in (1, 2) then 'UPS' end, case when o % 4 in (1, 2) then '1Z' || o end,
      case when o % 4 in (1, 2) then ${at} + interval '1 day' end,
      case when o % 4 <> 3 then ${at} end,
      case when o % 4 = 3 then ${at} + interval '1 hour' end,
      case when o % 4 = 3 then 'staff' end,
      ${at}, ${at}
    from (select o, sum(qty * unit)::int as sub from (${itemsOf(lo, hi, per, variants)}) i group by o) t
    order by o`);
  await db.execute(sql`
    insert into order_items (id, order_id, variant_id, product_id, sku, name, quantity, unit_price_cents,
      line_total_cents, created_at)
    select ${idOf(KIND.item, sql`((o - 1) * 3 + j)`)}, ${idOf(KIND.order, sql`o`)}, ${idOf(KIND.variant, sql`v`)},
      ${idOf(KIND.product, sql`n`)}, 'BENCH-' || n || '-' || k, 'Bench product ' || n || ' (V' || k || ')',
      qty, unit, qty * unit, ${at}
    from (${itemsOf(lo, hi, per, variants)}) i order by o, j`);
  // Event k of order o (its status is o % 4: paid, fulfilled, delivered, cancelled), at the times the order row says.
  await db.execute(sql`
    insert into order_events (id, order_id, type, data, actor, created_at)
    select ${idOf(KIND.event, sql`((o - 1) * 5 + k)`)}, ${idOf(KIND.order, sql`o`)}, e.type, e.data, e.actor, e.at
    from generate_series(${int(lo)}, ${int(hi)}) o
    cross join lateral (select ${at} as t) w
    cross join lateral (values
      (1, 'created', '{}'::jsonb, 'customer', w.t, true),
      (2, 'paid', jsonb_build_object('paymentId', 'bench_pay_' || o, 'currency', 'USD'), 'provider:test', w.t, o % 4 <> 3),
      (3, 'fulfilled', jsonb_build_object('carrier', 'UPS', 'trackingNumber', '1Z' || o), 'system',
        w.t + interval '1 day', o % 4 in (1, 2)),
      (4, 'delivered', '{}'::jsonb, 'system', w.t + interval '3 days', o % 4 = 2),
      (5, 'cancelled', jsonb_build_object('reason', 'staff'), 'system', w.t + interval '1 hour', o % 4 = 3)
    ) as e(k, type, data, actor, at, happened)
    where e.happened order by o, k`);
}

/** Runs `step` over 1..total in slices of `size`, each slice in its own transaction. */
async function chunked(
  db: Db,
  total: number,
  size: number,
  step: (tx: DbOrTx, lo: number, hi: number) => Promise<void>,
): Promise<void> {
  for (let lo = 1; lo <= total; lo += size) {
    const hi = Math.min(total, lo + size - 1);
    await db.transaction((tx) => step(tx, lo, hi));
  }
}

/** Seeds everything, then ANALYZE so the pull's plans see the real sizes. */
/** The counts of a database a previous run seeded with these sizes (`--reuse`), or null to seed it. */
export async function seededAlready(db: Db, sizes: SeedSizes): Promise<SeedCounts | null> {
  const counts = await countRows(db);
  if (counts.products === 0) return null;
  if (counts.products !== sizes.products || counts.variants !== sizes.products * sizes.variantsPer)
    throw new Error(`the kept database holds ${counts.products} products: run without --reuse to seed it again`);
  return counts;
}

export async function seedSyncData(db: Db, sizes: SeedSizes): Promise<SeedCounts> {
  const { products, variantsPer: per, orders, chunk } = sizes;
  const [location] = await queryRows<{ id: string }>(db, sql`select id from stock_locations where is_default`);
  if (!location) throw new Error('no default stock location: did the migrations run?');
  const variants = products * per;
  const customers = Math.max(1, Math.ceil(orders / 2));
  await seedCategories(db);
  await chunked(db, products, chunk, async (tx, lo, hi) => {
    await seedProducts(tx, lo, hi, per);
    await seedVariants(tx, lo, hi, per);
    await seedStock(tx, (lo - 1) * per + 1, hi * per, location.id);
  });
  await seedCustomers(db, customers);
  await chunked(db, orders, chunk, (tx, lo, hi) => seedOrders(tx, lo, hi, per, variants, customers));
  await db.execute(sql`analyze`);
  return countRows(db);
}

async function countRows(db: Db): Promise<SeedCounts> {
  const [counts] = await queryRows<SeedCounts>(
    db,
    sql`select (select count(*) from categories)::int as categories, (select count(*) from products)::int as products,
      (select count(*) from variants)::int as variants, (select count(*) from stock_levels)::int as "stockLevels",
      (select count(*) from stock_movements)::int as movements,
      (select count(*) from users where role = 'customer')::int as customers,
      (select count(*) from orders)::int as orders, (select count(*) from order_items)::int as "orderItems",
      (select count(*) from order_events)::int as "orderEvents"`,
  );
  return counts!;
}

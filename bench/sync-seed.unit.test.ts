/**
 * The bench's set-based seed is hand-written SQL against the server's schema: this checks, on a
 * tiny catalog (in-memory PGlite), that its rows are what the sync needs. Every row reaches
 * sync_log, a full pull serves them (old opening movements excepted) and the host store accepts
 * every page, ids pass the API's uuid checks, orders add up, and levels equal their ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows } from '../server/db/sql.js';
import { syncKit } from '../server/modules/sync/sync.testkit.js';
import { createTestApp, type TestApp } from '../server/test/harness.js';
import { applyPullPage } from '../electron/host/db/apply.js';
import { openStore, type Store } from '../electron/host/db/store.js';
import type { Change } from '../shared/sync/protocol.js';
import { benchId, seedSyncData, type SeedCounts } from './sync-seed.js';

const SIZES = { products: 12, variantsPer: 2, orders: 7, chunk: 5 };
// Orders have 1 + o % 3 lines; levels (v * 37) % 60 units, and a movement only when above zero.
const ITEMS = Array.from({ length: SIZES.orders }, (_, i) => 1 + ((i + 1) % 3)).reduce((a, b) => a + b, 0);
const VARIANTS = SIZES.products * SIZES.variantsPer;
const MOVEMENTS = Array.from({ length: VARIANTS }, (_, i) => ((i + 1) * 37) % 60).filter((n) => n > 0).length;
// Per order o by o % 4: paid (created, paid), fulfilled (+ fulfilled), delivered (+ delivered), cancelled (created, cancelled).
const EVENTS = Array.from({ length: SIZES.orders }, (_, i) => [2, 3, 4, 2][(i + 1) % 4]!).reduce((a, b) => a + b, 0);

let app: TestApp;
let counts: SeedCounts;
let dir: string;
let store: Store;
let changes: Change[];

beforeAll(async () => {
  app = await createTestApp();
  counts = await seedSyncData(app.database.db, SIZES);
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-sync-seed-'));
  store = openStore(path.join(dir, 'host.db'));
  const kit = await syncKit(app);
  const { pages } = await kit.pullAll(await kit.device(), undefined, 25);
  changes = pages.flatMap((p) => p.changes);
  for (const page of pages) expect(applyPullPage(store, page).status).toBe('applied');
});

afterAll(async () => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await app?.close();
});

const stored = (table: string) => store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const served = (table: string) => changes.filter((c) => c.table === table && c.op === 'upsert').length;

describe('seedSyncData', () => {
  it('makes the asked sizes', () => {
    expect(counts).toEqual({
      categories: 20,
      products: SIZES.products,
      variants: VARIANTS,
      stockLevels: VARIANTS,
      movements: MOVEMENTS,
      customers: Math.ceil(SIZES.orders / 2),
      orders: SIZES.orders,
      orderItems: ITEMS,
      orderEvents: EVENTS,
    });
  });

  it('logs every seeded row for the pull (plus the default location and nothing else)', async () => {
    const [log] = await queryRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from sync_log`);
    const seeded = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(log!.n).toBe(seeded + 1);
  });

  it('is served whole by a first download, opening movements (90 days old) excepted, with no deletes', () => {
    expect(changes.every((c) => c.op === 'upsert')).toBe(true);
    expect(served('products')).toBe(SIZES.products);
    expect(served('variants')).toBe(VARIANTS);
    expect(served('stock_levels')).toBe(VARIANTS);
    expect(served('stock_movements')).toBe(0);
    expect(served('customers')).toBe(counts.customers);
    expect(served('orders')).toBe(SIZES.orders);
    expect(served('order_items')).toBe(ITEMS);
    expect(served('order_events')).toBe(EVENTS);
    // The payment ids seeded in events stay on the server, as the services' do.
    expect(JSON.stringify(changes)).not.toContain('bench_pay_');
  });

  it('is accepted by the host store, row for row', () => {
    expect(stored('products')).toBe(SIZES.products);
    expect(stored('variants')).toBe(VARIANTS);
    expect(stored('stock_levels')).toBe(VARIANTS);
    expect(stored('customers')).toBe(counts.customers);
    expect(stored('orders')).toBe(SIZES.orders);
    expect(stored('order_items')).toBe(ITEMS);
    expect(stored('order_events')).toBe(EVENTS);
    // Derived data saw the variants and levels: no product is left without variants.
    const bare = store.sqlite.prepare('SELECT count(*) FROM products WHERE variant_count <> ?').pluck();
    expect(bare.get(SIZES.variantsPer)).toBe(0);
  });

  it('uses ids the API accepts as uuids', () => {
    const uuid = z.uuid();
    expect(uuid.safeParse(benchId(3, 0xabcdef)).success).toBe(true);
    expect(changes.every((c) => uuid.safeParse(c.id).success)).toBe(true);
  });

  it('makes orders whose totals are their lines plus shipping', () => {
    const orders = changes.filter((c) => c.table === 'orders').map((c) => c.row!);
    const items = changes.filter((c) => c.table === 'order_items').map((c) => c.row!);
    for (const order of orders) {
      const lines = items.filter((i) => i.orderId === order.id);
      const sum = lines.reduce((s, i) => s + (i.quantity as number) * (i.unitPriceCents as number), 0);
      expect(order.subtotalCents).toBe(sum);
      expect(order.totalCents).toBe(sum + (order.shippingCents as number));
    }
  });

  it('keeps every level equal to its ledger', async () => {
    const [row] = await queryRows<{ n: number }>(
      app.database.db,
      sql`select count(*)::int as n from stock_levels l where l.on_hand <>
        (select coalesce(sum(on_hand_delta), 0) from stock_movements m where m.variant_id = l.variant_id)`,
    );
    expect(row!.n).toBe(0);
  });

  it('gives variants that a pushed stock.adjust can move', async () => {
    const kit = await syncKit(app);
    const device = await kit.device();
    const variantId = benchId(3, 1);
    const answer = await kit.push(device, [
      kit.mutation(device, 'stock.adjust', { variantId, delta: -2, reason: 'sale' }),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied']);
    const [level] = await queryRows<{ on_hand: number }>(
      app.database.db,
      sql`select on_hand from stock_levels where variant_id = ${variantId}`,
    );
    expect(level!.on_hand).toBe(37 - 2);
  });
});

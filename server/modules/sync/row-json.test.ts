import { inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';
import { productImages, products, stockLevels } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, markPaid } from '../checkout/checkout.testkit.js';
import { member, postReview, review } from '../reviews/reviews.testkit.js';
import { rowJsonById } from './row-json.js';
import { SOURCES } from './rows.js';

let app: TestApp;

/** Text no JSON writer may get wrong: quotes, backslashes, control characters, non-BMP, separators. */
const AWKWARD = 'Q "quoted" \\ back\tslash\nline\r\u0001\u001f é 漢 😀 \u2028\u2029 </script>';

beforeAll(async () => {
  app = await createTestApp();
  const kit = await checkoutKit(app);
  const db = app.nexus.ctx.db;
  const made = await kit.product({ stock: [5, 3] });
  await kit.product({ stock: [1] });
  await app.request.post('/api/v1/admin/categories').set(kit.staff).send({ name: 'Caf\u00e9 "deals"' }).expect(201);
  await db.insert(productImages).values({
    productId: made.id,
    storageKey: 'k/1.jpg',
    url: '/media/k/1.jpg',
    alt: AWKWARD,
    width: 10,
    height: 10,
    mimeType: 'image/jpeg',
    bytes: 100,
  });
  await db
    .update(products)
    .set({ name: AWKWARD, description: AWKWARD, tags: [AWKWARD, 'plain'] })
    .where(sql`${products.id} = ${made.id}`);
  // Microseconds the drivers' Date drops: .999999 must still read .999, never round up to the next second.
  await db.execute(sql`update products set created_at = '2024-02-29 23:59:59.999999+00' where id = ${made.id}`);
  // A negative level opens an oversell (0012's trigger): that table gets a row too.
  await db
    .update(stockLevels)
    .set({ onHand: -2 })
    .where(sql`${stockLevels.variantId} = ${made.variants[0]!}`);
  const shopper = await member(app, AWKWARD);
  await kit.add(shopper.auth, made.variants[1]!, 1).expect(200);
  const placed = await kit.checkout(shopper.auth, { shippingAddress: { ...address(), line2: AWKWARD } }).expect(201);
  const order = placed.body.order as { id: string; totalCents: number };
  // Order events: created, paid (with the provider's ids, which stay home), and a staff note.
  await markPaid(app, order);
  await app.request.post(`/api/v1/admin/orders/${order.id}/notes`).set(kit.staff).send({ body: AWKWARD }).expect(201);
  await postReview(app, made.id, shopper.auth, review({ body: 'Said "great" \\ é 😀\nsecond line' })).expect(201);
});
afterAll(() => app.close());

/** Only the picked keys of a jsonb value (rows.ts Source.pick). */
const pickKeys = (value: unknown, keys: readonly string[] | undefined) =>
  keys ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => keys.includes(k))) : value;

/** The old loader: drizzle's select of the wire columns, as res.json() would have written it. */
async function drizzleRows(wire: SyncedTable, ids: string[]): Promise<Map<string, string>> {
  const { table, columns, pick } = SOURCES[wire];
  const rows = (await app.nexus.ctx.db
    .select()
    .from(table as PgTable & { id: never })
    .where(inArray((table as unknown as { id: never }).id, ids))) as Record<string, unknown>[];
  return new Map(
    rows.map((r) => [
      String(r.id),
      JSON.stringify(Object.fromEntries(columns.map(([k]) => [k, pickKeys(r[k], pick?.[k])]))),
    ]),
  );
}

/** The row without its `extra` fields (read from other tables), which must come last, in their order. */
function withoutExtra(wire: SyncedTable, row: Record<string, unknown>): Record<string, unknown> {
  const extra = (SOURCES[wire].extra ?? []).map(([key]) => key);
  const keys = Object.keys(row);
  expect(keys.slice(keys.length - extra.length)).toEqual(extra);
  return Object.fromEntries(Object.entries(row).filter(([key]) => !extra.includes(key)));
}

describe(`wire rows rendered by Postgres (${TEST_DB})`, () => {
  it.each(SYNCED_TABLES)('%s: the same JSON as drizzle rows, key for key and in the same order', async (wire) => {
    const db = app.nexus.ctx.db;
    const rendered = await queryRows<{ id: string; row: string | null }>(
      db,
      sql`select l.row_id::text as id, ${rowJsonById(wire, sql`l.row_id`)} as row
          from sync_log l where l.table_name = ${SOURCES[wire].logName} and not l.deleted`,
    );
    expect(rendered.length, `no ${wire} rows to compare`).toBeGreaterThan(0);
    const expected = await drizzleRows(
      wire,
      rendered.map((r) => r.id),
    );
    for (const { id, row } of rendered) {
      expect(row, `${wire} ${id}`).not.toBeNull();
      // Re-serialised so nested jsonb spacing does not count; key order and every value do.
      const parsed = withoutExtra(wire, JSON.parse(row!) as Record<string, unknown>);
      expect(JSON.stringify(parsed), `${wire} ${id}`).toBe(expected.get(id));
    }
  });

  it('renders timestamps as toISOString does, truncating microseconds', async () => {
    const [row] = await queryRows<{ row: string }>(
      app.nexus.ctx.db,
      sql`select ${rowJsonById('products', sql`(select id from products where name = ${AWKWARD})`)} as row`,
    );
    const parsed = JSON.parse(row!.row) as { createdAt: string; name: string; tags: string[] };
    expect(parsed.createdAt).toBe('2024-02-29T23:59:59.999Z');
    expect(parsed.name).toBe(AWKWARD);
    expect(parsed.tags).toEqual([AWKWARD, 'plain']);
    // One line per row: the snapshot stream is newline-delimited.
    expect(row!.row).not.toMatch(/\n/);
  });

  it('answers NULL for an id with no row', async () => {
    const [row] = await queryRows<{ row: string | null }>(
      app.nexus.ctx.db,
      sql`select ${rowJsonById('variants', sql`'00000000-0000-7000-8000-000000000000'::uuid`)} as row`,
    );
    expect(row!.row).toBeNull();
  });
});

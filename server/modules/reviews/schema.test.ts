import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderItems, orders, products, reviews, syncTombstones } from '../../db/schema/index.js';
import { pgErrorCode } from '../../db/errors.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { createProduct, member, placeOrder, postReview, review, staffAuth } from './reviews.testkit.js';

let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = await staffAuth(app);
});
afterAll(() => app.close());

const db = () => app.nexus.ctx.db;
const sequence = async () =>
  (await queryRows<{ v: number }>(db(), sql`select last_value::int as v from sync_change_seq`))[0]!.v;
const tombstone = async (table: string, rowId: string) =>
  (
    await db()
      .select()
      .from(syncTombstones)
      .where(and(eq(syncTombstones.tableName, table), eq(syncTombstones.rowId, rowId)))
  )[0];
const reviewVersion = async (id: string) =>
  (await db().select({ v: reviews.version }).from(reviews).where(eq(reviews.id, id)))[0]!.v;

/** The SQLSTATE a statement fails with (undefined when it succeeds). */
async function failure(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    return pgErrorCode(err);
  }
}

describe(`reviews are synced rows (${TEST_DB})`, () => {
  it('take a fresh change position on insert and on every real change, not on a no-op write', async () => {
    const p = await createProduct(app, staff);
    const before = await sequence();
    const created = await postReview(app, p.id, (await member(app)).auth, review()).expect(201);
    const id = created.body.id as string;
    const v1 = await reviewVersion(id);
    expect(v1).toBeGreaterThan(before);
    await db().execute(sql`update reviews set title = title, updated_at = now() where id = ${id}`);
    expect(await reviewVersion(id)).toBe(v1);
    await app.request.patch(`/api/v1/admin/reviews/${id}`).set(staff).send({ status: 'approved' }).expect(200);
    const v2 = await reviewVersion(id);
    expect(v2).toBeGreaterThan(v1);
    expect(await sequence()).toBe(v2);
  });

  it('leave tombstones when deleted, also through their product', async () => {
    const p = await createProduct(app, staff);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push((await postReview(app, p.id, (await member(app)).auth, review()).expect(201)).body.id as string);
    }
    await db().delete(reviews).where(eq(reviews.id, ids[0]!));
    const first = await tombstone('reviews', ids[0]!);
    expect(first?.version).toBe(await sequence());
    await db().delete(products).where(eq(products.id, p.id));
    const second = await tombstone('reviews', ids[1]!);
    expect(second?.version).toBeGreaterThan(first!.version);
  });
});

describe(`orders and order items are synced rows (${TEST_DB})`, () => {
  it('version on insert and change, and leave tombstones for the order and its items', async () => {
    const p = await createProduct(app, staff);
    const before = await sequence();
    const { order, item } = await placeOrder(app, (await member(app)).userId, p, 'pending_payment');
    expect(order.version).toBeGreaterThan(before);
    expect(item.version).toBeGreaterThan(order.version);
    await db().update(orders).set({ status: 'paid', paidAt: new Date() }).where(eq(orders.id, order.id));
    const [paid] = await db().select().from(orders).where(eq(orders.id, order.id));
    expect(paid!.version).toBeGreaterThan(item.version);
    await db().delete(orders).where(eq(orders.id, order.id));
    expect(await tombstone('orders', order.id)).toBeDefined();
    expect(await tombstone('order_items', item.id)).toBeDefined();
  });

  it('keep order lines when the product or the customer goes away', async () => {
    const p = await createProduct(app, staff);
    const buyer = await member(app);
    const { order, item } = await placeOrder(app, buyer.userId, p, 'delivered');
    await db().delete(products).where(eq(products.id, p.id));
    const [line] = await db().select().from(orderItems).where(eq(orderItems.id, item.id));
    expect(line).toMatchObject({ productId: null, variantId: null, name: p.name, lineTotalCents: 1999 });
    await db().execute(sql`delete from users where id = ${buyer.userId}`);
    const [kept] = await db().select().from(orders).where(eq(orders.id, order.id));
    expect(kept).toMatchObject({ userId: null, email: 'buyer@example.com' });
  });
});

describe(`the database refuses what the API refuses (${TEST_DB})`, () => {
  it('checks rating range, text lengths, one review per member and product, and order amounts', async () => {
    const p = await createProduct(app, staff);
    const author = await member(app);
    const insert = (values: Partial<typeof reviews.$inferInsert>) => () =>
      db()
        .insert(reviews)
        .values({ productId: p.id, userId: author.userId, rating: 3, title: 't', body: 'b', ...values });
    expect(await failure(insert({ rating: 6 }))).toBe('23514');
    expect(await failure(insert({ rating: 0 }))).toBe('23514');
    expect(await failure(insert({ title: 'x'.repeat(121) }))).toBe('23514');
    expect(await failure(insert({ body: '' }))).toBe('23514');
    expect(await failure(insert({ moderationNote: 'x'.repeat(1001) }))).toBe('23514');
    // 120 emoji are 120 characters for Postgres too.
    expect(await failure(insert({ title: '😀'.repeat(120) }))).toBeUndefined();
    expect(await failure(insert({}))).toBe('23505');
    const { order } = await placeOrder(app, author.userId, p, 'paid');
    expect(await failure(() => db().update(orders).set({ totalCents: -1 }).where(eq(orders.id, order.id)))).toBe(
      '23514',
    );
    expect(
      await failure(() =>
        db()
          .insert(orderItems)
          .values({ orderId: order.id, sku: 'X', name: 'X', quantity: 0, unitPriceCents: 1, lineTotalCents: 0 }),
      ),
    ).toBe('23514');
  });
});

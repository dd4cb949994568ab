import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from './cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

const parallel = <T>(n: number, work: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => work(i)));
const statuses = (results: { status: number }[]) =>
  results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe(`two tabs editing one cart at once (${TEST_DB})`, () => {
  it('20 parallel adds to one guest line all count', async () => {
    const p = await kit.product({ stock: [100] });
    const guest = await kit.newGuestCart();
    const results = await parallel(20, () => kit.add(guest.headers, p.variants[0]!, 1));
    expect(statuses(results)).toEqual({ 200: 20 });
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 20 }]);
  });

  it("20 parallel adds to one line of a member's cart, not yet created, make one cart with all of them", async () => {
    const p = await kit.product({ stock: [100] });
    const c = await registerCustomer(app);
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    const results = await parallel(20, (i) => kit.add(auth, p.variants[0]!, (i % 3) + 1));
    expect(statuses(results)).toEqual({ 200: 20 });
    const carts = await queryRows<{ id: string }>(
      app.nexus.ctx.db,
      sql`select id from carts where user_id = ${c.user.id}::uuid`,
    );
    expect(carts).toHaveLength(1);
    const expected = Array.from({ length: 20 }, (_, i) => (i % 3) + 1).reduce((a, b) => a + b, 0);
    expect(await kit.storedLines(carts[0]!.id)).toEqual([{ variant_id: p.variants[0], quantity: expected }]);
  });

  it('parallel adds never pass the stock: exactly as many succeed as there is stock', async () => {
    const p = await kit.product({ stock: [12] });
    const guest = await kit.newGuestCart();
    const results = await parallel(20, () => kit.add(guest.headers, p.variants[0]!, 1));
    expect(statuses(results)).toEqual({ 200: 12, 409: 8 });
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 12 }]);
  });

  it('parallel adds never pass 99 on a line', async () => {
    const p = await kit.product({ stock: [1000] });
    const guest = await kit.newGuestCart();
    const results = await parallel(12, () => kit.add(guest.headers, p.variants[0]!, 9));
    expect(statuses(results)).toEqual({ 200: 11, 422: 1 });
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 99 }]);
  });

  it('parallel new lines never pass 100 lines', async () => {
    const p = await kit.product({ stock: [5, 5, 5, 5, 5] });
    const guest = await kit.newGuestCart();
    await app.nexus.ctx.db.execute(sql`
      insert into cart_items (cart_id, variant_id, quantity, product_id, product_name, variant_title, sku)
      select ${guest.id}::uuid, gen_random_uuid(), 1, ${p.id}::uuid, 'Gone', '', 'GONE-' || g
      from generate_series(1, 98) g`);
    const results = await parallel(5, (i) => kit.add(guest.headers, p.variants[i]!, 1));
    expect(statuses(results)).toEqual({ 200: 2, 422: 3 });
    expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'cart_full')).toBe(true);
    expect(await kit.storedLines(guest.id)).toHaveLength(100);
  });

  it('parallel adds and quantity changes on different lines of one cart all land', async () => {
    const p = await kit.product({ stock: [50, 50] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[1]!, 1).expect(200);
    const results = await parallel(10, (i) =>
      i % 2 === 0
        ? kit.add(guest.headers, p.variants[0]!, 2)
        : app.request.patch(`/api/v1/cart/items/${p.variants[1]}`).set(guest.headers).send({ quantity: 7 }),
    );
    expect(statuses(results)).toEqual({ 200: 10 });
    expect(await kit.storedLines(guest.id)).toEqual([
      { variant_id: p.variants[1], quantity: 7 },
      { variant_id: p.variants[0], quantity: 10 },
    ]);
  });
});

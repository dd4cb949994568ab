import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { purgeExpiredCarts, scheduleCartPurge } from './cart.purge.js';
import { cartKit } from './cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

const exists = async (cartId: string) =>
  (
    await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select count(*)::int as n from carts where id = ${cartId}::uuid`,
    )
  )[0]!.n === 1;
const lastActive = async (cartId: string) =>
  (
    await queryRows<{ at: string }>(
      app.nexus.ctx.db,
      sql`select extract(epoch from now() - last_active_at)::float8 as at from carts where id = ${cartId}::uuid`,
    )
  )[0]!.at;

describe(`guest cart expiry (${TEST_DB})`, () => {
  it('hides a guest cart unused for 30 days: every endpoint answers 404 cart_not_found', async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    await kit.age(guest.id, 30);
    const read = await app.request.get('/api/v1/cart').set(guest.headers).expect(404);
    expect(read.body.code).toBe('cart_not_found');
    await kit.add(guest.headers, p.variants[0]!, 1).expect(404);
    await app.request.patch(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).send({ quantity: 2 }).expect(404);
    await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).expect(404);
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 1 }]);
  });

  it('restarts the 30 days on every use, reads included', async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.age(guest.id, 29);
    const read = await kit.getCart(guest.headers);
    expect(await lastActive(guest.id)).toBeLessThan(60);
    expect(Date.parse(read.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    for (const write of [
      () => kit.add(guest.headers, p.variants[0]!, 1),
      () => app.request.patch(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).send({ quantity: 3 }),
      () => app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers),
    ]) {
      await kit.age(guest.id, 29);
      await write().expect(200);
      expect(await lastActive(guest.id)).toBeLessThan(60);
    }
  });

  it('a refused write does not count as use', async () => {
    const guest = await kit.newGuestCart();
    await kit.age(guest.id, 10);
    await kit.add(guest.headers, '00000000-0000-7000-8000-000000000000', 1).expect(422);
    expect(await lastActive(guest.id)).toBeGreaterThan(9 * 86_400);
  });

  it("never expires a member's cart", async () => {
    const c = await registerCustomer(app);
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    const cart = await kit.getCart(auth);
    await kit.age(cart.id, 400);
    expect((await kit.getCart(auth)).id).toBe(cart.id);
  });
});

describe(`purging expired carts (${TEST_DB})`, () => {
  it('deletes expired guest carts and their lines (merged ones too), in batches, and nothing else', async () => {
    const p = await kit.product({ stock: [10] });
    const expired = [];
    for (let i = 0; i < 5; i++) {
      const g = await kit.newGuestCart();
      await kit.add(g.headers, p.variants[0]!, 1).expect(200);
      await kit.age(g.id, 31);
      expired.push(g.id);
    }
    const live = await kit.newGuestCart();
    await kit.add(live.headers, p.variants[0]!, 1).expect(200);
    await kit.age(live.id, 29);
    const c = await registerCustomer(app);
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    const merged = await kit.newGuestCart();
    await app.request
      .post('/api/v1/cart/merge')
      .set({ ...auth, ...merged.headers })
      .expect(200);
    await kit.age(merged.id, 31);
    const memberCart = await kit.getCart(auth);
    await kit.age(memberCart.id, 400);

    const purged = await purgeExpiredCarts(app.nexus.ctx.db, 2);
    expect(purged).toBeGreaterThanOrEqual(6);
    for (const id of [...expired, merged.id]) expect(await exists(id)).toBe(false);
    for (const id of expired) expect(await kit.storedLines(id)).toEqual([]);
    expect(await exists(live.id)).toBe(true);
    expect(await kit.storedLines(live.id)).toHaveLength(1);
    expect(await exists(memberCart.id)).toBe(true);
    expect(await purgeExpiredCarts(app.nexus.ctx.db)).toBe(0);
  });

  it('runs at once and then on its interval until stopped', async () => {
    const first = await kit.newGuestCart();
    await kit.age(first.id, 31);
    const stop = scheduleCartPurge(app.nexus.ctx, 25);
    try {
      await app.nexus.ctx.background.drain();
      expect(await exists(first.id)).toBe(false);
      const second = await kit.newGuestCart();
      await kit.age(second.id, 31);
      for (let i = 0; i < 100 && (await exists(second.id)); i++) await sleep(20);
      expect(await exists(second.id)).toBe(false);
    } finally {
      stop();
    }
    await app.nexus.ctx.background.drain();
    const third = await kit.newGuestCart();
    await kit.age(third.id, 31);
    await sleep(150);
    expect(await exists(third.id)).toBe(true);
  });
});

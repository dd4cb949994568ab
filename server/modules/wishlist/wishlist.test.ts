import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit, errorPaths } from '../cart/cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

type Headers = Record<string, string>;
const member = async () => {
  const c = await registerCustomer(app);
  return { id: c.user.id, auth: { Authorization: `Bearer ${c.accessToken}` } };
};
const put = (auth: Headers, productId: string) => app.request.put(`/api/v1/me/wishlist/${productId}`).set(auth);
const del = (auth: Headers, productId: string) => app.request.delete(`/api/v1/me/wishlist/${productId}`).set(auth);
const list = async (auth: Headers) => (await app.request.get('/api/v1/me/wishlist').set(auth).expect(200)).body.items;
const move = (auth: Headers, productId: string, body: unknown) =>
  app.request
    .post(`/api/v1/me/wishlist/${productId}/move-to-cart`)
    .set(auth)
    .send(body as object);
const ids = (items: { product: { id: string } }[]) => items.map((i) => i.product.id);

describe(`wishlist access (${TEST_DB})`, () => {
  it('is for members only: 401 without a Bearer token, even with a cart token', async () => {
    const p = await kit.product();
    const guest = await kit.newGuestCart();
    const calls = [
      app.request.get('/api/v1/me/wishlist'),
      app.request.put(`/api/v1/me/wishlist/${p.id}`),
      app.request.delete(`/api/v1/me/wishlist/${p.id}`),
      app.request.post(`/api/v1/me/wishlist/${p.id}/move-to-cart`).send({ variantId: p.variants[0] }),
    ];
    for (const call of calls) {
      const res = await call.set(guest.headers).expect(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });
});

describe(`PUT and DELETE /api/v1/me/wishlist/:productId (${TEST_DB})`, () => {
  it('adds idempotently: a repeat changes nothing, not even addedAt', async () => {
    const m = await member();
    const a = await kit.product({ stock: [3, 0], price: 1500, name: 'Wool Scarf' });
    const b = await kit.product({ stock: [1] });
    await put(m.auth, a.id).expect(204);
    const first = await list(m.auth);
    expect(first).toEqual([
      {
        product: {
          id: a.id,
          slug: a.slug,
          name: 'Wool Scarf',
          priceRange: { minCents: 1500, maxCents: 1501 },
          currency: 'USD',
          image: null,
          available: true,
          unavailableReason: null,
        },
        addedAt: expect.any(String),
      },
    ]);
    await put(m.auth, a.id).expect(204);
    await put(m.auth, b.id).expect(204);
    const after = await list(m.auth);
    expect(ids(after)).toEqual([b.id, a.id]);
    expect(after[1].addedAt).toBe(first[0].addedAt);
  });

  it('answers 404 for unknown and unpublished products, 422 for a malformed id, and adds nothing', async () => {
    const m = await member();
    const draft = await kit.product({ status: 'draft' });
    for (const id of [newId(), draft.id]) {
      const res = await put(m.auth, id).expect(404);
      expect(res.body.code).toBe('not_found');
    }
    const bad = await put(m.auth, 'slug-not-id').expect(422);
    expect(errorPaths(bad)).toEqual(['params.productId']);
    expect(await list(m.auth)).toEqual([]);
  });

  it('keeps archived products listed but unavailable, and marks sold-out ones', async () => {
    const m = await member();
    const archived = await kit.product({ stock: [5] });
    const soldOut = await kit.product({ stock: [0] });
    await put(m.auth, archived.id).expect(204);
    await put(m.auth, soldOut.id).expect(204);
    await app.request.delete(`/api/v1/admin/products/${archived.id}`).set(kit.staff).expect(200);
    const items = await list(m.auth);
    const byId = Object.fromEntries(items.map((i: { product: { id: string } }) => [i.product.id, i.product]));
    expect(byId[archived.id]).toMatchObject({ available: false, unavailableReason: 'not_for_sale' });
    expect(byId[soldOut.id]).toMatchObject({ available: false, unavailableReason: 'out_of_stock' });
    // An archived product may still be added (it is only hidden from browsing).
    const other = await member();
    await put(other.auth, archived.id).expect(204);
  });

  it('removes idempotently', async () => {
    const m = await member();
    const p = await kit.product();
    await put(m.auth, p.id).expect(204);
    await del(m.auth, p.id).expect(204);
    await del(m.auth, p.id).expect(204);
    await del(m.auth, newId()).expect(204);
    expect(await list(m.auth)).toEqual([]);
    const bad = await del(m.auth, '123').expect(422);
    expect(errorPaths(bad)).toEqual(['params.productId']);
  });

  it("keeps each member's wishlist to themselves", async () => {
    const a = await member();
    const b = await member();
    const p = await kit.product();
    await put(a.auth, p.id).expect(204);
    expect(await list(b.auth)).toEqual([]);
    await del(b.auth, p.id).expect(204);
    expect(ids(await list(a.auth))).toEqual([p.id]);
    await move(b.auth, p.id, { variantId: p.variants[0] }).expect(404);
    expect(ids(await list(a.auth))).toEqual([p.id]);
  });

  it('holds at most 100 products: the 101st is 422 wishlist_full, a repeat still works', async () => {
    const m = await member();
    const p = await kit.product();
    const extra = await kit.product();
    await app.nexus.ctx.db.execute(sql`
      with made as (
        insert into products (id, slug, name, status)
        select gen_random_uuid(), 'wish-filler-' || ${m.id}::text || '-' || g, 'Filler ' || g, 'active'
        from generate_series(1, 99) g returning id)
      insert into wishlist_items (user_id, product_id) select ${m.id}::uuid, id from made`);
    await put(m.auth, p.id).expect(204);
    const full = await put(m.auth, extra.id).expect(422);
    expect(full.body.code).toBe('wishlist_full');
    await put(m.auth, p.id).expect(204);
    expect(await list(m.auth)).toHaveLength(100);
  });

  it('parallel adds of one product by one member make one entry, and the limit holds under a race', async () => {
    const m = await member();
    const p = await kit.product();
    const same = await Promise.all(Array.from({ length: 8 }, () => put(m.auth, p.id)));
    expect(same.map((r) => r.status)).toEqual(Array(8).fill(204));
    expect(ids(await list(m.auth))).toEqual([p.id]);
    await app.nexus.ctx.db.execute(sql`
      with made as (
        insert into products (id, slug, name, status)
        select gen_random_uuid(), 'race-filler-' || ${m.id}::text || '-' || g, 'Filler ' || g, 'active'
        from generate_series(1, 97) g returning id)
      insert into wishlist_items (user_id, product_id) select ${m.id}::uuid, id from made`);
    const others = await Promise.all(Array.from({ length: 4 }, () => kit.product()));
    const raced = await Promise.all(others.map((o) => put(m.auth, o.id)));
    expect(raced.map((r) => r.status).sort()).toEqual([204, 204, 422, 422]);
    const [count] = await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select count(*)::int as n from wishlist_items where user_id = ${m.id}::uuid`,
    );
    expect(count!.n).toBe(100);
  });
});

describe(`POST /api/v1/me/wishlist/:productId/move-to-cart (${TEST_DB})`, () => {
  it("adds to the member's cart and takes the product off the wishlist", async () => {
    const m = await member();
    const p = await kit.product({ stock: [10, 10] });
    await put(m.auth, p.id).expect(204);
    await kit.add(m.auth, p.variants[1]!, 2).expect(200);
    const res = await move(m.auth, p.id, { variantId: p.variants[1], quantity: 3 }).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ variantId: p.variants[1], quantity: 5 })]);
    expect(await list(m.auth)).toEqual([]);
    expect((await kit.getCart(m.auth)).id).toBe(res.body.id);
  });

  it('moves one unit when no quantity is given', async () => {
    const m = await member();
    const p = await kit.product({ stock: [10] });
    await put(m.auth, p.id).expect(204);
    const res = await move(m.auth, p.id, { variantId: p.variants[0] }).expect(200);
    expect(res.body.items[0].quantity).toBe(1);
  });

  it('leaves the wishlist and the cart unchanged when the cart refuses', async () => {
    const m = await member();
    const soldOut = await kit.product({ stock: [0] });
    const archived = await kit.product({ stock: [5] });
    const other = await kit.product({ stock: [5] });
    for (const p of [soldOut, archived]) await put(m.auth, p.id).expect(204);
    await app.request.delete(`/api/v1/admin/products/${archived.id}`).set(kit.staff).expect(200);
    const out = await move(m.auth, soldOut.id, { variantId: soldOut.variants[0] }).expect(409);
    expect(out.body.code).toBe('out_of_stock');
    const gone = await move(m.auth, archived.id, { variantId: archived.variants[0] }).expect(422);
    expect(gone.body.code).toBe('variant_unavailable');
    const wrong = await move(m.auth, soldOut.id, { variantId: other.variants[0] }).expect(422);
    expect(wrong.body.code).toBe('validation_failed');
    expect(errorPaths(wrong)).toEqual(['body.variantId']);
    const unknown = await move(m.auth, soldOut.id, { variantId: newId() }).expect(422);
    expect(unknown.body.code).toBe('variant_unavailable');
    expect(ids(await list(m.auth)).sort()).toEqual([soldOut.id, archived.id].sort());
    expect((await kit.getCart(m.auth)).items).toEqual([]);
  });

  it('refuses bad input with 422, and a product not in the wishlist with 404', async () => {
    const m = await member();
    const p = await kit.product({ stock: [5] });
    await put(m.auth, p.id).expect(204);
    const bad = async (body: unknown, path: string) => {
      const res = await move(m.auth, p.id, body).expect(422);
      expect(errorPaths(res)).toContain(path);
    };
    await bad({}, 'body.variantId');
    await bad({ variantId: 'x' }, 'body.variantId');
    await bad({ variantId: p.variants[0], quantity: 0 }, 'body.quantity');
    await bad({ variantId: p.variants[0], quantity: -2 }, 'body.quantity');
    await bad({ variantId: p.variants[0], quantity: 2.5 }, 'body.quantity');
    await bad({ variantId: p.variants[0], quantity: 100 }, 'body.quantity');
    await bad({ variantId: p.variants[0], extra: 1 }, 'body.extra');
    const notListed = await kit.product({ stock: [5] });
    const res = await move(m.auth, notListed.id, { variantId: notListed.variants[0] }).expect(404);
    expect(res.body.detail).toBe('This product is not in your wishlist');
    expect(ids(await list(m.auth))).toEqual([p.id]);
    expect((await kit.getCart(m.auth)).items).toEqual([]);
  });

  it('moves once when two tabs move the same product at the same time', async () => {
    const m = await member();
    const p = await kit.product({ stock: [10] });
    await put(m.auth, p.id).expect(204);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => move(m.auth, p.id, { variantId: p.variants[0] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404, 404]);
    expect((await kit.getCart(m.auth)).items[0]!.quantity).toBe(1);
  });
});

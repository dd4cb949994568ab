import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from './cart.testkit.js';

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
  return { Authorization: `Bearer ${c.accessToken}` };
};
const merge = (headers: Headers) => app.request.post('/api/v1/cart/merge').set(headers);
const quantities = (cart: { items: { variantId: string; quantity: number }[] }) =>
  Object.fromEntries(cart.items.map((i) => [i.variantId, i.quantity]));

describe(`POST /api/v1/cart/merge (${TEST_DB})`, () => {
  it("sums the guest's lines into the member's cart and consumes the guest cart", async () => {
    const p = await kit.product({ stock: [20, 20, 20] });
    const [a, b, c] = p.variants as [string, string, string];
    const auth = await member();
    await kit.add(auth, a, 2).expect(200);
    await kit.add(auth, c, 1).expect(200);
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, a, 3).expect(200);
    await kit.add(guest.headers, b, 4).expect(200);
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(quantities(res.body)).toEqual({ [a]: 5, [b]: 4, [c]: 1 });
    expect(res.body.warnings).toEqual([]);
    expect(res.body.expiresAt).toBeNull();
    expect(await kit.getCart(auth)).toMatchObject({ id: res.body.id, itemCount: 10 });
    // The guest token is spent: its cart is gone for reading and writing.
    const gone = await app.request.get('/api/v1/cart').set(guest.headers).expect(404);
    expect(gone.body.code).toBe('cart_not_found');
    await kit.add(guest.headers, a, 1).expect(404);
    expect(await kit.storedLines(guest.id)).toEqual([]);
  });

  it('caps a merged line at what is in stock, and says so', async () => {
    const p = await kit.product({ stock: [6], name: 'Scarce Mug' });
    const v = p.variants[0]!;
    const auth = await member();
    await kit.add(auth, v, 4).expect(200);
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, v, 5).expect(200);
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(quantities(res.body)).toEqual({ [v]: 6 });
    expect(res.body.warnings).toEqual([
      {
        code: 'quantity_capped',
        message: 'Only 6 of Scarce Mug (S0) are in stock: the cart holds 6 instead of 9',
        variantId: v,
        requestedQuantity: 9,
        grantedQuantity: 6,
        availableQuantity: 6,
      },
    ]);
  });

  it('caps a merged line at 99, and says so', async () => {
    const p = await kit.product({ stock: [500] });
    const v = p.variants[0]!;
    const auth = await member();
    await kit.add(auth, v, 60).expect(200);
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, v, 50).expect(200);
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(quantities(res.body)).toEqual({ [v]: 99 });
    expect(res.body.warnings).toMatchObject([
      {
        code: 'quantity_capped',
        requestedQuantity: 110,
        grantedQuantity: 99,
        message: expect.stringContaining('at most 99'),
      },
    ]);
  });

  it("leaves out guest lines that cannot be bought, and never lowers the member's own lines", async () => {
    const p = await kit.product({ stock: [10, 10, 10] });
    const archived = await kit.product({ stock: [10] });
    const [low, out, kept] = p.variants as [string, string, string];
    const auth = await member();
    await kit.add(auth, kept, 8).expect(200);
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, low, 1).expect(200);
    await kit.add(guest.headers, out, 2).expect(200);
    await kit.add(guest.headers, kept, 1).expect(200);
    await kit.add(guest.headers, archived.variants[0]!, 1).expect(200);
    await kit.setStock(out, 0);
    await kit.setStock(kept, 3);
    await app.request.delete(`/api/v1/admin/products/${archived.id}`).set(kit.staff).expect(200);
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(quantities(res.body)).toEqual({ [kept]: 8, [low]: 1 });
    const capped = res.body.warnings.filter((w: { code: string }) => w.code === 'quantity_capped');
    expect(capped).toEqual([
      expect.objectContaining({
        variantId: out,
        requestedQuantity: 2,
        grantedQuantity: 0,
        message: expect.stringContaining('out of stock'),
      }),
      expect.objectContaining({ variantId: kept, requestedQuantity: 9, grantedQuantity: 8 }),
      expect.objectContaining({
        variantId: archived.variants[0],
        grantedQuantity: 0,
        message: expect.stringContaining('not for sale'),
      }),
    ]);
    // The member's over-stock line is still flagged by the ordinary read warnings.
    expect(res.body.warnings).toContainEqual(expect.objectContaining({ code: 'insufficient_stock', variantId: kept }));
  });

  it('respects the 100-line limit, oldest guest lines first', async () => {
    const p = await kit.product({ stock: [5, 5, 5] });
    const [first, second, third] = p.variants as [string, string, string];
    const auth = await member();
    const memberCart = await kit.getCart(auth);
    await app.nexus.ctx.db.execute(sql`
      insert into cart_items (cart_id, variant_id, quantity, product_id, product_name, variant_title, sku)
      select ${memberCart.id}::uuid, gen_random_uuid(), 1, ${p.id}::uuid, 'Gone', '', 'GONE-' || g
      from generate_series(1, 98) g`);
    const guest = await kit.newGuestCart();
    for (const v of [first, second, third]) await kit.add(guest.headers, v, 1).expect(200);
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(res.body.items).toHaveLength(100);
    const byId = quantities(res.body);
    expect([byId[first], byId[second], byId[third]]).toEqual([1, 1, undefined]);
    expect(res.body.warnings.filter((w: { code: string }) => w.code === 'cart_full')).toEqual([
      expect.objectContaining({ variantId: third, grantedQuantity: 0, message: expect.stringContaining('100 lines') }),
    ]);
  });

  it('a replay by the same member adds nothing twice; anyone else gets 404', async () => {
    const p = await kit.product({ stock: [20] });
    const v = p.variants[0]!;
    const auth = await member();
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, v, 3).expect(200);
    const first = await merge({ ...auth, ...guest.headers }).expect(200);
    const replay = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(quantities(replay.body)).toEqual({ [v]: 3 });
    const stranger = await member();
    const other = await merge({ ...stranger, ...guest.headers }).expect(404);
    expect(other.body.code).toBe('cart_not_found');
    expect((await kit.getCart(stranger)).items).toEqual([]);
    expect(quantities(await kit.getCart(auth))).toEqual({ [v]: 3 });
  });

  it('parallel merges of one guest cart by the same member add it once', async () => {
    const p = await kit.product({ stock: [50] });
    const v = p.variants[0]!;
    const auth = await member();
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, v, 4).expect(200);
    const results = await Promise.all(Array.from({ length: 6 }, () => merge({ ...auth, ...guest.headers })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(quantities(await kit.getCart(auth))).toEqual({ [v]: 4 });
  });

  it('merges an empty guest cart into nothing much', async () => {
    const auth = await member();
    const guest = await kit.newGuestCart();
    const res = await merge({ ...auth, ...guest.headers }).expect(200);
    expect(res.body).toMatchObject({ items: [], warnings: [] });
    await app.request.get('/api/v1/cart').set(guest.headers).expect(404);
  });

  it('needs both credentials: 400 merge_credentials_required naming what is missing', async () => {
    const auth = await member();
    const guest = await kit.newGuestCart();
    const noToken = await merge(auth).expect(400);
    expect(noToken.body).toMatchObject({ code: 'merge_credentials_required', detail: 'Merging needs X-Cart-Token' });
    const noBearer = await merge(guest.headers).expect(400);
    expect(noBearer.body).toMatchObject({ code: 'merge_credentials_required', detail: 'Merging needs a Bearer token' });
    const neither = await merge({}).expect(400);
    expect(neither.body.detail).toBe('Merging needs a Bearer token and X-Cart-Token');
    // Nothing was consumed.
    await app.request.get('/api/v1/cart').set(guest.headers).expect(200);
  });

  it('answers 404 for an unknown, malformed or expired token, changing nothing', async () => {
    const p = await kit.product({ stock: [5] });
    const auth = await member();
    for (const token of [`cart_${'B'.repeat(43)}`, 'junk']) {
      const res = await merge({ ...auth, 'X-Cart-Token': token }).expect(404);
      expect(res.body.code).toBe('cart_not_found');
    }
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    await kit.age(guest.id, 31);
    await merge({ ...auth, ...guest.headers }).expect(404);
    expect((await kit.getCart(auth)).items).toEqual([]);
    expect(await kit.storedLines(guest.id)).toHaveLength(1);
  });
});

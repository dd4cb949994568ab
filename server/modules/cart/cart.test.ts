import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit, errorPaths } from './cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

const member = async () => {
  const c = await registerCustomer(app);
  return { id: c.user.id, email: c.user.email, auth: { Authorization: `Bearer ${c.accessToken}` } };
};

describe(`POST /api/v1/cart (${TEST_DB})`, () => {
  it('starts an empty guest cart and hands out its token once, in the body and the X-Cart-Token header', async () => {
    const res = await app.request.post('/api/v1/cart').expect(201);
    const { cart, token } = res.body;
    expect(token).toMatch(/^cart_[A-Za-z0-9_-]{43}$/);
    expect(res.headers['x-cart-token']).toBe(token);
    expect(cart).toMatchObject({ items: [], itemCount: 0, subtotalCents: 0, currency: 'USD', checkoutReady: false });
    expect(cart.warnings).toEqual([]);
    const expires = Date.parse(cart.expiresAt) - Date.parse(cart.updatedAt);
    expect(Math.round(expires / 86_400_000)).toBe(30);
    // Only the SHA-256 of the token is stored.
    const [row] = await queryRows<{ token_hash: string; user_id: string | null }>(
      app.nexus.ctx.db,
      sql`select token_hash, user_id from carts where id = ${cart.id}::uuid`,
    );
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.token_hash).not.toContain(token);
    expect(row!.user_id).toBeNull();
    const again = await app.request.get('/api/v1/cart').set('X-Cart-Token', token).expect(200);
    expect(again.body.id).toBe(cart.id);
  });

  it('gives every guest a different cart and token', async () => {
    const a = await kit.newGuestCart();
    const b = await kit.newGuestCart();
    expect(a.token).not.toBe(b.token);
    expect(a.id).not.toBe(b.id);
  });
});

describe(`GET /api/v1/cart (${TEST_DB})`, () => {
  it('answers 404 cart_not_found for an unknown or malformed token, and 400 without any credentials', async () => {
    const unknown = await app.request
      .get('/api/v1/cart')
      .set('X-Cart-Token', `cart_${'A'.repeat(43)}`)
      .expect(404);
    expect(unknown.body.code).toBe('cart_not_found');
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const junk of ['nope', 'cart_short', `cart_${'A'.repeat(44)}`, `${'x'.repeat(5000)}`]) {
      const res = await app.request.get('/api/v1/cart').set('X-Cart-Token', junk).expect(404);
      expect(res.body.code).toBe('cart_not_found');
    }
    const none = await app.request.get('/api/v1/cart').expect(400);
    expect(none.body.code).toBe('cart_token_required');
    expect(none.body.detail).toContain('X-Cart-Token');
    const empty = await app.request.get('/api/v1/cart').set('X-Cart-Token', '').expect(400);
    expect(empty.body.code).toBe('cart_token_required');
  });

  it('gives a member one persistent cart, created on first use and the same on every device', async () => {
    const m = await member();
    const first = await kit.getCart(m.auth);
    expect(first).toMatchObject({ items: [], expiresAt: null });
    const p = await kit.product({ stock: [5] });
    await kit.add(m.auth, p.variants[0]!, 2).expect(200);
    // A second device signs in with its own access token: same cart.
    const login = await app.request
      .post('/api/v1/auth/login')
      .send({ email: m.email, password: 'correct horse battery' })
      .expect(200);
    const other = await kit.getCart({ Authorization: `Bearer ${login.body.accessToken}` });
    expect(other.id).toBe(first.id);
    expect(other.items.map((i: { quantity: number }) => i.quantity)).toEqual([2]);
  });

  it("never shows one member another member's cart", async () => {
    const a = await member();
    const b = await member();
    const p = await kit.product({ stock: [5] });
    await kit.add(a.auth, p.variants[0]!, 1).expect(200);
    const bCart = await kit.getCart(b.auth);
    expect(bCart.items).toEqual([]);
    expect(bCart.id).not.toBe((await kit.getCart(a.auth)).id);
  });

  it('refuses a bad Bearer token even when a valid cart token is sent', async () => {
    const guest = await kit.newGuestCart();
    const res = await app.request
      .get('/api/v1/cart')
      .set({ ...guest.headers, Authorization: 'Bearer not-a-jwt' })
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });
});

describe(`POST /api/v1/cart/items (${TEST_DB})`, () => {
  it('adds a line priced from the catalog and sums a second add into it', async () => {
    const p = await kit.product({ stock: [10, 10], price: 1250, name: 'Linen Apron' });
    const guest = await kit.newGuestCart();
    const first = await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({
      variantId: p.variants[0],
      productId: p.id,
      productSlug: p.slug,
      name: 'Linen Apron',
      variantTitle: 'S0',
      options: { Size: 'S0' },
      quantity: 2,
      unitPriceCents: 1250,
      lineTotalCents: 2500,
      available: true,
      availableQuantity: 10,
      warnings: [],
    });
    const second = await kit.add(guest.headers, p.variants[0]!, 3).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]).toMatchObject({ quantity: 5, lineTotalCents: 6250 });
    const third = await kit.add(guest.headers, p.variants[1]!, 1).expect(200);
    expect(third.body).toMatchObject({ itemCount: 6, subtotalCents: 6250 + 1251, checkoutReady: true });
    expect(third.body.items.map((i: { variantId: string }) => i.variantId)).toEqual(p.variants);
  });

  it('always prices from the catalog at read time, and ignores no price the client could send', async () => {
    const p = await kit.product({ stock: [4], price: 900 });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    const cheat = await app.request
      .post('/api/v1/cart/items')
      .set(guest.headers)
      .send({ variantId: p.variants[0], quantity: 1, unitPriceCents: 1 })
      .expect(422);
    expect(errorPaths(cheat)).toContain('body.unitPriceCents');
    await kit.patchProduct(p.id, {
      variants: [{ id: p.variants[0], sku: `REPRICED-${newId()}`, optionValues: { Size: 'S0' }, priceCents: 1500 }],
    });
    const cart = await kit.getCart(guest.headers);
    expect(cart.items[0]).toMatchObject({ quantity: 2, unitPriceCents: 1500, lineTotalCents: 3000 });
    expect(cart.items[0]!.sku).toMatch(/^REPRICED-/);
    expect(cart.subtotalCents).toBe(3000);
  });

  it('refuses bad quantities and bodies with 422 (or 400/415) and changes nothing', async () => {
    const p = await kit.product({ stock: [50] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    const bad = async (body: unknown, path: string) => {
      const res = await app.request
        .post('/api/v1/cart/items')
        .set(guest.headers)
        .send(body as object)
        .expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res)).toContain(path);
    };
    const v = p.variants[0];
    await bad({ variantId: v, quantity: 0 }, 'body.quantity');
    await bad({ variantId: v, quantity: -1 }, 'body.quantity');
    await bad({ variantId: v, quantity: 1.5 }, 'body.quantity');
    await bad({ variantId: v, quantity: 100 }, 'body.quantity');
    await bad({ variantId: v, quantity: '2' }, 'body.quantity');
    await bad({ variantId: v, quantity: null }, 'body.quantity');
    await bad({ variantId: v }, 'body.quantity');
    await bad({ quantity: 1 }, 'body.variantId');
    await bad({ variantId: 'not-a-uuid', quantity: 1 }, 'body.variantId');
    await bad({ variantId: v, quantity: 1, extra: true }, 'body.extra');
    await bad([{ variantId: v, quantity: 1 }], 'body');
    const malformed = await app.request
      .post('/api/v1/cart/items')
      .set(guest.headers)
      .set('Content-Type', 'application/json')
      .send('{"variantId": ')
      .expect(400);
    expect(malformed.body.code).toBe('invalid_json');
    const text = await app.request
      .post('/api/v1/cart/items')
      .set(guest.headers)
      .set('Content-Type', 'text/plain')
      .send('variantId=x')
      .expect(415);
    expect(text.body.code).toBe('unsupported_media_type');
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: v, quantity: 1 }]);
  });

  it('refuses unknown, draft and archived variants with 422 variant_unavailable and changes nothing', async () => {
    const guest = await kit.newGuestCart();
    const draft = await kit.product({ stock: [5], status: 'draft' });
    const archived = await kit.product({ stock: [5], status: 'archived' });
    for (const variantId of [newId(), draft.variants[0]!, archived.variants[0]!]) {
      const res = await kit.add(guest.headers, variantId, 1).expect(422);
      expect(res.body.code).toBe('variant_unavailable');
      expect(errorPaths(res)).toEqual(['body.variantId']);
    }
    // A draft answers exactly like an unknown id: nothing reveals that it exists.
    const unknown = await kit.add(guest.headers, newId(), 1);
    const draftRes = await kit.add(guest.headers, draft.variants[0]!, 1);
    expect(draftRes.body.detail).toBe(unknown.body.detail);
    expect(await kit.storedLines(guest.id)).toEqual([]);
  });

  it('refuses a variant priced in another currency with 422 currency_mismatch', async () => {
    const eur = await kit.product({ stock: [5], currency: 'EUR' });
    const guest = await kit.newGuestCart();
    const res = await kit.add(guest.headers, eur.variants[0]!, 1).expect(422);
    expect(res.body.code).toBe('currency_mismatch');
    expect(await kit.storedLines(guest.id)).toEqual([]);
  });

  it('refuses more than is in stock with 409 out_of_stock naming what is available, and changes nothing', async () => {
    const p = await kit.product({ stock: [3, 0] });
    const guest = await kit.newGuestCart();
    const tooMany = await kit.add(guest.headers, p.variants[0]!, 4).expect(409);
    expect(tooMany.body.code).toBe('out_of_stock');
    expect(tooMany.body.detail).toContain('Only 3');
    expect(tooMany.body.errors).toEqual([{ path: 'body.quantity', message: 'at most 3 more can be added' }]);
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    const sum = await kit.add(guest.headers, p.variants[0]!, 2).expect(409);
    expect(sum.body.detail).toContain('already holds 2');
    expect(sum.body.errors[0].message).toBe('at most 1 more can be added');
    // The same numbers for a program: the line would hold 4 of the 3 there are.
    expect(sum.body.shortages).toEqual([
      { variantId: p.variants[0], sku: expect.any(String), requested: 4, available: 3 },
    ]);
    const none = await kit.add(guest.headers, p.variants[1]!, 1).expect(409);
    expect(none.body.code).toBe('out_of_stock');
    expect(none.body.shortages).toEqual([
      { variantId: p.variants[1], sku: expect.any(String), requested: 1, available: 0 },
    ]);
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 2 }]);
  });

  it('counts reserved stock as gone', async () => {
    const p = await kit.product({ stock: [5] });
    await app.nexus.ctx.db.execute(sql`update stock_levels set reserved = 4 where variant_id = ${p.variants[0]}::uuid`);
    const guest = await kit.newGuestCart();
    const res = await kit.add(guest.headers, p.variants[0]!, 2).expect(409);
    expect(res.body.detail).toContain('Only 1');
    const ok = await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    expect(ok.body.items[0].availableQuantity).toBe(1);
  });

  it('refuses a line past 99 with 422 quantity_limit_exceeded, keeping the line as it was', async () => {
    const p = await kit.product({ stock: [500] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 60).expect(200);
    const res = await kit.add(guest.headers, p.variants[0]!, 40).expect(422);
    expect(res.body.code).toBe('quantity_limit_exceeded');
    expect(res.body.errors).toEqual([{ path: 'body.quantity', message: 'at most 39 more can be added' }]);
    await kit.add(guest.headers, p.variants[0]!, 39).expect(200);
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 99 }]);
  });

  it('holds at most 100 lines: the 101st is 422 cart_full, while existing lines still grow', async () => {
    const p = await kit.product({ stock: [5, 5] });
    const guest = await kit.newGuestCart();
    // 99 stored lines of variants that no longer exist, plus one real line: 100 lines.
    await app.nexus.ctx.db.execute(sql`
      insert into cart_items (cart_id, variant_id, quantity, product_id, product_name, variant_title, sku)
      select ${guest.id}::uuid, gen_random_uuid(), 1, ${p.id}::uuid, 'Gone', '', 'GONE-' || g
      from generate_series(1, 99) g`);
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    const full = await kit.add(guest.headers, p.variants[1]!, 1).expect(422);
    expect(full.body.code).toBe('cart_full');
    expect(full.body.detail).toContain('100');
    const grown = await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    expect(grown.body.items).toHaveLength(100);
    expect((await kit.storedLines(guest.id)).length).toBe(100);
  });

  it("uses the member's cart when a Bearer token comes with someone else's guest token", async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    const m = await member();
    const both = { ...guest.headers, ...m.auth };
    const res = await kit.add(both, p.variants[0]!, 4).expect(200);
    expect(res.body.id).not.toBe(guest.id);
    await app.request.patch(`/api/v1/cart/items/${p.variants[0]}`).set(both).send({ quantity: 7 }).expect(200);
    await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(both).expect(200);
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 1 }]);
    expect((await kit.getCart(guest.headers)).items[0]!.quantity).toBe(1);
  });
});

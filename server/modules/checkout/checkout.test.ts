import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql.js';
import { createTestApp, registerCustomer, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { expireOrders } from '../orders/expiry.js';
import { address, checkoutKit, newKey } from './checkout.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
beforeAll(async () => {
  app = await createTestApp({ env: { TAX_RATES: '{"default":0,"DE":1900}' } });
  kit = await checkoutKit(app);
});
afterAll(() => app.close());

const guestBody = (extra: Record<string, unknown> = {}) => ({
  email: 'Guest@Example.com',
  shippingAddress: address(),
  ...extra,
});

describe(`checkout (${TEST_DB})`, () => {
  it('member: their cart becomes a pending order, stock reserved, cart emptied, payment created after commit', async () => {
    const p = await kit.product({ stock: [5, 5], price: 1000 });
    const c = await registerCustomer(app);
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    await kit.add(auth, p.variants[0]!, 2).expect(200);
    await kit.add(auth, p.variants[1]!, 1).expect(200);
    const res = await kit.checkout(auth, { shippingAddress: address('US') }).expect(201);
    const { order, payment } = res.body;
    expect(order).toMatchObject({
      status: 'pending_payment',
      email: c.user.email,
      subtotalCents: 3001,
      shippingCents: 499,
      taxCents: 0,
      totalCents: 3500,
      currency: 'USD',
      payment: { provider: 'test', status: 'pending' },
      fulfillment: null,
    });
    expect(order.number).toMatch(/^NX-\d{6,}$/);
    expect(order.accessToken).toBeUndefined();
    expect(order.items).toHaveLength(2);
    expect(order.items[0]).toMatchObject({
      variantId: p.variants[0],
      quantity: 2,
      unitPriceCents: 1000,
      lineTotalCents: 2000,
    });
    const ttl = Date.parse(order.expiresAt) - Date.parse(order.createdAt);
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThan(31 * 60_000);
    expect(payment).toEqual({ provider: 'test', clientSecret: `secret_${order.id}` });
    expect(kit.provider.calls.at(-1)).toEqual({
      orderId: order.id,
      orderNumber: order.number,
      amountCents: 3500,
      currency: 'USD',
      email: c.user.email,
      idempotencyKey: `order:${order.id}`,
    });
    expect((await kit.orderRow(order.id)).payment_intent_id).toBe(`pay_${order.id}`);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 2 });
    expect(await kit.level(p.variants[1]!)).toEqual({ on_hand: 5, reserved: 1 });
    const ledger = await kit.ledger(p.variants[0]!);
    expect(ledger).toMatchObject({ on_hand: 5, reserved: 2 });
    expect(ledger.kinds).toEqual(['received', 'reservation']);
    expect((await kit.getCart(auth)).items).toEqual([]);
    expect(await kit.events(order.id)).toEqual(['created']);

    const list = await app.request.get('/api/v1/me/orders').set(auth).expect(200);
    expect(list.body).toMatchObject({ page: 1, limit: 24, total: 1 });
    expect(list.body.items[0].id).toBe(order.id);
    const read = await app.request.get(`/api/v1/orders/${order.id}`).set(auth).expect(200);
    expect(read.body.number).toBe(order.number);
    expect(read.body.accessToken).toBeUndefined();
  });

  it('member: an e-mail in the body wins over the account one', async () => {
    const p = await kit.product({ stock: [5] });
    const c = await registerCustomer(app);
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    await kit.add(auth, p.variants[0]!, 1).expect(200);
    const res = await kit.checkout(auth, { email: 'Other@Example.com', shippingAddress: address() }).expect(201);
    expect(res.body.order.email).toBe('other@example.com');
  });

  it('guest: needs an e-mail; gets an access token that opens the order, and nothing else does', async () => {
    const p = await kit.product({ stock: [5], price: 2000 });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const noEmail = await kit.checkout(guest.headers, { shippingAddress: address() }).expect(422);
    expect(noEmail.body.errors).toEqual([{ path: 'body.email', message: 'is required for a guest checkout' }]);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 0 });

    const res = await kit.checkout(guest.headers, guestBody()).expect(201);
    const { order } = res.body;
    expect(order.email).toBe('guest@example.com');
    expect(order.accessToken).toMatch(/^ord_[A-Za-z0-9_-]{43}$/);
    const stored = await queryRows<{ access_token_hash: string }>(
      app.nexus.ctx.db,
      sql`select access_token_hash from orders where id = ${order.id}::uuid`,
    );
    expect(stored[0]!.access_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(order.accessToken);

    const read = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(read.body.id).toBe(order.id);
    expect(read.body.accessToken).toBeUndefined();
    await app.request.get(`/api/v1/orders/${order.id}`).expect(404);
    await app.request.get(`/api/v1/orders/${order.id}`).query({ token: 'ord_wrong' }).expect(404);
    const other = await registerCustomer(app);
    await app.request
      .get(`/api/v1/orders/${order.id}`)
      .set({ Authorization: `Bearer ${other.accessToken}` })
      .expect(404);
    const staff = await userWithRole(app, 'staff');
    await app.request.get(`/api/v1/orders/${order.id}`).set(staff.auth).expect(200);
    const otherOrderToken = await app.request.get(`/api/v1/orders/00000000-0000-7000-8000-000000000000`).query({
      token: order.accessToken,
    });
    expect(otherOrderToken.status).toBe(404);
    await app.request.get('/api/v1/orders/not-a-uuid').expect(422);
    await app.request.get('/api/v1/me/orders').expect(401);
  });

  it('computes shipping and tax per destination: free from the threshold, DE taxed on subtotal + shipping', async () => {
    const p = await kit.product({ stock: [20], price: 1000 });
    const de = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const res = await kit.checkout(de.headers, guestBody({ shippingAddress: address('de') })).expect(201);
    expect(res.body.order).toMatchObject({
      subtotalCents: 1000,
      shippingCents: 599,
      taxCents: 304,
      totalCents: 1903,
      shippingAddress: { country: 'DE' },
    });
    const big = await kit.guestCartWith([[p.variants[0]!, 5]]);
    const free = await kit.checkout(big.headers, guestBody()).expect(201);
    expect(free.body.order).toMatchObject({ subtotalCents: 5000, shippingCents: 0, totalCents: 5000 });
  });

  it('ignores prices and totals sent by the client', async () => {
    const p = await kit.product({ stock: [5], price: 1500 });
    const guest = await kit.guestCartWith([[p.variants[0]!, 2]]);
    const res = await kit
      .checkout(
        guest.headers,
        guestBody({
          subtotalCents: 1,
          shippingCents: 0,
          taxCents: 0,
          totalCents: 1,
          currency: 'JPY',
          items: [{ variantId: p.variants[0], quantity: 1, unitPriceCents: 1 }],
        }),
      )
      .expect(201);
    expect(res.body.order).toMatchObject({
      subtotalCents: 3000,
      shippingCents: 499,
      totalCents: 3499,
      currency: 'USD',
    });
    expect(res.body.order.items).toEqual([expect.objectContaining({ quantity: 2, unitPriceCents: 1500 })]);
    expect(kit.provider.calls.at(-1)!.amountCents).toBe(3499);
  });

  it('an empty cart is 422 cart_empty, and the key stays free for a real checkout', async () => {
    const guest = await kit.newGuestCart();
    const key = newKey();
    const before = await kit.orderCount();
    const res = await kit.checkout(guest.headers, guestBody(), key).expect(422);
    expect(res.body.code).toBe('cart_empty');
    expect(await kit.orderCount()).toBe(before);
    const p = await kit.product({ stock: [3] });
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    await kit.checkout(guest.headers, guestBody(), key).expect(201);
  });

  it('a cart whose only lines cannot be bought is cart_empty; one with some is 409 cart_changed naming them', async () => {
    const gone = await kit.product({ stock: [3] });
    const ok = await kit.product({ stock: [3] });
    const only = await kit.guestCartWith([[gone.variants[0]!, 1]]);
    const mixed = await kit.guestCartWith([
      [gone.variants[0]!, 1],
      [ok.variants[0]!, 1],
    ]);
    await kit.patchProduct(gone.id, { status: 'archived' });
    expect((await kit.checkout(only.headers, guestBody()).expect(422)).body.code).toBe('cart_empty');
    const res = await kit.checkout(mixed.headers, guestBody()).expect(409);
    expect(res.body.code).toBe('cart_changed');
    expect(res.body.errors).toEqual([
      { path: `cart.items.${gone.variants[0]}`, message: expect.stringContaining('CART-') },
    ]);
    expect(await kit.level(ok.variants[0]!)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await kit.getCart(mixed.headers)).items).toHaveLength(2);
  });

  it('a short line is 409 out_of_stock naming every short variant, and nothing is reserved or ordered', async () => {
    const p = await kit.product({ stock: [4, 4, 4] });
    const guest = await kit.guestCartWith([
      [p.variants[0]!, 3],
      [p.variants[1]!, 2],
      [p.variants[2]!, 3],
    ]);
    // Stock drops after the lines were added (another shop sold them).
    await kit.setStock(p.variants[0]!, 1);
    await kit.setStock(p.variants[2]!, 2);
    const before = await kit.orderCount();
    const res = await kit.checkout(guest.headers, guestBody());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('out_of_stock');
    const sku = (i: number) => `CART-${/CART-(\d+)-/.exec(res.body.errors[0].message)![1]}-${i}`;
    expect(res.body.errors).toEqual([
      { path: `cart.items.${p.variants[0]}`, message: `${sku(0)}: requested 3, 1 available` },
      { path: `cart.items.${p.variants[2]}`, message: `${sku(2)}: requested 3, 2 available` },
    ]);
    expect(res.body.shortages).toEqual([
      { variantId: p.variants[0], sku: sku(0), requested: 3, available: 1 },
      { variantId: p.variants[2], sku: sku(2), requested: 3, available: 2 },
    ]);
    expect(await kit.orderCount()).toBe(before);
    for (const v of p.variants) expect((await kit.level(v)).reserved).toBe(0);
    expect((await kit.ledger(p.variants[1]!)).kinds).toEqual(['received']);
    expect((await kit.getCart(guest.headers)).items).toHaveLength(3);
  });

  it('a sold-out line is out_of_stock (not cart_empty): the shopper learns it is gone', async () => {
    const p = await kit.product({ stock: [2] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    await kit.setStock(p.variants[0]!, 0);
    const res = await kit.checkout(guest.headers, guestBody()).expect(409);
    expect(res.body.code).toBe('out_of_stock');
    expect(res.body.errors).toEqual([
      { path: `cart.items.${p.variants[0]}`, message: expect.stringMatching(/: requested 1, 0 available$/) },
    ]);
  });

  it('sums lines of the same variant into one reservation', async () => {
    // The cart keeps one line per variant; an order row per line still reserves once per variant.
    const p = await kit.product({ stock: [6] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 4]]);
    await kit.checkout(guest.headers, guestBody()).expect(201);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 6, reserved: 4 });
    expect((await kit.ledger(p.variants[0]!)).kinds).toEqual(['received', 'reservation']);
  });
});

describe(`checkout idempotency (${TEST_DB})`, () => {
  it('the same key and body answer the same response without a second order or payment', async () => {
    const p = await kit.product({ stock: [5] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const key = newKey();
    const first = await kit.checkout(guest.headers, guestBody(), key).expect(201);
    const calls = kit.provider.calls.length;
    const orders = await kit.orderCount();
    // Same body with keys in another order: the same request.
    const again = await kit
      .checkout(guest.headers, { shippingAddress: address(), email: 'Guest@Example.com' }, key)
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.body.order.accessToken).toBe(first.body.order.accessToken);
    expect(kit.provider.calls.length).toBe(calls);
    expect(await kit.orderCount()).toBe(orders);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 1 });
  });

  it('the same key with another body is 422 idempotency_key_reused and changes nothing', async () => {
    const p = await kit.product({ stock: [5] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const key = newKey();
    await kit.checkout(guest.headers, guestBody(), key).expect(201);
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    const orders = await kit.orderCount();
    const res = await kit.checkout(guest.headers, guestBody({ email: 'someone@example.com' }), key).expect(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(await kit.orderCount()).toBe(orders);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 1 });
  });

  it('keys are per caller: two carts may use the same key', async () => {
    const p = await kit.product({ stock: [5] });
    const a = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const b = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const key = newKey();
    const ra = await kit.checkout(a.headers, guestBody(), key).expect(201);
    const rb = await kit.checkout(b.headers, guestBody(), key).expect(201);
    expect(ra.body.order.id).not.toBe(rb.body.order.id);
  });

  it('concurrent requests with one key make one order; the others replay it or are told it is in flight', async () => {
    const p = await kit.product({ stock: [5] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const key = newKey();
    const orders = await kit.orderCount();
    const results = await Promise.all(Array.from({ length: 6 }, () => kit.checkout(guest.headers, guestBody(), key)));
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('idempotency_key_in_flight');
    }
    expect(new Set(ok.map((r) => r.body.order.id)).size).toBe(1);
    expect(await kit.orderCount()).toBe(orders + 1);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 1 });
  });

  it('a provider failure answers 502 with the order pending; a retry with the key pays that order', async () => {
    const p = await kit.product({ stock: [5] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 2]]);
    const key = newKey();
    kit.provider.failNext = 1;
    const orders = await kit.orderCount();
    const failed = await kit.checkout(guest.headers, guestBody(), key).expect(502);
    expect(failed.body.code).toBe('payment_provider_unavailable');
    expect(await kit.orderCount()).toBe(orders + 1);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 2 });
    const failedCall = kit.provider.calls.at(-1)!;
    const retry = await kit.checkout(guest.headers, guestBody(), key).expect(201);
    expect(retry.body.order.id).toBe(failedCall.orderId);
    expect(kit.provider.calls.at(-1)!.idempotencyKey).toBe(failedCall.idempotencyKey);
    expect(await kit.orderCount()).toBe(orders + 1);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 2 });
  });

  it('a retry after the unpaid order expired is 409 order_not_payable, without a new order', async () => {
    const p = await kit.product({ stock: [5] });
    const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
    const key = newKey();
    kit.provider.failNext = 1;
    await kit.checkout(guest.headers, guestBody(), key).expect(502);
    const orderId = kit.provider.calls.at(-1)!.orderId;
    await kit.lapse(orderId);
    await expireOrders(app.nexus.ctx.db, app.nexus.ctx.config);
    const orders = await kit.orderCount();
    const res = await kit.checkout(guest.headers, guestBody(), key).expect(409);
    expect(res.body.code).toBe('order_not_payable');
    expect(await kit.orderCount()).toBe(orders);
  });
});

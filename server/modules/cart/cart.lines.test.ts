import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { checkoutLines, loadCart } from './cart.service.js';
import { cartKit } from './cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

type Line = { variantId: string; available: boolean; warnings: { code: string }[] };
const line = (cart: { items: Line[] }, variantId: string) => cart.items.find((i) => i.variantId === variantId)!;
const codes = (l: Line) => l.warnings.map((w) => w.code);

describe(`lines that can no longer be bought (${TEST_DB})`, () => {
  it('keep an archived product listed, unavailable, with a warning, outside the subtotal and checkout', async () => {
    const keep = await kit.product({ stock: [10], price: 500 });
    const gone = await kit.product({ stock: [10], price: 700, name: 'Retired Lamp' });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, keep.variants[0]!, 2).expect(200);
    await kit.add(guest.headers, gone.variants[0]!, 1).expect(200);
    await app.request.delete(`/api/v1/admin/products/${gone.id}`).set(kit.staff).expect(200);
    const cart = await kit.getCart(guest.headers);
    const archived = line(cart, gone.variants[0]!);
    expect(archived).toMatchObject({ available: false, quantity: 1, unitPriceCents: 700, name: 'Retired Lamp' });
    expect(archived.warnings).toEqual([
      {
        code: 'product_unavailable',
        message: 'Retired Lamp (S0) is not for sale at the moment',
        variantId: gone.variants[0],
      },
    ]);
    expect(cart.warnings).toEqual(archived.warnings);
    expect(cart).toMatchObject({ subtotalCents: 1000, itemCount: 3, checkoutReady: true });
    const lines = await checkoutLines(app.nexus.ctx.db, guest.id);
    expect(lines).toEqual([
      {
        variantId: keep.variants[0],
        productId: keep.id,
        name: expect.any(String),
        variantTitle: 'S0',
        sku: expect.any(String),
        quantity: 2,
        unitPriceCents: 500,
        availableQuantity: 10,
      },
    ]);
  });

  it('treat a product moved back to draft like an archived one', async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    await kit.patchProduct(p.id, { status: 'draft' });
    const cart = await kit.getCart(guest.headers);
    expect(codes(line(cart, p.variants[0]!))).toEqual(['product_unavailable']);
    expect(cart).toMatchObject({ subtotalCents: 0, checkoutReady: false });
  });

  it('keep an out-of-stock variant listed as unavailable, and flag a line asking for more than is left', async () => {
    const p = await kit.product({ stock: [10, 10], price: 100 });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 4).expect(200);
    await kit.add(guest.headers, p.variants[1]!, 6).expect(200);
    await kit.setStock(p.variants[0]!, 0);
    await kit.setStock(p.variants[1]!, 2);
    const cart = await kit.getCart(guest.headers);
    const out = line(cart, p.variants[0]!);
    expect(out).toMatchObject({ available: false, availableQuantity: 0 });
    expect(codes(out)).toEqual(['out_of_stock']);
    const short = line(cart, p.variants[1]!);
    expect(short).toMatchObject({ available: true, availableQuantity: 2 });
    expect(short.warnings).toEqual([
      {
        code: 'insufficient_stock',
        message: expect.stringContaining('Only 2'),
        variantId: p.variants[1],
        requestedQuantity: 6,
        availableQuantity: 2,
      },
    ]);
    // The short line counts in the subtotal, but checkout cannot go ahead until it is lowered.
    expect(cart).toMatchObject({ subtotalCents: 6 * 101, checkoutReady: false });
    expect((await checkoutLines(app.nexus.ctx.db, guest.id)).map((l) => l.variantId)).toEqual([p.variants[1]]);
    await app.request.patch(`/api/v1/cart/items/${p.variants[1]}`).set(guest.headers).send({ quantity: 2 }).expect(200);
    expect((await kit.getCart(guest.headers)).checkoutReady).toBe(true);
    // Stock that comes back makes the line buyable again.
    await kit.setStock(p.variants[0]!, 5);
    expect(line(await kit.getCart(guest.headers), p.variants[0]!).available).toBe(true);
  });

  it('keep a deleted variant listed by what it was, without a price', async () => {
    const p = await kit.product({ stock: [10, 0], name: 'Two Sizes' });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    // The second variant has no stock history, so it can be deleted; give the cart a line of it directly.
    await app.nexus.ctx.db.execute(sql`
      insert into cart_items (cart_id, variant_id, quantity, product_id, product_name, variant_title, sku)
      values (${guest.id}::uuid, ${p.variants[1]}::uuid, 3, ${p.id}::uuid, 'Two Sizes', 'S1', 'OLD-SKU')`);
    await kit.patchProduct(p.id, {
      options: [{ name: 'Size', values: ['S0', 'S1'] }],
      variants: [{ id: p.variants[0], sku: `KEEP-${newId()}`, optionValues: { Size: 'S0' }, priceCents: 1000 }],
    });
    const cart = await kit.getCart(guest.headers);
    const removed = line(cart, p.variants[1]!);
    expect(removed).toMatchObject({
      productId: p.id,
      productSlug: p.slug,
      name: 'Two Sizes',
      variantTitle: 'S1',
      sku: 'OLD-SKU',
      quantity: 3,
      unitPriceCents: null,
      lineTotalCents: null,
      available: false,
      availableQuantity: 0,
    });
    expect(codes(removed)).toEqual(['variant_removed']);
    expect(cart.subtotalCents).toBe(1000);
    await app.request.delete(`/api/v1/cart/items/${p.variants[1]}`).set(guest.headers).expect(200);
  });

  it('carry the product image when there is one', async () => {
    const p = await kit.product({ stock: [3] });
    await app.nexus.ctx.db.execute(sql`
      insert into product_images (id, product_id, storage_key, url, alt, width, height, mime_type, bytes, position)
      values (${newId()}::uuid, ${p.id}::uuid, 'k2', '/media/second.jpg', 'second', 10, 10, 'image/jpeg', 1, 1),
             (${newId()}::uuid, ${p.id}::uuid, 'k1', '/media/first.jpg', 'first', 10, 10, 'image/jpeg', 1, 0)`);
    const guest = await kit.newGuestCart();
    const res = await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    expect(res.body.items[0].image).toEqual({ url: '/media/first.jpg', alt: 'first' });
  });

  it('are read in a fixed number of queries whatever the number of lines', async () => {
    const p = await kit.product({ stock: [5, 5, 5, 5, 5, 5] });
    const guest = await kit.newGuestCart();
    for (const v of p.variants) await kit.add(guest.headers, v, 1).expect(200);
    const db = app.nexus.ctx.db;
    const spy = { n: 0 };
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'select' || prop === 'execute') spy.n++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const cart = await loadCart(counting, guest.id);
    expect(cart.items).toHaveLength(6);
    expect(spy.n).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit, errorPaths } from './cart.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof cartKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await cartKit(app);
});
afterAll(() => app.close());

describe(`PATCH and DELETE /api/v1/cart/items/:variantId (${TEST_DB})`, () => {
  const patch = (headers: Record<string, string>, variantId: string, body: unknown) =>
    app.request
      .patch(`/api/v1/cart/items/${variantId}`)
      .set(headers)
      .send(body as object);

  it('sets a quantity, and 0 removes the line', async () => {
    const p = await kit.product({ stock: [10, 10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    await kit.add(guest.headers, p.variants[1]!, 1).expect(200);
    const up = await patch(guest.headers, p.variants[0]!, { quantity: 7 }).expect(200);
    expect(up.body.items[0]).toMatchObject({ quantity: 7 });
    const down = await patch(guest.headers, p.variants[0]!, { quantity: 3 }).expect(200);
    expect(down.body.items[0]).toMatchObject({ quantity: 3 });
    const gone = await patch(guest.headers, p.variants[0]!, { quantity: 0 }).expect(200);
    expect(gone.body.items.map((i: { variantId: string }) => i.variantId)).toEqual([p.variants[1]]);
  });

  it('refuses bad quantities and unknown lines, changing nothing', async () => {
    const p = await kit.product({ stock: [10, 10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    for (const quantity of [-1, 1.5, 100, '3', null]) {
      const res = await patch(guest.headers, p.variants[0]!, { quantity }).expect(422);
      expect(errorPaths(res)).toEqual(['body.quantity']);
    }
    const extra = await patch(guest.headers, p.variants[0]!, { quantity: 1, variantId: p.variants[1] }).expect(422);
    expect(errorPaths(extra)).toEqual(['body.variantId']);
    const badId = await patch(guest.headers, 'nope', { quantity: 1 }).expect(422);
    expect(errorPaths(badId)).toEqual(['params.variantId']);
    for (const quantity of [0, 4]) {
      const missing = await patch(guest.headers, p.variants[1]!, { quantity }).expect(404);
      expect(missing.body.code).toBe('cart_item_not_found');
    }
    const tooMany = await patch(guest.headers, p.variants[0]!, { quantity: 11 }).expect(409);
    expect(tooMany.body.code).toBe('out_of_stock');
    expect(tooMany.body.errors).toEqual([{ path: 'body.quantity', message: 'must be at most 10' }]);
    expect(tooMany.body.shortages).toEqual([
      { variantId: p.variants[0], sku: expect.any(String), requested: 11, available: 10 },
    ]);
    expect(await kit.storedLines(guest.id)).toEqual([{ variant_id: p.variants[0], quantity: 2 }]);
  });

  it('lets a line that can no longer be bought go down or away, but not up', async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 5).expect(200);
    await app.request.delete(`/api/v1/admin/products/${p.id}`).set(kit.staff).expect(200);
    const up = await patch(guest.headers, p.variants[0]!, { quantity: 6 }).expect(422);
    expect(up.body.code).toBe('variant_unavailable');
    await patch(guest.headers, p.variants[0]!, { quantity: 5 }).expect(200);
    const down = await patch(guest.headers, p.variants[0]!, { quantity: 2 }).expect(200);
    expect(down.body.items[0]).toMatchObject({ quantity: 2, available: false });
    await kit.setStock(p.variants[0]!, 0);
    await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).expect(200);
    expect(await kit.storedLines(guest.id)).toEqual([]);
  });

  it('DELETE removes a line; an unknown line, or the same one twice, is 404 cart_item_not_found', async () => {
    const p = await kit.product({ stock: [10] });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    const res = await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).expect(200);
    expect(res.body.items).toEqual([]);
    const again = await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(guest.headers).expect(404);
    expect(again.body.code).toBe('cart_item_not_found');
    await app.request.delete(`/api/v1/cart/items/${newId()}`).set(guest.headers).expect(404);
    const bad = await app.request.delete('/api/v1/cart/items/1').set(guest.headers).expect(422);
    expect(errorPaths(bad)).toEqual(['params.variantId']);
  });

  it("cannot touch another guest's line without that guest's token", async () => {
    const p = await kit.product({ stock: [10] });
    const a = await kit.newGuestCart();
    const b = await kit.newGuestCart();
    await kit.add(a.headers, p.variants[0]!, 2).expect(200);
    await patch(b.headers, p.variants[0]!, { quantity: 9 }).expect(404);
    await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).set(b.headers).expect(404);
    await patch({}, p.variants[0]!, { quantity: 9 }).expect(400);
    await app.request.delete(`/api/v1/cart/items/${p.variants[0]}`).expect(400);
    expect(await kit.storedLines(a.id)).toEqual([{ variant_id: p.variants[0], quantity: 2 }]);
  });
});

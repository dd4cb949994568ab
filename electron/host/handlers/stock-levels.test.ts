import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import { checked, seededHandlers, variantId } from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const skus = (page: { items: { sku: string }[] }) => page.items.map((i) => i.sku);

describe('stock:levels', () => {
  it('lists every variant in SKU order with its product and stock', async () => {
    const all = checked('stock:levels', await h['stock:levels']({}));
    expect(skus(all)).toEqual(['SKU-1-0', 'SKU-1-1', 'SKU-2-0', 'SKU-3-0']);
    expect(all).toMatchObject({ total: 4, totalCapped: false });
    expect(all.items[2]).toMatchObject({
      variantId: variantId(2),
      productName: expect.stringContaining('2') as string,
      onHand: 3,
      reserved: 0,
      available: 3,
      lowStockThreshold: 5,
    });
    const second = await h['stock:levels']({ limit: 2, offset: 2 });
    expect(skus(second)).toEqual(['SKU-2-0', 'SKU-3-0']);
  });

  it('shows a local adjustment at once', async () => {
    await h['stock:adjust']({ variantId: variantId(3), delta: 7, reason: 'received' });
    const page = await h['stock:levels']({ q: 'SKU-3-0' });
    expect(page.items[0]).toMatchObject({ sku: 'SKU-3-0', onHand: 7, available: 7 });
  });

  it('searches SKU prefixes first, then products by name', async () => {
    expect(skus(await h['stock:levels']({ q: 'sku-1' }))).toEqual(['SKU-1-0', 'SKU-1-1']);
    const name = (await h['stock:levels']({ limit: 1, offset: 2 })).items[0]!.productName;
    const byName = await h['stock:levels']({ q: name });
    expect(skus(byName)).toEqual(['SKU-2-0']);
    expect(byName.total).toBe(1);
  });

  it('treats LIKE wildcards and FTS syntax as plain text', async () => {
    expect((await h['stock:levels']({ q: '%' })).items).toEqual([]);
    expect((await h['stock:levels']({ q: '_' })).items).toEqual([]);
    expect((await h['stock:levels']({ q: '"NEAR(' })).items).toEqual([]);
  });

  it('refuses bad input', async () => {
    await expect(h['stock:levels']({ q: '  ' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(h['stock:levels']({ limit: 500 })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('stock:movements', () => {
  it("names each movement's SKU and product", async () => {
    const page = checked('stock:movements', await h['stock:movements']({ variantId: variantId(2) }));
    expect(page.items).toEqual([
      expect.objectContaining({ variantId: variantId(2), sku: 'SKU-2-0', productName: expect.any(String) as string }),
    ]);
  });
});

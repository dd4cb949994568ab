import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import {
  CATEGORY_IDS,
  LOCATION_ID,
  UNKNOWN,
  checked,
  fixedId,
  productId,
  queued,
  seededHandlers,
  variantId,
} from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const rejects = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });

describe('catalog reads', () => {
  it('lists products with filters, sort and paging', async () => {
    const all = checked('catalog:list', await h['catalog:list'](undefined));
    expect(all.total).toBe(3);
    expect(all.items.map((p) => p.name)).toEqual(['Canvas black 3', 'Merino black 2', 'Trail black 1']);
    const page = checked('catalog:list', await h['catalog:list']({ sort: '-available', limit: 1, offset: 1 }));
    expect(page.items.map((p) => p.id)).toEqual([productId(2)]);
    const byCategory = await h['catalog:list']({ categoryId: CATEGORY_IDS[1] });
    expect(byCategory.items.map((p) => p.id)).toEqual([productId(1)]);
    const empty = await h['catalog:list']({ stockState: 'out_of_stock' });
    expect(empty.items.map((p) => p.id)).toEqual([productId(3)]);
  });

  it('searches by words and by exact SKU', async () => {
    const hits = checked('catalog:search', await h['catalog:search']({ q: 'SKU-2-0' }));
    expect(hits.items.map((p) => p.id)).toEqual([productId(2)]);
    expect((await h['catalog:search']({ q: 'trail' })).items.map((p) => p.id)).toEqual([productId(1)]);
  });

  it('gets one product with variants, stock and images', async () => {
    const product = checked('catalog:get', await h['catalog:get']({ id: productId(1) }));
    expect(product).toMatchObject({ id: productId(1), version: 2, onHand: 20, available: 20, inStock: true });
    expect(product.variants.map((v) => [v.sku, v.onHand, v.available, v.version])).toEqual([
      ['SKU-1-0', 10, 10, 2],
      ['SKU-1-1', 10, 10, 2],
    ]);
  });

  it('answers not_found for an unknown product and validation_failed for a malformed id', async () => {
    await rejects(h['catalog:get']({ id: UNKNOWN }), 'not_found');
    await rejects(h['catalog:get']({ id: 'nope' }), 'validation_failed');
    await rejects(h['catalog:get']({}), 'validation_failed');
    await rejects(h['catalog:list']({ sort: 'random' }), 'validation_failed');
    await rejects(h['catalog:search']({ q: '   ' }), 'validation_failed');
  });

  it('lists categories in display order', async () => {
    const list = checked('categories:list', await h['categories:list']({}));
    expect(list.items.map((c) => c.id)).toEqual(CATEGORY_IDS);
  });
});

describe('catalog writes', () => {
  it('creates a product with minted ids, shown at once and queued with the same ids', async () => {
    const product = checked(
      'catalog:createProduct',
      await h['catalog:createProduct']({
        name: 'Linen apron',
        status: 'active',
        categoryIds: [CATEGORY_IDS[0]],
        variants: [{ sku: 'APRON-1', priceCents: 2500, initialStock: 4 }],
      }),
    );
    expect(product).toMatchObject({ name: 'Linen apron', slug: 'linen-apron', version: 0, onHand: 4 });
    const [entry] = queued(store);
    expect(entry).toMatchObject({ name: 'product.create', args: { id: product.id, name: 'Linen apron' } });
    expect((entry!.args as { variants: { id: string }[] }).variants[0]!.id).toBe(product.variants[0]!.id);
    expect((await h['catalog:search']({ q: 'apron' })).items.map((p) => p.id)).toEqual([product.id]);
  });

  it('patches a product against its stored version', async () => {
    const product = await h['catalog:updateProduct']({ productId: productId(1), patch: { name: 'Summit parka' } });
    expect(checked('catalog:updateProduct', product)).toMatchObject({ name: 'Summit parka', version: 2 });
    expect(queued(store)).toEqual([
      { name: 'product.update', args: { productId: productId(1), patch: { name: 'Summit parka' } }, baseVersion: 2 },
    ]);
  });

  it('archives a product, after which only a restoring edit is accepted', async () => {
    expect(await h['catalog:archiveProduct']({ productId: productId(2) })).toMatchObject({ status: 'archived' });
    await rejects(h['catalog:updateProduct']({ productId: productId(2), patch: { name: 'x' } }), 'conflict');
    await rejects(h['catalog:createVariant']({ productId: productId(2), sku: 'NEW', priceCents: 1 }), 'conflict');
    const restored = await h['catalog:updateProduct']({ productId: productId(2), patch: { status: 'active' } });
    expect(restored.status).toBe('active');
    expect(queued(store).map((e) => e.name)).toEqual(['product.archive', 'product.update']);
  });

  it('adds and edits variants; the product shows them', async () => {
    const added = checked(
      'catalog:createVariant',
      await h['catalog:createVariant']({ productId: productId(2), sku: 'SKU-2-NEW', priceCents: 990, initialStock: 2 }),
    );
    const variant = added.variants.find((v) => v.sku === 'SKU-2-NEW')!;
    expect(variant).toMatchObject({ onHand: 2, position: 1, version: 0 });
    const edited = await h['catalog:updateVariant']({ variantId: variantId(2), patch: { priceCents: 1999 } });
    expect(edited.variants.find((v) => v.id === variantId(2))).toMatchObject({ priceCents: 1999, version: 2 });
    expect(edited.priceRange).toEqual({ minCents: 990, maxCents: 1999 });
    expect(queued(store).map((e) => [e.name, e.baseVersion])).toEqual([
      ['variant.create', undefined],
      ['variant.update', 2],
    ]);
  });

  it('creates and edits categories', async () => {
    const created = checked('categories:create', await h['categories:create']({ name: 'Gifts', position: 9 }));
    expect(created).toMatchObject({ name: 'Gifts', slug: 'gifts', version: 0, parentId: null });
    const edited = await h['categories:update']({ categoryId: CATEGORY_IDS[0]!, patch: { name: 'Outerwear' } });
    expect(checked('categories:update', edited)).toMatchObject({ name: 'Outerwear', version: 1 });
    expect(queued(store)).toEqual([
      { name: 'category.create', args: { id: created.id, name: 'Gifts', position: 9 }, baseVersion: undefined },
      { name: 'category.update', args: { categoryId: CATEGORY_IDS[0], patch: { name: 'Outerwear' } }, baseVersion: 1 },
    ]);
  });

  it.each([
    ['catalog:updateProduct', { productId: UNKNOWN, patch: { name: 'x' } }],
    ['catalog:archiveProduct', { productId: UNKNOWN }],
    ['catalog:createVariant', { productId: UNKNOWN, sku: 'X', priceCents: 1 }],
    ['catalog:updateVariant', { variantId: UNKNOWN, patch: { priceCents: 1 } }],
    ['categories:update', { categoryId: UNKNOWN, patch: { name: 'x' } }],
  ] as const)('%s answers not_found for an unknown id and queues nothing', async (name, input) => {
    await rejects(h[name](input), 'not_found');
    expect(queued(store)).toEqual([]);
  });

  it('refuses a SKU another variant has, and a product id that exists', async () => {
    await rejects(h['catalog:createVariant']({ productId: productId(1), sku: 'SKU-2-0', priceCents: 1 }), 'conflict');
    const input = { id: productId(1), name: 'Dup', variants: [{ sku: 'DUP-1', priceCents: 1 }] };
    await rejects(h['catalog:createProduct'](input), 'conflict');
    expect(queued(store)).toEqual([]);
  });

  it('keeps the stock location it was given for opening stock of a new variant', async () => {
    const added = await h['catalog:createVariant']({
      productId: productId(3),
      id: fixedId(2, 4242),
      sku: 'SKU-3-B',
      priceCents: 100,
      initialStock: 7,
    });
    expect(added.variants.find((v) => v.id === fixedId(2, 4242))?.onHand).toBe(7);
    const level = store.sqlite.prepare('SELECT location_id FROM stock_levels WHERE variant_id = ?').pluck();
    expect(level.get(fixedId(2, 4242))).toBe(LOCATION_ID);
  });
});

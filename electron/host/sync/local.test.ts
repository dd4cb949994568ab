import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { type Mutation, parseMutation } from '../../../shared/sync/mutations.js';
import { applyPullPage } from '../db/apply.js';
import { restoreAll } from '../db/bases.js';
import { acknowledge, confirmApplied, enqueueMutation } from '../db/outbox.js';
import { searchProducts } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { productRow, variantRow } from '../db/testkit.js';
import {
  LOCATION_ID,
  PAID_ORDER,
  UNKNOWN,
  UNPAID_ORDER,
  fixedId,
  levelId,
  levelRow,
  orderRow,
  page,
  productId,
  seededStore,
  upsert,
  variantId,
} from '../handlers/testkit.js';
import { applyLocal, rebasePending } from './local.js';

function mutation(name: string, args: unknown): Mutation {
  const parsed = parseMutation(name, args);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.mutation;
}

/** What a handler does: the local write and the outbox entry in one transaction. */
function enqueue(store: Store, name: string, args: unknown, baseVersion?: number) {
  const m = mutation(name, args);
  return enqueueMutation(store, { name, args, ...(baseVersion === undefined ? {} : { baseVersion }) }, (s) =>
    applyLocal(s, m),
  );
}

const row = (store: Store, table: string, id: string) =>
  store.sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;
const data = (store: Store, table: string, id: string) => JSON.parse(row(store, table, id).data as string);
/** Every synced row the writes could touch, for "nothing changed" checks. */
const snapshot = (store: Store) =>
  ['products', 'variants', 'stock_levels', 'categories', 'orders', 'reviews'].map((t) =>
    store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY id`).all(),
  );
const onHand = (store: Store, n: number, k = 0) => row(store, 'stock_levels', levelId(n, k)).on_hand;

/** Applies a pull page the way the sync engine does: rebase above its lastMutationSeq, then confirm. */
const pull = (store: Store, changes: Parameters<typeof page>[0], cursor: string, lastMutationSeq = 0) =>
  applyPullPage(store, page(changes, cursor, { lastMutationSeq }), {
    rebase: (s, touched) => {
      rebasePending(s, lastMutationSeq, touched);
      confirmApplied(s, lastMutationSeq);
    },
  });

describe('applyLocal', () => {
  let store: Store;
  beforeEach(() => {
    store = seededStore();
  });
  afterEach(() => store.close());

  it('patches the row data and mirrored columns, keeps the version, and refreshes search', () => {
    applyLocal(store, mutation('product.update', { productId: productId(1), patch: { name: 'Harbor parka' } }));
    expect(row(store, 'products', productId(1))).toMatchObject({ name: 'Harbor parka', version: 2 });
    expect(data(store, 'products', productId(1))).toMatchObject({
      name: 'Harbor parka',
      version: 2,
      tags: expect.any(Array),
    });
    expect(searchProducts(store, { q: 'parka' }).map((h) => h.id)).toEqual([productId(1)]);
  });

  it('moves the default location level and the derived sums for stock.adjust and stock.count', () => {
    applyLocal(store, mutation('stock.adjust', { variantId: variantId(1), delta: -3, reason: 'sale' }));
    expect(onHand(store, 1)).toBe(7);
    expect(row(store, 'products', productId(1)).on_hand).toBe(17);
    applyLocal(store, mutation('stock.count', { variantId: variantId(1), counted: 4 }));
    expect(onHand(store, 1)).toBe(4);
    expect(row(store, 'variants', variantId(1)).on_hand).toBe(4);
    expect(row(store, 'stock_levels', levelId(1)).version).toBe(2);
    expect(store.sqlite.prepare('SELECT count(*) FROM stock_movements').pluck().get()).toBe(3);
  });

  it('creates a local level (version 0) when none is synced for the variant', () => {
    const lonely = fixedId(2, 999);
    pull(store, [upsert('variants', variantRow(1, 9, { id: lonely, sku: 'LONELY' }), 3)], 'c-lonely');
    applyLocal(store, mutation('stock.adjust', { variantId: lonely, delta: 5, reason: 'received' }));
    const levels = store.sqlite.prepare('SELECT * FROM stock_levels WHERE variant_id = ?').all(lonely);
    expect(levels).toMatchObject([{ location_id: LOCATION_ID, on_hand: 5, version: 0 }]);
    expect(row(store, 'variants', lonely).on_hand).toBe(5);
  });

  it('creates a product with its variants and opening stock, found by search at once', () => {
    const id = fixedId(1, 500);
    const v = fixedId(2, 5000);
    applyLocal(
      store,
      mutation('product.create', {
        id,
        name: 'Copper kettle',
        status: 'active',
        variants: [{ id: v, sku: 'KETTLE-1', priceCents: 4500, initialStock: 6 }],
      }),
    );
    expect(row(store, 'products', id)).toMatchObject({
      slug: 'copper-kettle',
      version: 0,
      on_hand: 6,
      variant_count: 1,
    });
    expect(searchProducts(store, { q: 'KETTLE-1' }).map((h) => h.id)).toEqual([id]);
  });

  it.each([
    ['an unknown product', 'product.update', { productId: UNKNOWN, patch: { name: 'x' } }, 'not_found'],
    ['an unknown variant', 'stock.adjust', { variantId: UNKNOWN, delta: 1, reason: 'received' }, 'not_found'],
    ['an unknown order', 'order.note', { orderId: UNKNOWN, note: 'x' }, 'not_found'],
    [
      'a sale that adds stock',
      'stock.adjust',
      { variantId: variantId(1), delta: 2, reason: 'sale' },
      'validation_failed',
    ],
    ['a paid order cancelled offline', 'order.cancel', { orderId: PAID_ORDER, reason: 'asked' }, 'needs_connection'],
    [
      'an unpaid order fulfilled',
      'order.fulfill',
      { orderId: UNPAID_ORDER, carrier: 'UPS', trackingNumber: '1' },
      'invalid_order_transition',
    ],
    [
      'a taken SKU',
      'variant.create',
      { id: fixedId(2, 777), productId: productId(2), sku: 'SKU-1-0', priceCents: 1 },
      'conflict',
    ],
    [
      'an existing product id',
      'product.create',
      { id: productId(1), name: 'x', variants: [{ id: fixedId(2, 778), sku: 'N', priceCents: 1 }] },
      'conflict',
    ],
    [
      'a variant id that exists',
      'product.create',
      { id: fixedId(1, 779), name: 'x', variants: [{ id: variantId(2), sku: 'NEW-SKU', priceCents: 1 }] },
      'conflict',
    ],
  ])('refuses %s with %s and writes nothing', (_label, name, args, code) => {
    const before = snapshot(store);
    const attempt = () => applyLocal(store, mutation(name, args));
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (e) {
      expect((e as AppError).code).toBe(code);
    }
    expect(snapshot(store)).toEqual(before);
  });
});

describe('rebasePending', () => {
  let store: Store;
  beforeEach(() => {
    store = seededStore();
  });
  afterEach(() => store.close());

  it("shows the local edit on top of a pulled row's other fields", () => {
    enqueue(store, 'product.update', { productId: productId(1), patch: { name: 'Mine' } }, 2);
    // The server's newer row does not have our edit yet (seq 1 is above its lastMutationSeq 0).
    pull(store, [upsert('products', productRow(1, { description: 'Server text', name: 'Old name' }), 8)], 'c2');
    expect(data(store, 'products', productId(1))).toMatchObject({
      name: 'Mine',
      description: 'Server text',
      version: 8,
    });
    expect(row(store, 'products', productId(1))).toMatchObject({
      name: 'Mine',
      description: 'Server text',
      version: 8,
    });
    expect(searchProducts(store, { q: 'Mine' }).map((h) => h.id)).toEqual([productId(1)]);
  });

  it('re-applies a delta over a pulled level once, and not again once the server shows it', () => {
    enqueue(store, 'stock.adjust', { variantId: variantId(1), delta: -3, reason: 'sale' });
    expect(onHand(store, 1)).toBe(7);
    // A storefront sale elsewhere: the server's level moved to 10 - 0 (ours not applied yet).
    pull(store, [upsert('stock_levels', levelRow(1, 0, 10), 9)], 'c2');
    expect(onHand(store, 1)).toBe(7);
    // A page that does not write the level leaves it as it is (re-applying would count -3 twice).
    pull(store, [upsert('products', productRow(2, { name: 'Other' }), 9)], 'c3');
    expect(onHand(store, 1)).toBe(7);
    // The server applied seq 1: its row carries it, and the page says so.
    acknowledge(store, { results: [{ seq: 1, status: 'applied' }], lastMutationSeq: 1 });
    pull(store, [upsert('stock_levels', levelRow(1, 0, 7), 10)], 'c4', 1);
    expect(onHand(store, 1)).toBe(7);
    expect(row(store, 'variants', variantId(1)).on_hand).toBe(7);
    expect(store.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('applies only the entries above afterSeq, in seq order', () => {
    enqueue(store, 'stock.count', { variantId: variantId(1), counted: 20 });
    enqueue(store, 'stock.adjust', { variantId: variantId(1), delta: -1, reason: 'sale' });
    expect(onHand(store, 1)).toBe(19);
    // The server applied the count (seq 1) but not yet the sale: 20 on the server.
    pull(store, [upsert('stock_levels', levelRow(1, 0, 20), 11)], 'c2', 1);
    expect(onHand(store, 1)).toBe(19);
  });

  it('replaces a level made here with the server one, keeping pending deltas once', () => {
    const lonely = fixedId(2, 999);
    const serverLevel = fixedId(3, 999);
    pull(store, [upsert('variants', variantRow(1, 9, { id: lonely, sku: 'LONELY' }), 3)], 'c1');
    enqueue(store, 'stock.adjust', { variantId: lonely, delta: 5, reason: 'received' });
    pull(store, [upsert('stock_levels', { ...levelRow(1, 9, 2), id: serverLevel, variantId: lonely }, 12)], 'c2');
    const levels = store.sqlite.prepare('SELECT id, on_hand FROM stock_levels WHERE variant_id = ?').all(lonely);
    expect(levels).toEqual([{ id: serverLevel, on_hand: 7 }]);
    expect(row(store, 'variants', lonely).on_hand).toBe(7);
  });

  it('skips a change the server state no longer allows, so the server row shows through', () => {
    enqueue(store, 'order.fulfill', { orderId: PAID_ORDER, carrier: 'DHL', trackingNumber: 'T1' });
    expect(data(store, 'orders', PAID_ORDER)).toMatchObject({ status: 'fulfilled', fulfillmentCarrier: 'DHL' });
    pull(store, [upsert('orders', orderRow(PAID_ORDER, 1, { status: 'refunded' }), 13)], 'c2');
    expect(row(store, 'orders', PAID_ORDER)).toMatchObject({ status: 'refunded', shipped_at: null });
  });

  it('skips entries whose row is gone', () => {
    enqueue(store, 'order.fulfill', { orderId: PAID_ORDER, carrier: 'DHL', trackingNumber: 'T1' });
    store.sqlite.prepare('DELETE FROM orders WHERE id = ?').run(PAID_ORDER);
    expect(() => rebasePending(store, 0)).not.toThrow();
    expect(store.sqlite.prepare('SELECT count(*) FROM orders WHERE id = ?').pluck().get(PAID_ORDER)).toBe(0);
  });

  it('without touched, treats every row as fresh from the server (after a re-download)', () => {
    enqueue(store, 'stock.adjust', { variantId: variantId(2), delta: -1, reason: 'sale' });
    enqueue(store, 'review.moderate', { reviewId: fixedId(7, 1), status: 'approved' });
    // As after resetForNewEpoch + download: the server's rows, without our changes.
    store.sqlite
      .prepare('UPDATE stock_levels SET on_hand = 3, data = json_set(data, ?, 3) WHERE id = ?')
      .run('$.onHand', levelId(2));
    store.sqlite.prepare("UPDATE reviews SET status = 'pending', data = json_set(data, '$.status', 'pending')").run();
    rebasePending(store, 0);
    expect(onHand(store, 2)).toBe(2);
    expect(row(store, 'reviews', fixedId(7, 1)).status).toBe('approved');
  });

  it('does not re-apply creates (the row made here stays until the server replaces it)', () => {
    const id = fixedId(8, 50);
    enqueue(store, 'category.create', { id, name: 'Gifts' });
    rebasePending(store, 0);
    expect(store.sqlite.prepare('SELECT count(*) FROM categories WHERE id = ?').pluck().get(id)).toBe(1);
    pull(store, [upsert('categories', { id, parentId: null, slug: 'gifts-2', name: 'Gifts', position: 0 }, 14)], 'c2');
    expect(row(store, 'categories', id)).toMatchObject({ slug: 'gifts-2', version: 14 });
  });
});

describe('taking back a rejected change (db/bases.ts)', () => {
  let store: Store;
  beforeEach(() => {
    store = seededStore();
  });
  afterEach(() => store.close());

  /** What the engine does after a rejection: rows back to their base, the rest re-applied over them. */
  const takeBack = () => rebasePending(store, 0, restoreAll(store));

  it("keeps each row's server state before its first local edit, so a rejected delta leaves and the rest stays", () => {
    enqueue(store, 'stock.adjust', { variantId: variantId(1), delta: -3, reason: 'sale' });
    enqueue(store, 'stock.adjust', { variantId: variantId(1), delta: -2, reason: 'sale' });
    expect(onHand(store, 1)).toBe(5);
    acknowledge(store, {
      results: [{ seq: 1, status: 'rejected', error: { code: 'not_found', message: 'gone' } }],
      lastMutationSeq: 1,
    });
    takeBack();
    expect(onHand(store, 1)).toBe(8);
    expect(row(store, 'products', productId(1)).on_hand).toBe(18);
  });

  it('removes a rejected create, even after it was edited here', () => {
    const id = fixedId(8, 60);
    enqueue(store, 'category.create', { id, name: 'Gifts' });
    enqueue(store, 'category.update', { categoryId: id, patch: { name: 'Presents' } }, 0);
    expect(row(store, 'categories', id)).toMatchObject({ name: 'Presents', version: 0 });
    acknowledge(store, {
      results: [1, 2].map((seq) => ({
        seq,
        status: 'rejected' as const,
        error: { code: 'conflict', message: 'slug' },
      })),
      lastMutationSeq: 2,
    });
    takeBack();
    expect(store.sqlite.prepare('SELECT count(*) FROM categories WHERE id = ?').pluck().get(id)).toBe(0);
  });

  it('keeps a create the server applied once its row has been pulled, when another row is taken back', () => {
    const id = fixedId(8, 70);
    enqueue(store, 'category.create', { id, name: 'Gifts' });
    acknowledge(store, { results: [{ seq: 1, status: 'applied' }], lastMutationSeq: 1 });
    pull(store, [upsert('categories', { id, parentId: null, slug: 'gifts', name: 'Gifts', position: 0 }, 21)], 'c3', 1);
    takeBack();
    expect(row(store, 'categories', id)).toMatchObject({ name: 'Gifts', version: 21 });
  });
});

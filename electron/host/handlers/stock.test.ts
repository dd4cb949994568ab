import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import { LOCATION_ID, UNKNOWN, checked, fixedId, queued, seededHandlers, variantId } from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const rejects = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });

describe('stock channels', () => {
  it('adjusts the default location level at once and queues the delta', async () => {
    const level = checked(
      'stock:adjust',
      await h['stock:adjust']({ variantId: variantId(2), delta: -5, reason: 'sale' }),
    );
    // 3 on hand, 5 sold offline: an oversell the server will flag, never a refusal.
    expect(level).toEqual({
      variantId: variantId(2),
      locationId: LOCATION_ID,
      onHand: -2,
      reserved: 0,
      available: -2,
      lowStock: true,
      oversold: true,
    });
    expect(queued(store)).toEqual([
      { name: 'stock.adjust', args: { variantId: variantId(2), delta: -5, reason: 'sale' }, baseVersion: undefined },
    ]);
    const low = checked('stock:lowStock', await h['stock:lowStock']({}));
    expect(low.items[0]).toMatchObject({ variantId: variantId(2), available: -2 });
  });

  it('counts stock: sets the level, or corrects by counted - expected', async () => {
    expect(await h['stock:count']({ variantId: variantId(1), counted: 6 })).toMatchObject({
      onHand: 6,
      lowStock: false,
    });
    expect(await h['stock:count']({ variantId: variantId(1), counted: 4, expected: 6 })).toMatchObject({ onHand: 4 });
    expect(queued(store).map((e) => e.args)).toEqual([
      { variantId: variantId(1), counted: 6 },
      { variantId: variantId(1), counted: 4, expected: 6 },
    ]);
  });

  it('refuses a delta whose sign does not fit the reason, queueing nothing', async () => {
    await rejects(h['stock:adjust']({ variantId: variantId(1), delta: 3, reason: 'damage' }), 'validation_failed');
    await rejects(h['stock:adjust']({ variantId: variantId(1), delta: -3, reason: 'received' }), 'validation_failed');
    expect(queued(store)).toEqual([]);
  });

  it('answers not_found for an unknown variant', async () => {
    await rejects(h['stock:adjust']({ variantId: UNKNOWN, delta: 1, reason: 'received' }), 'not_found');
    await rejects(h['stock:count']({ variantId: UNKNOWN, counted: 1 }), 'not_found');
    expect(queued(store)).toEqual([]);
  });

  it('lists movements newest first, filtered by variant, kind and time', async () => {
    const all = checked('stock:movements', await h['stock:movements'](undefined));
    expect(all.total).toBe(3);
    expect(all.items.map((m) => m.createdAt)).toEqual([
      '2026-01-04T00:00:00.000Z',
      '2026-01-04T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
    const sales = await h['stock:movements']({ variantId: variantId(1), kind: 'sale' });
    expect(sales.items.map((m) => [m.id, m.onHandDelta])).toEqual([[fixedId(4, 102), -2]]);
    const early = await h['stock:movements']({ to: '2026-01-03T12:00:00+00:00' });
    expect(early.items.map((m) => m.id)).toEqual([fixedId(4, 101)]);
    const paged = await h['stock:movements']({ limit: 1, offset: 2 });
    expect(paged).toMatchObject({ total: 3, items: [{ id: fixedId(4, 101) }] });
    await rejects(h['stock:movements']({ kind: 'theft' }), 'validation_failed');
  });

  it('lists low stock with the emptiest first', async () => {
    const low = checked('stock:lowStock', await h['stock:lowStock']({ limit: 10 }));
    expect(low.items.map((i) => [i.sku, i.available])).toEqual([
      ['SKU-3-0', 0],
      ['SKU-2-0', 3],
    ]);
  });
});

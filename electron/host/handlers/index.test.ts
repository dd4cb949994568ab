import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type ChannelName } from '../../../shared/contract/backoffice.js';
import type { Store } from '../db/store.js';
import { handleChannel, type Handlers } from './index.js';
import {
  CATEGORY_IDS,
  PAID_ORDER,
  PENDING_REVIEW,
  UNPAID_ORDER,
  checked,
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

/** Every write channel: a valid input, the mutation it queues, its baseVersion, and a required field with a wrong value. */
const WRITES: [ChannelName, Record<string, unknown>, string, number | undefined, string, unknown][] = [
  [
    'catalog:createProduct',
    { name: 'Mug', variants: [{ sku: 'MUG', priceCents: 900 }] },
    'product.create',
    undefined,
    'name',
    5,
  ],
  [
    'catalog:updateProduct',
    { productId: productId(1), patch: { description: 'Warm' } },
    'product.update',
    2,
    'patch',
    'x',
  ],
  ['catalog:archiveProduct', { productId: productId(3) }, 'product.archive', undefined, 'productId', 7],
  [
    'catalog:createVariant',
    { productId: productId(1), sku: 'NEW-1', priceCents: 100 },
    'variant.create',
    undefined,
    'priceCents',
    '100',
  ],
  [
    'catalog:updateVariant',
    { variantId: variantId(1), patch: { priceCents: 1500 } },
    'variant.update',
    2,
    'variantId',
    null,
  ],
  ['categories:create', { name: 'Gifts' }, 'category.create', undefined, 'name', ['Gifts']],
  [
    'categories:update',
    { categoryId: CATEGORY_IDS[0], patch: { position: 4 } },
    'category.update',
    1,
    'patch',
    { position: -1 },
  ],
  ['stock:adjust', { variantId: variantId(1), delta: -2, reason: 'sale' }, 'stock.adjust', undefined, 'delta', 1.5],
  ['stock:count', { variantId: variantId(1), counted: 8 }, 'stock.count', undefined, 'counted', -1],
  [
    'orders:fulfill',
    { orderId: PAID_ORDER, carrier: 'UPS', trackingNumber: '1Z9' },
    'order.fulfill',
    undefined,
    'carrier',
    '',
  ],
  ['orders:cancel', { orderId: UNPAID_ORDER, reason: 'duplicate order' }, 'order.cancel', undefined, 'reason', 3],
  ['orders:note', { orderId: PAID_ORDER, note: 'Called the customer' }, 'order.note', undefined, 'note', { text: 'x' }],
  [
    'reviews:moderate',
    { reviewId: PENDING_REVIEW, status: 'rejected' },
    'review.moderate',
    undefined,
    'status',
    'deleted',
  ],
];

const call = (name: ChannelName, input: unknown) => handleChannel(h, name, input);

describe('createHandlers', () => {
  it('has exactly one handler per contract channel', () => {
    expect(Object.keys(h).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) expect(typeof h[name]).toBe('function');
  });

  it('handleChannel dispatches known names and refuses unknown ones', async () => {
    expect(checked('categories:list', await handleChannel(h, 'categories:list', {})).items).toHaveLength(3);
    for (const name of ['catalog:drop', 'toString', '__proto__', 'constructor', ''])
      await expect(handleChannel(h, name, {})).rejects.toMatchObject({ name: 'AppError', code: 'bad_request' });
  });
});

describe('offline: no server at all', () => {
  it('the sync channel fails while every write succeeds locally', async () => {
    await expect(call('sync:now', {})).rejects.toThrow('fetch failed');
    expect(checked('sync:status', await call('sync:status', {}))).toMatchObject({ state: 'signed_out', pending: 0 });
  });

  it.each(WRITES)('%s succeeds and queues %s with its baseVersion', async (name, input, mutation, baseVersion) => {
    const output = checked(name, await call(name, input));
    expect(output).toBeTruthy();
    const entries = queued(store);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: mutation, args: input, baseVersion });
  });

  it('queues every write in order, and the reads show them', async () => {
    for (const [name, input] of WRITES) await call(name, input);
    expect(queued(store).map((e) => e.name)).toEqual(WRITES.map((w) => w[2]));
    expect((await h['catalog:get']({ id: productId(1) })).description).toBe('Warm');
    expect((await h['orders:get']({ id: UNPAID_ORDER })).status).toBe('cancelled');
    expect((await h['catalog:get']({ id: productId(3) })).status).toBe('archived');
  });
});

describe('bad input on write channels', () => {
  const cases = WRITES.flatMap(([name, input, , , field, wrong]) => {
    const { [field]: _dropped, ...missing } = input;
    return [
      [name, `a wrong ${field}`, { ...input, [field]: wrong }, field],
      [name, `no ${field}`, missing, field],
      [name, 'an extra field', { ...input, unexpected: true }, ''],
      [name, 'no input', undefined, ''],
      [name, 'a string', 'x', ''],
    ] as [ChannelName, string, unknown, string][];
  });

  it.each(cases)('%s refuses %s with validation_failed, queueing nothing', async (name, _label, input, field) => {
    const attempt = call(name, input);
    await expect(attempt).rejects.toMatchObject({ name: 'AppError', code: 'validation_failed' });
    const error = (await attempt.catch((e: unknown) => e)) as { errors: { path: string }[] };
    expect(error.errors.length).toBeGreaterThan(0);
    if (field) expect(error.errors.map((e) => e.path.split('.')[0])).toContain(field);
    expect(queued(store)).toEqual([]);
  });
});

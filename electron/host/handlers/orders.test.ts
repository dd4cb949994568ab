import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import { PAID_ORDER, SHIPPED_ORDER, UNKNOWN, UNPAID_ORDER, checked, queued, seededHandlers } from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const rejects = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });
const numbers = async (input: unknown) => (await h['orders:list'](input)).items.map((o) => o.number);

describe('orders:list', () => {
  it('lists the newest first with the customer, totals and item count', async () => {
    const list = checked('orders:list', await h['orders:list']({}));
    expect(list.total).toBe(3);
    expect(list.items.map((o) => o.number)).toEqual(['NX-100003', 'NX-100002', 'NX-100001']);
    expect(list.items[2]).toEqual({
      id: PAID_ORDER,
      number: 'NX-100001',
      status: 'paid',
      email: 'buyer1@example.com',
      customerName: 'Ada Lovelace',
      totalCents: 2500,
      currency: 'USD',
      paymentStatus: 'succeeded',
      needsAttention: false,
      itemCount: 2,
      createdAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it('filters by status, text (number, e-mail, name) and date range, and pages', async () => {
    expect(await numbers({ status: ['pending_payment', 'fulfilled'] })).toEqual(['NX-100003', 'NX-100002']);
    expect(await numbers({ q: 'nx-100002' })).toEqual(['NX-100002']);
    expect(await numbers({ q: 'BUYER3@' })).toEqual(['NX-100003']);
    expect(await numbers({ q: 'lovelace' })).toHaveLength(3);
    expect(await numbers({ q: '%' })).toEqual([]);
    expect(await numbers({ from: '2026-01-02T00:00:00Z', to: '2026-01-02T23:59:59Z' })).toEqual(['NX-100002']);
    expect(await numbers({ limit: 1, offset: 1 })).toEqual(['NX-100002']);
  });

  it('refuses bad filters', async () => {
    await rejects(h['orders:list']({ status: 'paid' }), 'validation_failed');
    await rejects(h['orders:list']({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }), 'validation_failed');
    await rejects(h['orders:list']({ limit: 0 }), 'validation_failed');
  });
});

describe('orders:get and changes', () => {
  it('gets an order with its items, address and payment', async () => {
    const order = checked('orders:get', await h['orders:get']({ id: PAID_ORDER }));
    expect(order).toMatchObject({
      number: 'NX-100001',
      items: [{ sku: 'SKU-1-0', quantity: 2, lineTotalCents: 2000 }],
      shippingAddress: { name: 'Ada Lovelace', country: 'GB' },
      payment: { provider: 'test', status: 'succeeded' },
      fulfillment: null,
      pendingNotes: [],
    });
    expect(await h['orders:get']({ id: SHIPPED_ORDER })).toMatchObject({ fulfillment: { carrier: 'UPS' } });
    await rejects(h['orders:get']({ id: UNKNOWN }), 'not_found');
  });

  it('fulfils a paid order at once and queues it', async () => {
    const order = await h['orders:fulfill']({ orderId: PAID_ORDER, carrier: 'DHL', trackingNumber: 'JD0001' });
    expect(checked('orders:fulfill', order)).toMatchObject({
      status: 'fulfilled',
      fulfillment: { carrier: 'DHL', trackingNumber: 'JD0001', shippedAt: expect.any(String) },
    });
    expect(queued(store)).toEqual([
      {
        name: 'order.fulfill',
        args: { orderId: PAID_ORDER, carrier: 'DHL', trackingNumber: 'JD0001' },
        baseVersion: undefined,
      },
    ]);
  });

  it('refuses to fulfil an unpaid or shipped order', async () => {
    const ship = { carrier: 'DHL', trackingNumber: 'X' };
    await rejects(h['orders:fulfill']({ orderId: UNPAID_ORDER, ...ship }), 'invalid_order_transition');
    await rejects(h['orders:fulfill']({ orderId: SHIPPED_ORDER, ...ship }), 'invalid_order_transition');
    expect(queued(store)).toEqual([]);
  });

  it('cancels an unpaid order offline', async () => {
    const order = await h['orders:cancel']({ orderId: UNPAID_ORDER, reason: 'customer asked' });
    expect(checked('orders:cancel', order)).toMatchObject({ status: 'cancelled', cancellationReason: 'staff' });
    expect(queued(store)).toMatchObject([{ name: 'order.cancel', args: { reason: 'customer asked' } }]);
  });

  it('refuses up front to cancel a paid order: refunds need a connection', async () => {
    const attempt = h['orders:cancel']({ orderId: PAID_ORDER, reason: 'customer asked' });
    await expect(attempt).rejects.toMatchObject({ code: 'needs_connection', message: /refunds need a connection/ });
    expect((await h['orders:get']({ id: PAID_ORDER })).status).toBe('paid');
    expect(queued(store)).toEqual([]);
  });

  it('adds a note: queued, and listed on the order until the server has it', async () => {
    const order = await h['orders:note']({ orderId: PAID_ORDER, note: '  Gift wrap please ' });
    expect(checked('orders:note', order).pendingNotes).toEqual([
      { mutationId: expect.any(String), note: 'Gift wrap please', at: expect.any(String) },
    ]);
    expect(queued(store)).toEqual([
      { name: 'order.note', args: { orderId: PAID_ORDER, note: 'Gift wrap please' }, baseVersion: undefined },
    ]);
  });

  it.each([
    ['orders:fulfill', { orderId: UNKNOWN, carrier: 'DHL', trackingNumber: 'X' }],
    ['orders:cancel', { orderId: UNKNOWN, reason: 'x' }],
    ['orders:note', { orderId: UNKNOWN, note: 'x' }],
  ] as const)('%s answers not_found for an unknown order', async (name, input) => {
    await rejects(h[name](input), 'not_found');
    expect(queued(store)).toEqual([]);
  });
});

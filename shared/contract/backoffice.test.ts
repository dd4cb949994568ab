import { describe, expect, it } from 'vitest';
import { MUTATION_NAMES } from '../sync/mutations.js';
import { backoffice, CHANNEL_NAMES, isChannelName, refundableCents, syncStatusSchema } from './backoffice.js';

const id = '0190f5a2-6b1c-7d3e-8f40-123456789abc';
const parse = (name: keyof typeof backoffice, input: unknown) => backoffice[name].input.safeParse(input);

describe('back-office contract', () => {
  it('names every channel feature:verb, each with a zod input and output', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(
      [
        ...['catalog:list', 'catalog:search', 'catalog:get', 'catalog:createProduct', 'catalog:updateProduct'],
        ...['catalog:archiveProduct', 'catalog:createVariant', 'catalog:updateVariant', 'categories:list'],
        ...['categories:create', 'categories:update', 'stock:adjust', 'stock:count', 'stock:movements'],
        ...['stock:lowStock', 'stock:levels', 'orders:list', 'orders:get', 'orders:fulfill', 'orders:cancel'],
        ...['reviews:list', 'reviews:moderate', 'conflicts:list', 'conflicts:resolve', 'rejections:list'],
        ...['rejections:dismiss', 'oversells:list', 'sync:status', 'sync:now', 'auth:login', 'auth:logout'],
        ...['auth:session', 'settings:get', 'settings:setServerUrl', 'reports:sales', 'reports:topProducts'],
        ...['reports:inventoryValuation', 'reports:lowStock', 'reports:movements', 'reports:orders', 'reports:export'],
        ...['orders:note', 'orders:refund', 'media:upload', 'media:pending', 'media:retry', 'media:discard'],
      ].sort(),
    );
    for (const name of CHANNEL_NAMES) {
      expect(name).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
      expect(typeof backoffice[name].input.safeParse).toBe('function');
      expect(typeof backoffice[name].output.safeParse).toBe('function');
    }
    expect(isChannelName('catalog:list')).toBe(true);
    expect(isChannelName('toString')).toBe(false);
    expect(isChannelName('catalog:drop')).toBe(false);
  });

  it('has a write channel for every mutation a device queues', () => {
    const writes: Record<string, string> = {
      'product.create': 'catalog:createProduct',
      'product.update': 'catalog:updateProduct',
      'product.archive': 'catalog:archiveProduct',
      'variant.create': 'catalog:createVariant',
      'variant.update': 'catalog:updateVariant',
      'category.create': 'categories:create',
      'category.update': 'categories:update',
      'stock.adjust': 'stock:adjust',
      'stock.count': 'stock:count',
      'order.fulfill': 'orders:fulfill',
      'order.cancel': 'orders:cancel',
      'order.note': 'orders:note',
      'review.moderate': 'reviews:moderate',
    };
    expect(Object.keys(writes).sort()).toEqual([...MUTATION_NAMES].sort());
    for (const channel of Object.values(writes)) expect(CHANNEL_NAMES).toContain(channel);
  });

  it('lets channels without arguments be called with nothing or {}, and refuses anything else', () => {
    for (const name of ['categories:list', 'sync:status', 'auth:session', 'settings:get'] as const) {
      expect(parse(name, undefined)).toMatchObject({ success: true, data: {} });
      expect(parse(name, {}).success).toBe(true);
      expect(parse(name, { extra: 1 }).success).toBe(false);
      expect(parse(name, 'x').success).toBe(false);
    }
  });

  it('fills list defaults and bounds paging', () => {
    expect(parse('catalog:list', undefined)).toMatchObject({ data: { sort: 'name', limit: 50, offset: 0 } });
    expect(parse('orders:list', {})).toMatchObject({ data: { limit: 50, offset: 0 } });
    expect(parse('stock:lowStock', { limit: 501 }).success).toBe(false);
    expect(parse('catalog:list', { offset: -1 }).success).toBe(false);
    expect(parse('catalog:list', { limit: 1.5 }).success).toBe(false);
    expect(parse('catalog:list', { sort: 'random' }).success).toBe(false);
  });

  it('checks order filters: statuses, a date range in order, a trimmed query', () => {
    expect(parse('orders:list', { status: ['paid', 'fulfilled'], q: '  nx-1 ' })).toMatchObject({
      data: { status: ['paid', 'fulfilled'], q: 'nx-1' },
    });
    expect(parse('orders:list', { status: ['lost'] }).success).toBe(false);
    expect(parse('orders:list', { status: [] }).success).toBe(false);
    const backwards = parse('orders:list', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0]?.path).toEqual(['from']);
    expect(parse('orders:list', { from: 'yesterday' }).success).toBe(false);
  });

  it('reuses the mutation rules for writes (types, required fields, no extra fields)', () => {
    expect(parse('stock:adjust', { variantId: id, delta: -2, reason: 'sale' }).success).toBe(true);
    expect(parse('stock:adjust', { variantId: id, delta: 0, reason: 'sale' }).success).toBe(false);
    expect(parse('stock:adjust', { variantId: id, delta: '2', reason: 'sale' }).success).toBe(false);
    expect(parse('stock:adjust', { variantId: id, delta: 2, reason: 'sale', extra: 1 }).success).toBe(false);
    expect(parse('catalog:updateProduct', { productId: id, patch: {} }).success).toBe(false);
    expect(parse('catalog:updateProduct', { productId: id, patch: { price: 1 } }).success).toBe(false);
    expect(parse('orders:cancel', { orderId: id }).success).toBe(false);
  });

  it('lets the host mint ids for creates', () => {
    expect(parse('catalog:createProduct', { name: 'Mug', variants: [{ sku: 'M', priceCents: 100 }] }).success).toBe(
      true,
    );
    expect(parse('catalog:createVariant', { productId: id, sku: 'M', priceCents: 100 }).success).toBe(true);
    expect(parse('categories:create', { name: 'Mugs' }).success).toBe(true);
    expect(parse('catalog:createVariant', { sku: 'M', priceCents: 100 }).success).toBe(false);
  });

  it('checks sign-in and server URLs', () => {
    expect(parse('auth:login', { email: ' Staff@Example.com ', password: 'pw' })).toMatchObject({
      data: { email: 'staff@example.com' },
    });
    expect(parse('auth:login', { email: 'x@y.z', password: 'pw', serverUrl: 'ftp://host' }).success).toBe(false);
    expect(parse('auth:login', { email: 'not-an-email', password: 'pw' }).success).toBe(false);
    expect(parse('settings:setServerUrl', { url: 'https://shop.example.com' }).success).toBe(true);
    expect(parse('settings:setServerUrl', { url: 'javascript:alert(1)' }).success).toBe(false);
    expect(parse('settings:setServerUrl', {}).success).toBe(false);
  });

  it('takes local record ids as positive integers and a keep choice', () => {
    expect(parse('conflicts:resolve', { id: 3, keep: 'mine' }).success).toBe(true);
    expect(parse('conflicts:resolve', { id: 3, keep: 'theirs' }).success).toBe(false);
    expect(parse('conflicts:resolve', { id: '3', keep: 'server' }).success).toBe(false);
    expect(parse('rejections:dismiss', { id: 0 }).success).toBe(false);
  });

  it('has the sync status shape the engine produces', () => {
    const status = {
      online: false,
      state: 'offline',
      pending: 2,
      oldestPendingAgeMs: 1500,
      lastSyncAt: null,
      lastError: 'fetch failed',
      conflicts: 0,
      rejections: 1,
      oversells: 0,
      progress: { done: 10, total: null },
      epoch: 'e1',
      user: { email: 'a@b.c', name: 'A', role: 'staff' },
      serverUrl: 'http://127.0.0.1:3000',
    };
    expect(syncStatusSchema.parse(status)).toEqual(status);
    expect(syncStatusSchema.safeParse({ ...status, state: 'sleeping' }).success).toBe(false);
    const { progress: _progress, ...missing } = status;
    expect(syncStatusSchema.safeParse(missing).success).toBe(false);
  });

  it('checks refunds: the server body rules plus the order id, nothing else', () => {
    const refund = { orderId: id, amountCents: 500, reason: ' scratched ', restock: false };
    expect(parse('orders:refund', refund)).toMatchObject({ data: { reason: 'scratched' } });
    expect(parse('orders:refund', { ...refund, restock: true, lines: [{ variantId: id, quantity: 1 }] }).success).toBe(
      true,
    );
    expect(parse('orders:refund', { ...refund, amountCents: 0 }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, amountCents: '500' }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, amountCents: 4.5 }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, reason: '  ' }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, restock: 'yes' }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, orderId: 'NX-100001' }).success).toBe(false);
    expect(parse('orders:refund', { ...refund, currency: 'USD' }).success).toBe(false);
  });

  it('says what is left to refund, and nothing on an order that took no money', () => {
    expect(refundableCents({ status: 'paid', totalCents: 2500, refundedCents: 0 })).toBe(2500);
    expect(refundableCents({ status: 'partially_refunded', totalCents: 2500, refundedCents: 500 })).toBe(2000);
    expect(refundableCents({ status: 'refunded', totalCents: 2500, refundedCents: 2500 })).toBe(0);
    expect(refundableCents({ status: 'pending_payment', totalCents: 2500, refundedCents: 0 })).toBe(0);
    expect(refundableCents({ status: 'cancelled', totalCents: 2500, refundedCents: 0 })).toBe(0);
  });

  it('checks image uploads and the queue channels', () => {
    const upload = { productId: id, fileName: ' cup.png ', base64: 'iVBORw0KGgo=', alt: ' A cup ' };
    expect(parse('media:upload', upload)).toMatchObject({ data: { fileName: 'cup.png', alt: 'A cup' } });
    expect(parse('media:upload', { productId: id, fileName: 'cup.png', base64: 'AAAA' }).success).toBe(true);
    expect(parse('media:upload', { ...upload, base64: '' }).success).toBe(false);
    expect(parse('media:upload', { ...upload, base64: [1, 2] }).success).toBe(false);
    expect(parse('media:upload', { ...upload, fileName: '' }).success).toBe(false);
    expect(parse('media:upload', { ...upload, alt: 'x'.repeat(501) }).success).toBe(false);
    expect(parse('media:upload', { ...upload, mimeType: 'image/png' }).success).toBe(false);
    expect(parse('media:upload', { ...upload, productId: 7 }).success).toBe(false);
    expect(parse('media:pending', undefined).success).toBe(true);
    expect(parse('media:pending', { productId: id }).success).toBe(true);
    expect(parse('media:pending', { productId: 'x' }).success).toBe(false);
    expect(parse('media:retry', { id }).success).toBe(true);
    expect(parse('media:retry', { id: 3 }).success).toBe(false);
    expect(parse('media:discard', { id, force: true }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { MUTATION_NAMES, parseMutation } from './mutations.js';
import { pushBody } from './protocol.js';

const id = '0190f5a2-6b1c-7d3e-8f40-123456789abc';

describe('sync mutations', () => {
  it('knows exactly the names the issue lists', () => {
    expect([...MUTATION_NAMES].sort()).toEqual(
      [
        'product.create',
        'product.update',
        'product.archive',
        'variant.create',
        'variant.update',
        'category.create',
        'category.update',
        'stock.adjust',
        'stock.count',
        'order.fulfill',
        'order.cancel',
        'order.note',
        'review.moderate',
      ].sort(),
    );
  });

  it('answers an unknown name as a rejection, not an exception', () => {
    expect(parseMutation('product.delete', {})).toEqual({
      ok: false,
      code: 'unknown_mutation',
      message: 'unknown mutation "product.delete"',
    });
    expect(parseMutation('__proto__', {})).toMatchObject({ ok: false, code: 'unknown_mutation' });
  });

  it('checks arguments with the admin API rules and names the field', () => {
    const r = parseMutation('stock.adjust', { variantId: id, delta: 0, reason: 'damage' });
    expect(r).toMatchObject({ ok: false, code: 'invalid_arguments' });
    expect(!r.ok && r.message).toContain('delta');
    expect(parseMutation('stock.adjust', { variantId: id, delta: -3, reason: 'sale' })).toMatchObject({
      ok: true,
      mutation: { name: 'stock.adjust', args: { delta: -3 } },
    });
  });

  it('refuses extra fields, an empty patch, and a create without the device-made id', () => {
    expect(parseMutation('order.note', { orderId: id, note: 'x', admin: true }).ok).toBe(false);
    expect(parseMutation('product.update', { productId: id, patch: {} }).ok).toBe(false);
    expect(parseMutation('product.update', { productId: id, patch: { variants: [] } }).ok).toBe(false);
    expect(parseMutation('product.create', { name: 'Tee', variants: [{ sku: 'T-1', priceCents: 100 }] }).ok).toBe(
      false,
    );
    expect(parseMutation('product.create', { id, name: 'Tee', variants: [{ sku: 'T-1', priceCents: 100 }] }).ok).toBe(
      true,
    );
  });

  it('a push envelope needs a positive seq, a uuid and an ISO time; the clock value itself is free', () => {
    const m = { seq: 1, id, name: 'order.note', args: {}, createdAt: '1999-01-01T00:00:00Z' };
    expect(pushBody.safeParse({ clientId: id, protocolVersion: 1, mutations: [m] }).success).toBe(true);
    expect(pushBody.safeParse({ clientId: id, protocolVersion: 1, mutations: [{ ...m, seq: 0 }] }).success).toBe(false);
    expect(pushBody.safeParse({ clientId: id, protocolVersion: 1, mutations: [] }).success).toBe(false);
    expect(
      pushBody.safeParse({ clientId: id, protocolVersion: 1, mutations: [{ ...m, createdAt: 'yesterday' }] }).success,
    ).toBe(false);
  });
});

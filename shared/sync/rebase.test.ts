import { describe, expect, it } from 'vitest';
import { type Mutation, parseMutation } from './mutations.js';
import {
  applyToRow,
  checkAdjustment,
  countLevel,
  isCreate,
  mutationTarget,
  newCategoryRow,
  newProductRows,
  slugFor,
  type RowMutation,
} from './rebase.js';

const P = '0190f5a2-6b1c-7d3e-8f40-000000000001';
const V = '0190f5a2-6b1c-7d3e-8f40-000000000002';
const V2 = '0190f5a2-6b1c-7d3e-8f40-000000000003';
const C = '0190f5a2-6b1c-7d3e-8f40-000000000004';
const O = '0190f5a2-6b1c-7d3e-8f40-000000000005';
const R = '0190f5a2-6b1c-7d3e-8f40-000000000006';
const L = '0190f5a2-6b1c-7d3e-8f40-000000000007';
const AT = '2026-03-01T12:00:00.000Z';

function mutation(name: string, args: unknown): Mutation {
  const parsed = parseMutation(name, args);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.mutation;
}
const rowMutation = (name: string, args: unknown) => mutation(name, args) as RowMutation;

const product = { id: P, name: 'Trail hoodie', slug: 'trail-hoodie', status: 'active', tags: ['a'], version: 4 };
const order = { id: O, number: 'NX-100001', status: 'paid', paymentStatus: 'succeeded', shippedAt: null };

describe('field patches', () => {
  it('product.update changes only the patched fields and stamps updatedAt', () => {
    const out = applyToRow(rowMutation('product.update', { productId: P, patch: { name: 'Hoodie' } }), product, AT);
    expect(out).toEqual({ ok: true, row: { ...product, name: 'Hoodie', updatedAt: AT } });
  });

  it('refuses to edit an archived product unless the patch restores it', () => {
    const stored = { ...product, status: 'archived' };
    const edit = applyToRow(rowMutation('product.update', { productId: P, patch: { name: 'X' } }), stored, AT);
    expect(edit).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/archived/) });
    const restore = rowMutation('product.update', { productId: P, patch: { status: 'active', name: 'X' } });
    expect(applyToRow(restore, stored, AT)).toMatchObject({ ok: true, row: { status: 'active', name: 'X' } });
  });

  it('product.archive sets the status', () => {
    expect(applyToRow(rowMutation('product.archive', { productId: P }), product, AT)).toMatchObject({
      ok: true,
      row: { status: 'archived', name: 'Trail hoodie' },
    });
  });

  it('variant.update patches the variant, and is refused while its product is archived', () => {
    const variant = { id: V, sku: 'A-1', priceCents: 1000, productId: P };
    const m = rowMutation('variant.update', { variantId: V, patch: { priceCents: 1200 } });
    expect(applyToRow(m, variant, AT, product)).toEqual({
      ok: true,
      row: { ...variant, priceCents: 1200, updatedAt: AT },
    });
    expect(applyToRow(m, variant, AT, { ...product, status: 'archived' })).toMatchObject({ ok: false });
  });

  it('category.update patches the category', () => {
    const category = { id: C, name: 'Tops', parentId: null };
    const m = rowMutation('category.update', { categoryId: C, patch: { name: 'Shirts', position: 2 } });
    expect(applyToRow(m, category, AT)).toEqual({
      ok: true,
      row: { id: C, name: 'Shirts', parentId: null, position: 2, updatedAt: AT },
    });
  });
});

describe('stock', () => {
  const level = { id: L, variantId: V, onHand: 10, reserved: 2 };

  it('stock.adjust adds the delta and may go below zero (an oversell, never a refusal)', () => {
    const sale = rowMutation('stock.adjust', { variantId: V, delta: -3, reason: 'sale' });
    expect(applyToRow(sale, level, AT)).toEqual({ ok: true, row: { ...level, onHand: 7, updatedAt: AT } });
    const big = rowMutation('stock.adjust', { variantId: V, delta: -15, reason: 'sale' });
    expect(applyToRow(big, level, AT)).toMatchObject({ ok: true, row: { onHand: -5, reserved: 2 } });
  });

  it('stock.count sets the level, or corrects it by counted - expected', () => {
    expect(countLevel(level, { counted: 4 }, AT).onHand).toBe(4);
    // The screen showed 8, the shelf has 6: two went missing, sales recorded since stay counted.
    expect(countLevel(level, { counted: 6, expected: 8 }, AT).onHand).toBe(8);
    expect(countLevel({ id: L }, { counted: 3, expected: 0 }, AT).onHand).toBe(3);
  });

  it.each([
    ['received', -1, 'positive'],
    ['return', -2, 'positive'],
    ['damage', 1, 'negative'],
    ['sale', 3, 'negative'],
  ] as const)('refuses a %s of %i (must be %s)', (reason, delta, sign) => {
    expect(checkAdjustment({ variantId: V, delta, reason })).toEqual({
      code: 'validation_failed',
      message: `delta must be ${sign} for ${reason}`,
    });
  });

  it('accepts a delta of either sign for a plain adjustment, and signs that fit', () => {
    expect(checkAdjustment({ variantId: V, delta: -4, reason: 'adjustment' })).toBeNull();
    expect(checkAdjustment({ variantId: V, delta: 4, reason: 'adjustment' })).toBeNull();
    expect(checkAdjustment({ variantId: V, delta: 4, reason: 'received' })).toBeNull();
    expect(checkAdjustment({ variantId: V, delta: -4, reason: 'sale' })).toBeNull();
  });
});

describe('orders and reviews', () => {
  const fulfil = rowMutation('order.fulfill', { orderId: O, carrier: 'UPS', trackingNumber: '1Z' });
  const cancel = rowMutation('order.cancel', { orderId: O, reason: 'asked' });

  it('order.fulfill ships a paid order', () => {
    expect(applyToRow(fulfil, order, AT)).toEqual({
      ok: true,
      row: {
        ...order,
        status: 'fulfilled',
        fulfillmentCarrier: 'UPS',
        fulfillmentTrackingNumber: '1Z',
        shippedAt: AT,
        updatedAt: AT,
      },
    });
  });

  it.each(['pending_payment', 'cancelled', 'fulfilled', 'refunded'])('refuses to fulfil an order that is %s', (s) => {
    expect(applyToRow(fulfil, { ...order, status: s }, AT)).toMatchObject({
      ok: false,
      code: 'invalid_order_transition',
    });
  });

  it('refuses to fulfil an order that already shipped', () => {
    expect(applyToRow(fulfil, { ...order, shippedAt: AT }, AT)).toMatchObject({ ok: false });
  });

  it('order.cancel cancels an unpaid order', () => {
    const unpaid = { ...order, status: 'pending_payment', paymentStatus: 'pending' };
    expect(applyToRow(cancel, unpaid, AT)).toEqual({
      ok: true,
      row: { ...unpaid, status: 'cancelled', cancelledAt: AT, cancellationReason: 'staff', updatedAt: AT },
    });
  });

  it('refuses to cancel a paid order: the refund needs a connection', () => {
    expect(applyToRow(cancel, order, AT)).toMatchObject({
      ok: false,
      code: 'needs_connection',
      message: expect.stringMatching(/refunds need a connection/),
    });
  });

  it('refuses to cancel a fulfilled or cancelled order as a transition', () => {
    for (const status of ['fulfilled', 'cancelled'])
      expect(applyToRow(cancel, { ...order, status }, AT)).toMatchObject({ code: 'invalid_order_transition' });
  });

  it('order.note leaves the order row as it is', () => {
    expect(applyToRow(rowMutation('order.note', { orderId: O, note: 'gift' }), order, AT)).toEqual({
      ok: true,
      row: order,
    });
  });

  it('review.moderate sets the status', () => {
    const review = { id: R, status: 'pending', title: 'Nice' };
    expect(applyToRow(rowMutation('review.moderate', { reviewId: R, status: 'approved' }), review, AT)).toEqual({
      ok: true,
      row: { ...review, status: 'approved', moderatedAt: AT, moderationNote: null, updatedAt: AT },
    });
  });
});

describe('creates', () => {
  it('product.create builds the product, its variants (defaults as the server fills them) and opening stock', () => {
    const m = mutation('product.create', {
      id: P,
      name: '  Café Crème Mug ',
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { id: V, sku: 'MUG-S', priceCents: 900, optionValues: { Size: 'S' }, initialStock: 12 },
        { id: V2, sku: 'MUG-M', priceCents: 1100, title: 'Medium' },
      ],
    });
    if (m.name !== 'product.create') throw new Error('parse');
    const rows = newProductRows(m.args, AT);
    expect(rows.product).toEqual({
      id: P,
      slug: 'cafe-creme-mug',
      name: 'Café Crème Mug',
      description: '',
      status: 'draft',
      categoryIds: [],
      tags: [],
      options: [{ name: 'Size', values: ['S', 'M'] }],
      createdAt: AT,
      updatedAt: AT,
    });
    expect(rows.variants).toMatchObject([
      { id: V, productId: P, sku: 'MUG-S', title: 'S', position: 0, currency: 'USD', lowStockThreshold: 5 },
      { id: V2, productId: P, sku: 'MUG-M', title: 'Medium', position: 1, compareAtPriceCents: null },
    ]);
    expect(rows.stock).toEqual([{ variantId: V, onHand: 12 }]);
  });

  it('skips variants without an id (the server would mint ids this device cannot know)', () => {
    const m = mutation('product.create', { id: P, name: 'X', variants: [{ sku: 'X-1', priceCents: 1 }] });
    if (m.name !== 'product.create') throw new Error('parse');
    expect(newProductRows(m.args, AT).variants).toEqual([]);
  });

  it('category.create fills the slug and defaults', () => {
    const m = mutation('category.create', { id: C, name: 'New in' });
    if (m.name !== 'category.create') throw new Error('parse');
    expect(newCategoryRow(m.args, AT)).toEqual({
      id: C,
      name: 'New in',
      slug: 'new-in',
      parentId: null,
      description: '',
      position: 0,
      createdAt: AT,
      updatedAt: AT,
    });
  });

  it('makes a slug even from a name without letters', () => {
    expect(slugFor('!!!')).toBe('item');
    expect(slugFor('A'.repeat(150)).length).toBe(100);
  });
});

describe('mutationTarget', () => {
  it('names the row each mutation changes', () => {
    expect(mutationTarget(mutation('product.archive', { productId: P }))).toEqual({
      kind: 'row',
      table: 'products',
      id: P,
    });
    expect(mutationTarget(mutation('stock.count', { variantId: V, counted: 1, locationId: L }))).toEqual({
      kind: 'stock',
      variantId: V,
      locationId: L,
    });
    expect(mutationTarget(mutation('order.note', { orderId: O, note: 'x' }))).toMatchObject({ table: 'orders' });
    expect(mutationTarget(mutation('review.moderate', { reviewId: R, status: 'rejected' }))).toMatchObject({
      table: 'reviews',
      id: R,
    });
    const create = mutation('variant.create', { id: V, productId: P, sku: 'S', priceCents: 1 });
    expect(mutationTarget(create)).toEqual({ kind: 'create', table: 'variants', id: V });
    expect(isCreate(create)).toBe(true);
    expect(isCreate(mutation('product.archive', { productId: P }))).toBe(false);
  });
});

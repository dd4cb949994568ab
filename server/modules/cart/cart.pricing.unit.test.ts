import { describe, expect, it } from 'vitest';
import { priceCart, priceLine, unsellable, type LineRow } from './cart.pricing.js';

const added = new Date('2030-01-02T03:04:05.000Z');
const row = (overrides: Partial<LineRow> = {}): LineRow => ({
  variantId: '018f0000-0000-7000-8000-000000000001',
  quantity: 2,
  addedAt: added,
  snapshot: {
    productId: '018f0000-0000-7000-8000-0000000000aa',
    productName: 'Old Name',
    variantTitle: 'Old',
    sku: 'OLD',
  },
  variant: { sku: 'MUG-1', title: 'Blue', options: { Colour: 'Blue' }, priceCents: 1299, currency: 'USD' },
  product: { id: '018f0000-0000-7000-8000-0000000000aa', slug: 'mug', name: 'Mug', status: 'active' },
  image: null,
  availableQuantity: 5,
  ...overrides,
});
const header = {
  id: '018f0000-0000-7000-8000-0000000000ff',
  currency: 'USD',
  expiresAt: null,
  createdAt: added,
  updatedAt: added,
};

describe('unsellable', () => {
  it('names the first reason a variant cannot be sold, or null', () => {
    expect(unsellable({ exists: false, productStatus: null, currency: null }, 'USD')).toBe('variant_removed');
    expect(unsellable({ exists: true, productStatus: 'archived', currency: 'USD' }, 'USD')).toBe('product_unavailable');
    expect(unsellable({ exists: true, productStatus: 'draft', currency: 'USD' }, 'USD')).toBe('product_unavailable');
    expect(unsellable({ exists: true, productStatus: 'active', currency: 'EUR' }, 'USD')).toBe('currency_mismatch');
    expect(unsellable({ exists: true, productStatus: 'active', currency: 'USD' }, 'USD')).toBeNull();
  });
});

describe('priceLine', () => {
  it('prices an available line from the catalog, not the snapshot', () => {
    expect(priceLine(row(), 'USD')).toEqual({
      variantId: row().variantId,
      productId: row().product!.id,
      productSlug: 'mug',
      name: 'Mug',
      variantTitle: 'Blue',
      sku: 'MUG-1',
      options: { Colour: 'Blue' },
      image: null,
      quantity: 2,
      unitPriceCents: 1299,
      lineTotalCents: 2598,
      available: true,
      availableQuantity: 5,
      warnings: [],
      addedAt: '2030-01-02T03:04:05.000Z',
    });
  });

  it('falls back to the snapshot once variant and product are gone', () => {
    const line = priceLine(row({ variant: null, product: null, availableQuantity: 0 }), 'USD');
    expect(line).toMatchObject({
      productId: row().snapshot.productId,
      productSlug: null,
      name: 'Old Name',
      variantTitle: 'Old',
      sku: 'OLD',
      options: {},
      unitPriceCents: null,
      lineTotalCents: null,
      available: false,
    });
    expect(line.warnings).toEqual([
      { code: 'variant_removed', message: 'Old Name (Old) is no longer sold', variantId: row().variantId },
    ]);
  });

  it('gives exactly one warning, the most important first', () => {
    const code = (r: LineRow) => priceLine(r, 'USD').warnings.map((w) => w.code);
    const archived = { ...row().product!, status: 'archived' as const };
    expect(code(row({ product: archived, availableQuantity: 0 }))).toEqual(['product_unavailable']);
    expect(code(row({ availableQuantity: 0 }))).toEqual(['out_of_stock']);
    expect(code(row({ availableQuantity: 1 }))).toEqual(['insufficient_stock']);
    expect(code(row({ availableQuantity: 2 }))).toEqual([]);
    expect(code(row({ variant: { ...row().variant!, currency: 'EUR' } }))).toEqual(['currency_mismatch']);
  });

  it('keeps a short line buyable but says how many are left', () => {
    const line = priceLine(row({ quantity: 3, availableQuantity: 1 }), 'USD');
    expect(line.available).toBe(true);
    expect(line.warnings[0]).toMatchObject({
      message: 'Only 1 of Mug (Blue) is in stock',
      requestedQuantity: 3,
      availableQuantity: 1,
    });
  });

  it('names a variant without a title by its product alone', () => {
    const line = priceLine(row({ variant: { ...row().variant!, title: '' }, availableQuantity: 0 }), 'USD');
    expect(line.warnings[0]!.message).toBe('Mug is out of stock');
  });
});

describe('priceCart', () => {
  it('totals only buyable lines, counts every unit, and gathers warnings after the extra ones', () => {
    const extra = { code: 'quantity_capped' as const, message: 'capped' };
    const cart = priceCart(
      header,
      [
        row({ variantId: '018f0000-0000-7000-8000-000000000001', quantity: 2 }),
        row({ variantId: '018f0000-0000-7000-8000-000000000002', quantity: 1, availableQuantity: 0 }),
        row({ variantId: '018f0000-0000-7000-8000-000000000003', quantity: 4, availableQuantity: 3 }),
      ],
      [extra],
    );
    expect(cart.subtotalCents).toBe(1299 * 6);
    expect(cart.itemCount).toBe(7);
    expect(cart.checkoutReady).toBe(false);
    expect(cart.warnings.map((w) => w.code)).toEqual(['quantity_capped', 'out_of_stock', 'insufficient_stock']);
    expect(cart.expiresAt).toBeNull();
  });

  it('is ready for checkout with a buyable line even when others are unbuyable, and never when empty', () => {
    const ready = priceCart(header, [row(), row({ variantId: '018f0000-0000-7000-8000-000000000009', variant: null })]);
    expect(ready.checkoutReady).toBe(true);
    expect(priceCart(header, []).checkoutReady).toBe(false);
    expect(priceCart(header, [row({ availableQuantity: 0 })]).checkoutReady).toBe(false);
  });

  it('shows when a guest cart expires', () => {
    const cart = priceCart({ ...header, expiresAt: new Date('2030-02-01T00:00:00Z') }, []);
    expect(cart.expiresAt).toBe('2030-02-01T00:00:00.000Z');
  });
});

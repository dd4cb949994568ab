import { describe, expect, it } from 'vitest';
import { planMerge, type GuestLine } from './cart.merge-plan.js';
import type { CatalogVariant } from './cart.pricing.js';

const at = new Date('2030-01-01T00:00:00Z');
const id = (n: number) => `018f0000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const variant = (n: number, available: number, overrides: Partial<CatalogVariant> = {}): CatalogVariant => ({
  variantId: id(n),
  productId: id(1000 + n),
  productName: `Thing ${n}`,
  productStatus: 'active',
  variantTitle: '',
  sku: `T-${n}`,
  priceCents: 100,
  currency: 'USD',
  availableQuantity: available,
  ...overrides,
});
const guest = (n: number, quantity: number): GuestLine => ({
  variantId: id(n),
  quantity,
  addedAt: at,
  snapshot: { productName: `Was ${n}`, variantTitle: '' },
});
const plan = (
  member: [number, number][],
  lines: GuestLine[],
  catalog: CatalogVariant[],
  limits = { lines: 100, quantity: 99 },
) =>
  planMerge(
    {
      currency: 'USD',
      member: new Map(member.map(([n, q]) => [id(n), q])),
      guest: lines,
      catalog: new Map(catalog.map((v) => [v.variantId, v])),
    },
    limits,
  );
const writes = (p: ReturnType<typeof plan>) => p.writes.map((w) => [w.variantId, w.quantity]);

describe('planMerge', () => {
  it('sums quantities and adds new lines, keeping the guest line time', () => {
    const p = plan([[1, 2]], [guest(1, 3), guest(2, 1)], [variant(1, 10), variant(2, 10)]);
    expect(writes(p)).toEqual([
      [id(1), 5],
      [id(2), 1],
    ]);
    expect(p.writes[1]!.addedAt).toBe(at);
    expect(p.warnings).toEqual([]);
  });

  it('caps at stock with a warning naming requested, granted and available', () => {
    const p = plan([[1, 2]], [guest(1, 5)], [variant(1, 4)]);
    expect(writes(p)).toEqual([[id(1), 4]]);
    expect(p.warnings).toEqual([
      {
        code: 'quantity_capped',
        message: 'Only 4 of Thing 1 are in stock: the cart holds 4 instead of 7',
        variantId: id(1),
        requestedQuantity: 7,
        grantedQuantity: 4,
        availableQuantity: 4,
      },
    ]);
  });

  it('caps at the per-line limit, and says that is why', () => {
    const p = plan([[1, 90]], [guest(1, 20)], [variant(1, 500)]);
    expect(writes(p)).toEqual([[id(1), 99]]);
    expect(p.warnings[0]!.message).toBe('A cart line holds at most 99 of Thing 1: the cart holds 99 instead of 110');
  });

  it("never lowers the member's line, even when stock has fallen below it", () => {
    const p = plan([[1, 6]], [guest(1, 2)], [variant(1, 3)]);
    expect(writes(p)).toEqual([]);
    expect(p.warnings[0]).toMatchObject({ requestedQuantity: 8, grantedQuantity: 6 });
  });

  it('does not carry over lines that cannot be bought, naming them from the snapshot when deleted', () => {
    const p = plan(
      [],
      [guest(1, 1), guest(2, 1), guest(3, 1), guest(4, 2)],
      [variant(2, 5, { productStatus: 'archived' }), variant(3, 5, { currency: 'EUR' }), variant(4, 0)],
    );
    expect(p.writes).toEqual([]);
    expect(p.warnings.map((w) => [w.code, w.grantedQuantity, w.message])).toEqual([
      ['quantity_capped', 0, 'Was 1 is no longer sold: the cart holds 0 instead of 1'],
      ['quantity_capped', 0, 'Thing 2 is not for sale at the moment: the cart holds 0 instead of 1'],
      ['quantity_capped', 0, 'Thing 3 is priced in another currency than this cart: the cart holds 0 instead of 1'],
      ['quantity_capped', 0, 'Thing 4 is out of stock: the cart holds 0 instead of 2'],
    ]);
  });

  it('stops adding new lines at the line limit but still grows existing ones', () => {
    const p = plan([[1, 1]], [guest(2, 1), guest(3, 1), guest(1, 1)], [variant(1, 9), variant(2, 9), variant(3, 9)], {
      lines: 2,
      quantity: 99,
    });
    expect(writes(p)).toEqual([
      [id(2), 1],
      [id(1), 2],
    ]);
    expect(p.warnings).toEqual([
      expect.objectContaining({ code: 'cart_full', variantId: id(3), grantedQuantity: 0, requestedQuantity: 1 }),
    ]);
  });

  it('does not spend a line on a guest line that would start at zero', () => {
    const p = plan([], [guest(1, 1), guest(2, 1)], [variant(1, 0), variant(2, 3)], { lines: 1, quantity: 99 });
    expect(writes(p)).toEqual([[id(2), 1]]);
    expect(p.warnings.map((w) => w.code)).toEqual(['quantity_capped']);
  });
});

/**
 * A small hand-made store for the reports' tests: five products, seven orders across currencies,
 * statuses and a time-zone day boundary, three stock movements. Every figure the tests expect can
 * be worked out by hand from this file.
 */
import type { Change } from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { type Store, openStore } from '../db/store.js';
import { LOCATION_ID, fixedId, levelRow, page, productRow, upsert, variantRow } from '../db/testkit.js';
import { CUSTOMER, movementRow, orderRow } from '../handlers/testkit.js';

export const productId = (n: number) => fixedId(1, n);
export const variantId = (n: number, k = 0) => fixedId(2, n * 10 + k);
export const orderId = (n: number) => fixedId(5, n);

/** Product n with one level per variant: [onHand, reserved?] each; variant patches by index. */
function product(n: number, levels: [number, number?][], patch: Record<string, unknown> = {}, vPatch = {}): Change[] {
  return [
    upsert('products', productRow(n, patch), 1),
    ...levels.flatMap(([onHand, reserved = 0], k) => [
      upsert('variants', variantRow(n, k, vPatch), 1),
      upsert('stock_levels', levelRow(n, k, onHand, { reserved }), 1),
    ]),
  ];
}

let item = 0;
function order(n: number, at: string, status: string, total: number, refunded: number, patch = {}): Change {
  return upsert(
    'orders',
    orderRow(orderId(n), n, { status, totalCents: total, refundedCents: refunded, createdAt: at, ...patch }),
    2,
  );
}
function line(order: number, product: number | null, qty: number, lineTotal: number, sku = `SKU-${product}-0`): Change {
  item += 1;
  const row = {
    id: fixedId(6, 100 + item),
    orderId: orderId(order),
    variantId: product === null ? null : variantId(product),
    productId: product === null ? null : productId(product),
    sku,
    name: product === null ? 'Old mug' : `Sold as ${product}`,
    quantity: qty,
    unitPriceCents: Math.round(lineTotal / qty),
    lineTotalCents: lineTotal,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  return upsert('order_items', row, 2);
}

export function reportChanges(): Change[] {
  item = 0;
  return [
    upsert('stock_locations', { id: LOCATION_ID, code: 'main', name: 'Main', isDefault: true }, 1),
    upsert('customers', { id: CUSTOMER, email: 'ada@example.com', name: 'Ada Lovelace', disabled: false }, 1),
    // Trail black 1: two variants at cost 400, 10 each.
    ...product(1, [[10], [10]]),
    // Merino black 2: no cost price (valued at price 1002), 3 on hand with 1 reserved: low stock.
    ...product(2, [[3, 1]], {}, { costCents: null }),
    // Alpine black 3: empty. Copper black 4... archived, 1 on hand. Harbor black 5: oversold.
    ...product(3, [[0]]),
    ...product(4, [[1]], { status: 'archived' }),
    ...product(5, [[-2]]),
    order(1, '2026-01-05T10:00:00.000Z', 'paid', 2500, 0),
    // 03:00 UTC on the 6th is 22:00 on the 5th in New York.
    order(2, '2026-01-06T03:00:00.000Z', 'partially_refunded', 4000, 1000, {
      userId: null,
      shippingAddress: { name: 'Grace Hopper', line1: '2 Side St', city: 'NYC', postalCode: '10001', country: 'US' },
    }),
    order(3, '2026-01-05T12:00:00.000Z', 'cancelled', 3000, 0),
    order(4, '2026-01-05T13:00:00.000Z', 'pending_payment', 9999, 0),
    order(5, '2026-01-12T09:00:00.000Z', 'refunded', 1500, 1500),
    order(6, '2026-01-07T09:00:00.000Z', 'paid', 1000, 0, { currency: 'EUR' }),
    // 02:00 UTC on 1 February is still 31 January in New York.
    order(7, '2026-02-01T02:00:00.000Z', 'delivered', 500, 0),
    line(1, 1, 4, 2000),
    line(2, 1, 1, 1250, 'SKU-1-1'),
    line(2, 2, 2, 2004),
    line(3, 2, 5, 3000),
    line(4, 2, 9, 9999),
    line(5, 2, 2, 1500),
    line(6, 1, 1, 1000),
    line(7, null, 3, 500, 'GONE-1'),
    upsert('stock_movements', movementRow(1, variantId(1), 10, '2026-01-03T00:00:00.000Z'), 3),
    upsert(
      'stock_movements',
      { ...movementRow(2, variantId(1), -2, '2026-01-04T12:00:00.000Z'), reference: 'NX-1' },
      3,
    ),
    upsert('stock_movements', movementRow(3, variantId(2), 3, '2026-01-04T03:00:00.000Z'), 3),
  ];
}

export function reportStore(): Store {
  const store = openStore(':memory:');
  applyPullPage(store, page(reportChanges(), 'reports'));
  return store;
}

export const emptyStore = (): Store => openStore(':memory:');

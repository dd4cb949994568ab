/** Pieces of an order shared by the checkout's payment step and the order page. */
import type { Order } from '../../../shared/api/orders.schemas.js';
import { h, row } from './dom.js';
import { money } from './format.js';

export type { Order };

export interface ItemRow {
  name: string;
  quantity: number;
  total: string;
  short?: boolean;
}

/** Lines as "name × quantity … total" (checkout summary, payment step, order page). */
export const itemList = (rows: ItemRow[]): HTMLElement =>
  h(
    'ul',
    { class: 'order-items', 'aria-label': 'Items' },
    rows.map((r) =>
      h(
        'li',
        { class: r.short ? 'short' : '' },
        h('span', r.name, h('span', { class: 'muted' }, ` × ${r.quantity}`)),
        h('span', r.total),
      ),
    ),
  );

export const orderItems = (order: Order): HTMLElement =>
  itemList(
    order.items.map((i) => ({ name: i.name, quantity: i.quantity, total: money(i.lineTotalCents, order.currency) })),
  );

export function orderTotals(order: Order): HTMLElement {
  const c = order.currency;
  return h(
    'dl',
    { class: 'totals' },
    row('Subtotal', money(order.subtotalCents, c)),
    row('Shipping', order.shippingCents === 0 ? 'Free' : money(order.shippingCents, c)),
    row('Tax', money(order.taxCents, c)),
    row('Total', money(order.totalCents, c), 'total'),
  );
}

export function addressView(a: Order['shippingAddress']): HTMLElement {
  const lines = [a.name, a.company, a.line1, a.line2, [a.postalCode, a.city].join(' '), a.region, a.country, a.phone];
  return h(
    'address',
    lines.filter((l): l is string => !!l).map((l, i) => [i > 0 ? h('br') : null, l]),
  );
}

/** /orders/:id — a guest with `?token=` or the signed-in owner: status (polled while unpaid), items, totals. */
import { get } from './api.js';
import { enc, fill, h, type ShopConfig } from './dom.js';
import { failed } from './guard.js';
import { ApiError } from './errors.js';
import { day, statusLabel } from './format.js';
import { loginHref } from './nav.js';
import { addressView, orderItems, orderTotals, type Order } from './order-view.js';
import { paymentForm, pendingOrder } from './payment.js';
import { signedIn } from './session.js';

const POLL_MS = 2000;
const POLLS = 5;

const STATUS_TEXT: Record<string, string> = {
  pending_payment: 'Waiting for the payment.',
  paid: 'Thank you! We will e-mail you when it ships.',
  fulfilled: 'Your order is on its way.',
};

function tracking(order: Order): HTMLElement | null {
  const f = order.fulfillment;
  if (!f || (!f.trackingNumber && !f.shippedAt)) return null;
  return h(
    'p',
    { class: 'tracking' },
    'Shipped',
    f.carrier ? ` with ${f.carrier}` : '',
    f.shippedAt ? ` on ${day(f.shippedAt)}` : '',
    '.',
    f.trackingNumber ? [' Tracking number: ', h('strong', f.trackingNumber)] : '',
  );
}

function notFound(root: HTMLElement): void {
  const here = location.pathname;
  fill(
    root,
    h(
      'div',
      { class: 'empty' },
      h('p', { role: 'alert' }, 'We could not find this order, or this link does not give access to it.'),
      signedIn()
        ? h('p', h('a', { href: '/account/orders' }, 'See your orders'))
        : h(
            'p',
            'Use the link in your order e-mail, or ',
            h('a', { href: loginHref(here) }, 'sign in'),
            ' if you ordered with an account.',
          ),
    ),
  );
}

export async function orderPage(root: HTMLElement, config: ShopConfig): Promise<void> {
  const id = location.pathname.split('/')[2] ?? '';
  const token = new URLSearchParams(location.search).get('token') ?? undefined;
  const heading = document.querySelector('h1');
  const load = () => get<Order>(`/orders/${enc(id)}`, { query: { token } });
  const statusLine = h('p', { class: 'order-status', role: 'status' });

  const render = (order: Order) => {
    if (heading) heading.textContent = `Order ${order.number}`;
    fill(
      statusLine,
      'Status: ',
      h('strong', { class: `status ${order.status}` }, statusLabel(order.status)),
      '. ',
      STATUS_TEXT[order.status],
      order.status === 'pending_payment' && order.payment.status === 'failed' ? ' The last attempt was declined.' : '',
    );
    const payBox = h('div', { class: 'pay-box' });
    fill(
      root,
      statusLine,
      tracking(order),
      h('p', { class: 'muted' }, `Placed on ${day(order.createdAt)} · confirmation sent to ${order.email}`),
      order.status === 'pending_payment' ? [h('h2', 'Pay for this order'), payBox] : null,
      h('h2', 'Items'),
      orderItems(order),
      orderTotals(order),
      h('h2', 'Shipping address'),
      addressView(order.shippingAddress),
      signedIn() ? h('p', h('a', { href: '/account/orders' }, 'All your orders')) : null,
    );
    if (order.status === 'pending_payment') {
      const pending = pendingOrder();
      paymentForm(payBox, order, pending?.orderId === order.id ? pending.payment : undefined, token, config);
    }
  };

  let order: Order;
  try {
    order = await load();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 422)) return notFound(root);
    failed(root, error);
    return;
  }
  render(order);
  // A payment confirmed elsewhere (Stripe's webhook) may land a moment later: look again a few times.
  for (let i = 0; i < POLLS && order.status === 'pending_payment' && order.payment.status !== 'failed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const next = await load().catch(() => order);
    if (next.status !== order.status || next.payment.status !== order.payment.status) render(next);
    order = next;
  }
}

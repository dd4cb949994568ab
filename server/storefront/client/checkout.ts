/**
 * /checkout: contact and addresses → POST /checkout (with an Idempotency-Key per attempt) → the
 * order's totals and the payment step. Stock is reserved when the order is made, so what the
 * shopper sees before paying is what they pay.
 */
import type { Address as SavedAddress } from '../../../shared/api/accounts.schemas.js';
import type { CheckoutResult } from '../../../shared/api/checkout.schemas.js';
import { api, get } from './api.js';
import { lineName } from './cart-page.js';
import { loadCart, type Cart } from './cart.js';
import { ADDRESS_FIELDS, attemptFor, checkoutBody, shortLines, type Attempt } from './checkout-logic.js';
import { $, empty, fill, focusOn, h, mount, row, type ShopConfig } from './dom.js';
import { failed } from './guard.js';
import { ApiError } from './errors.js';
import { formError, onSubmit, showErrors } from './forms.js';
import { money } from './format.js';
import { addressView, itemList, orderItems, orderTotals, type Order } from './order-view.js';
import { orderHref, paymentForm, pendingOrder, savePendingOrder, type PaymentInfo } from './payment.js';
import { session, signedIn } from './session.js';

/** A random key (crypto.randomUUID needs a secure context; getRandomValues does not). */
const newKey = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST /checkout; the same key while an earlier request with it still runs is retried shortly. */
async function placeOrder(attempt: Attempt): Promise<CheckoutResult> {
  for (let tries = 0; ; tries++) {
    try {
      return await api<CheckoutResult>('POST', '/checkout', {
        body: JSON.parse(attempt.body) as unknown,
        headers: { 'Idempotency-Key': attempt.key },
        cart: true,
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'idempotency_key_in_flight' && tries < 5)) throw error;
      await wait(1000);
    }
  }
}

function cartSummary(box: HTMLElement, cart: Cart, short: ReadonlySet<string> = new Set()): void {
  fill(
    box,
    itemList(
      cart.items.map((l) => ({
        name: lineName(l),
        quantity: l.quantity,
        total: l.lineTotalCents !== null ? money(l.lineTotalCents, cart.currency) : '—',
        short: short.has(l.variantId),
      })),
    ),
    h('dl', { class: 'totals' }, row('Subtotal', money(cart.subtotalCents, cart.currency), 'total')),
    h('p', { class: 'muted' }, 'Shipping and tax are added before you pay.'),
    h('p', h('a', { href: '/cart' }, 'Edit cart')),
  );
}

/** The order is made and its stock reserved: totals first, then the payment form. */
function showPayment(order: Order, payment: PaymentInfo | undefined, token: string | undefined, config: ShopConfig) {
  const heading = h('h2', { id: 'payment-heading' }, 'Review and pay');
  const payBox = h('div', { class: 'pay-box' });
  const section = h(
    'section',
    { class: 'payment-step', 'aria-labelledby': 'payment-heading' },
    heading,
    h(
      'p',
      `Order ${order.number} is held for you`,
      order.expiresAt
        ? ` until ${new Date(order.expiresAt).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })}`
        : '',
      '. Pay to place it.',
    ),
    orderItems(order),
    orderTotals(order),
    h('h3', 'Shipping to'),
    addressView(order.shippingAddress),
    h('p', { class: 'muted' }, `Confirmation to ${order.email}`),
    h('h3', 'Payment'),
    payBox,
  );
  fill($('.checkout') ?? mount(), section);
  // The order took the cart's lines: the badge follows.
  loadCart().catch(() => undefined);
  paymentForm(payBox, order, payment, token, config);
  focusOn(heading);
}

function emptyCart(): void {
  fill(mount(), empty('Your cart is empty.', '/search', 'Continue shopping', 'button primary'));
}

/** Fill a field the shopper has not filled (a select always has a value: it is replaced). */
function setValue(form: HTMLFormElement, name: string, value: string | null | undefined): void {
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  if (el && value && (el instanceof HTMLSelectElement || !el.value)) el.value = value;
}

/** Signed in: the account's e-mail and the default (or first) saved address. */
async function prefill(form: HTMLFormElement): Promise<void> {
  const user = session()?.user;
  if (!user) return;
  setValue(form, 'email', user.email);
  const { items } = await get<{ items: SavedAddress[] }>('/me/addresses');
  const address = items.find((a) => a.isDefault) ?? items[0];
  if (!address) return;
  for (const key of ADDRESS_FIELDS) setValue(form, `shippingAddress.${key}`, address[key]);
}

function billingToggle(form: HTMLFormElement): HTMLInputElement {
  const same = form.querySelector<HTMLInputElement>('#billing-same')!;
  const slot = $('[data-billing]', form)!;
  const template = $<HTMLTemplateElement>('template[data-billing-template]', form)!;
  // The billing fields exist only when asked for, so each label names one field on the page.
  same.addEventListener('change', () => {
    if (same.checked) slot.replaceChildren();
    else slot.replaceChildren(template.content.cloneNode(true));
  });
  return same;
}

export async function checkoutPage(config: ShopConfig): Promise<void> {
  const form = $<HTMLFormElement>('form[data-checkout-form]');
  const summary = $('[data-summary-body]');
  if (!form || !summary) return;
  const same = billingToggle(form);
  let cart: Cart | undefined;
  try {
    cart = await loadCart();
  } catch (error) {
    failed(summary, error);
  }
  if (!cart || cart.items.length === 0) {
    // Reloaded after the order was made (it took the cart's lines): it is paid on its own page.
    const pending = pendingOrder();
    if (pending) location.replace(orderHref(pending.orderId, pending.token));
    else emptyCart();
    return;
  }
  cartSummary(summary, cart);
  if (signedIn()) prefill(form).catch(() => undefined);
  // Kept while the shopper resubmits the same details (a double click, a retry after an error).
  let attempt: Attempt | undefined;

  onSubmit(
    form,
    async (values) => {
      attempt = attemptFor(attempt, checkoutBody(values, same.checked), newKey);
      const result = await placeOrder(attempt);
      const token = result.order.accessToken;
      savePendingOrder({ orderId: result.order.id, ...(token ? { token } : {}), payment: result.payment });
      showPayment(result.order, result.payment, token, config);
    },
    (error) => {
      if (!(error instanceof ApiError) || !['out_of_stock', 'cart_changed', 'cart_empty'].includes(error.code))
        return showErrors(form, error);
      // The cart changed under the shopper: name the lines, show the cart as it is now.
      const lines = shortLines(error.errors, cart?.items ?? []);
      const box = formError(form, '');
      fill(
        box,
        error.message,
        lines.length > 0
          ? h(
              'ul',
              lines.map((l) => h('li', `${l.name}: ${l.message}`)),
            )
          : null,
        h('a', { href: '/cart' }, 'Update your cart'),
      );
      box.hidden = false;
      focusOn(box);
      if (cart) cartSummary(summary, cart, new Set(lines.map((l) => l.variantId)));
    },
  );
}

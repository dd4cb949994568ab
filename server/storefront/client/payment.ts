/**
 * Paying a pending order: the built-in test provider's card form (clearly marked), or Stripe's
 * Payment Element — whose script is loaded only here, only when Stripe is the provider.
 */
import type { TestConfirmResult } from '../../../shared/api/payments.schemas.js';
import { post } from './api.js';
import { enc, fill, h, type ShopConfig } from './dom.js';
import { ApiError } from './errors.js';
import { formError, onSubmit, showErrors } from './forms.js';
import { cardDigits, money } from './format.js';
import type { Order } from './order-view.js';
import { load, store } from './session.js';

export interface PaymentInfo {
  provider: string;
  clientSecret: string;
  publishableKey?: string;
}

/** The order just placed here, so a reload of /checkout can still pay it. */
export interface PendingOrder {
  orderId: string;
  token?: string;
  payment: PaymentInfo;
}

const PENDING_KEY = 'nexus.pendingOrder';

export const pendingOrder = (): PendingOrder | undefined => load<PendingOrder>(PENDING_KEY);
export const savePendingOrder = (value: PendingOrder | undefined): void => store(PENDING_KEY, value);

export const orderHref = (orderId: string, token?: string): string =>
  `/orders/${enc(orderId)}${token ? `?token=${enc(token)}` : ''}`;

const paid = (order: Order, token?: string) => {
  savePendingOrder(undefined);
  location.assign(orderHref(order.id, token));
};

/** A form from the page's <template data-pay="…"> (rendered by the server, with its labels). */
function payForm(kind: 'test' | 'stripe', order: Order): HTMLFormElement {
  const template = document.querySelector<HTMLTemplateElement>(`template[data-pay="${kind}"]`)!;
  const form = template.content.firstElementChild!.cloneNode(true) as HTMLFormElement;
  form.querySelector('button')!.textContent = `Pay ${money(order.totalCents, order.currency)}`;
  return form;
}

const onCard = (error: ApiError, message = error.message) =>
  new ApiError(error.status, error.code, error.message, [{ path: 'body.card', message }]);

function testForm(order: Order, token: string | undefined): HTMLFormElement {
  const form = payForm('test', order);
  onSubmit(
    form,
    async (values) => {
      const card = cardDigits(values.card ?? '');
      const result = await post<TestConfirmResult>('/payments/test/confirm', { orderId: order.id, card });
      if (result.status === 'succeeded') return paid(order, token);
      throw onCard(
        new ApiError(402, 'card_declined', 'The payment failed. Your order is kept: try another card.'),
        result.failureMessage ?? 'Your card was declined.',
      );
    },
    (error) => {
      if (error instanceof ApiError && error.code === 'invalid_test_card') return showErrors(form, onCard(error));
      // Paid already (a second tab) or lapsed: the order page says which.
      if (error instanceof ApiError && error.code === 'order_not_payable') return paid(order, token);
      showErrors(form, error);
    },
  );
  return form;
}

interface StripeElements {
  create(type: 'payment'): { mount(el: HTMLElement): void };
}
interface StripeClient {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}
type StripeFactory = (key: string) => StripeClient;

function loadStripe(): Promise<StripeFactory> {
  const existing = (window as { Stripe?: StripeFactory }).Stripe;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = h('script', { src: 'https://js.stripe.com/v3/' });
    script.addEventListener('load', () => {
      const loaded = (window as { Stripe?: StripeFactory }).Stripe;
      if (loaded) resolve(loaded);
      else reject(new Error('no Stripe'));
    });
    script.addEventListener('error', () => reject(new Error('no Stripe')));
    document.head.append(script);
  });
}

function stripeForm(order: Order, payment: PaymentInfo, key: string, token: string | undefined): HTMLFormElement {
  const form = payForm('stripe', order);
  const slot = form.querySelector<HTMLElement>('.stripe-element')!;
  const button = form.querySelector('button')!;
  const ready = loadStripe().then((Stripe) => {
    const stripe = Stripe(key);
    const elements = stripe.elements({ clientSecret: payment.clientSecret });
    slot.replaceChildren();
    elements.create('payment').mount(slot);
    button.removeAttribute('aria-disabled');
    return { stripe, elements };
  });
  ready.catch(() => formError(form, 'The payment form could not load. Check your connection and reload the page.'));
  onSubmit(form, async () => {
    const { stripe, elements } = await ready;
    const returnUrl = new URL(orderHref(order.id, token), location.href).href;
    // Resolves only when the payment failed at once; otherwise Stripe goes to the order page.
    const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } });
    if (error) throw new ApiError(402, 'payment_failed', error.message ?? 'The payment did not go through.');
  });
  return form;
}

/** The payment form for a pending order, in `box`. */
export function paymentForm(
  box: HTMLElement,
  order: Order,
  payment: PaymentInfo | undefined,
  token: string | undefined,
  config: ShopConfig,
): void {
  const provider = payment?.provider ?? order.payment.provider;
  const stripeKey = payment?.publishableKey ?? config.stripePublishableKey;
  if (provider === 'test') fill(box, testForm(order, token));
  else if (provider === 'stripe' && payment && stripeKey) fill(box, stripeForm(order, payment, stripeKey, token));
  else fill(box, h('p', { class: 'muted' }, 'This order is waiting for its payment.'));
}

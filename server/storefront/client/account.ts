/** /account and /account/orders: profile, sign-out, order history. Signed-out visitors go to sign in. */
import type { User } from '../../../shared/api/auth.schemas.js';
import { get, patch, post } from './api.js';
import { forgetCart } from './cart.js';
import { $, empty, fill, h } from './dom.js';
import { ApiError, messageOf } from './errors.js';
import { onSubmit } from './forms.js';
import { day, money, statusLabel } from './format.js';
import { failed, requireUser } from './guard.js';
import type { Order } from './order-view.js';
import { orderHref } from './payment.js';
import { clearSession, saveUser, session } from './session.js';
import { flash, toast } from './toast.js';

export async function signOut(): Promise<void> {
  const refreshToken = session()?.refreshToken;
  // Forgotten first, so the call below cannot refresh (and so spend) the token it is ending.
  clearSession();
  forgetCart();
  if (refreshToken) await post('/auth/logout', { refreshToken }).catch(() => undefined);
  flash('You are signed out.');
  location.assign('/');
}

export async function profilePage(root: HTMLElement): Promise<void> {
  $('[data-sign-out]', root)?.addEventListener('click', () => void signOut());
  const form = $<HTMLFormElement>('form[data-profile-form]', root);
  const nameInput = form?.elements.namedItem('name') as HTMLInputElement | null;
  const show = (user: User) => {
    fill($('[data-profile-email]', root)!, user.email);
    fill($('[data-profile-since]', root)!, day(user.createdAt));
    if (nameInput) nameInput.value = user.name;
  };
  if (form)
    onSubmit(form, async (values) => {
      const user = await patch<User>('/me', { name: values.name ?? '' });
      saveUser(user);
      show(user);
      toast('Your name is saved.');
    });
  try {
    const user = await get<User>('/me');
    saveUser(user);
    show(user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) requireUser();
    else toast(messageOf(error));
  }
}

function orderRow(order: Order): HTMLElement {
  const f = order.fulfillment;
  return h(
    'li',
    { class: 'order-row' },
    h('a', { href: orderHref(order.id) }, `Order ${order.number}`),
    h('span', day(order.createdAt)),
    h('span', { class: `status ${order.status}` }, statusLabel(order.status)),
    h('span', { class: 'price' }, money(order.totalCents, order.currency)),
    f?.trackingNumber
      ? h('span', { class: 'muted' }, `Tracking: ${f.carrier ? `${f.carrier} ` : ''}${f.trackingNumber}`)
      : null,
  );
}

/** The latest orders (one page of the API's maximum: enough for a shopper's history here). */
export async function ordersPage(root: HTMLElement): Promise<void> {
  try {
    const list = await get<{ items: Order[]; total: number }>('/me/orders', { query: { limit: 100 } });
    fill(
      root,
      list.items.length === 0
        ? empty('You have not ordered anything yet.', '/search', 'Start shopping')
        : h('ul', { class: 'orders', 'aria-label': 'Orders' }, list.items.map(orderRow)),
    );
  } catch (error) {
    failed(root, error);
  }
}

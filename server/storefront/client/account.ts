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

/** Orders per request on /account/orders; "Show more orders" fetches the next page. */
export const ORDERS_PAGE_SIZE = 20;

/** The member's orders, newest first, a page at a time. */
export async function ordersPage(root: HTMLElement): Promise<void> {
  const load = (page: number) =>
    get<{ items: Order[]; total: number }>('/me/orders', { query: { page, limit: ORDERS_PAGE_SIZE } });
  try {
    const first = await load(1);
    if (first.items.length === 0) {
      fill(root, empty('You have not ordered anything yet.', '/search', 'Start shopping'));
      return;
    }
    const list = h('ul', { class: 'orders', 'aria-label': 'Orders' }, first.items.map(orderRow));
    const status = h('p', { class: 'muted', role: 'status' });
    const more = h('button', { type: 'button' }, 'Show more orders');
    let page = 1;
    let shown = first.items.length;
    const update = (total: number) => {
      status.textContent = `${shown} of ${total} orders`;
      more.hidden = shown >= total;
    };
    more.addEventListener('click', () => {
      more.disabled = true;
      load(page + 1)
        .then((next) => {
          page += 1;
          shown += next.items.length;
          list.append(...next.items.map(orderRow));
          // An empty page means orders went away meanwhile: nothing more to fetch.
          update(next.items.length === 0 ? shown : next.total);
          // Keyboard users continue from the first order just added.
          list.querySelectorAll<HTMLAnchorElement>('li a')[shown - next.items.length]?.focus();
        })
        .catch((error: unknown) => toast(messageOf(error)))
        .finally(() => (more.disabled = false));
    });
    update(first.total);
    fill(root, list, status, more);
  } catch (error) {
    failed(root, error);
  }
}

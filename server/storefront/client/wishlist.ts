/** The wishlist: the product page's button and /account/wishlist. */
import type { WishlistItem } from '../../../shared/api/wishlist.schemas.js';
import { del, get, put } from './api.js';
import { empty, enc, fill, focusHeading, h, picture, productLink, removeButton } from './dom.js';
import { failed } from './guard.js';
import { messageOf } from './errors.js';
import { money } from './format.js';
import { loginHref } from './nav.js';
import { signedIn } from './session.js';
import { toast } from './toast.js';

const list = () => get<{ items: WishlistItem[] }>('/me/wishlist');

/** Product page: add or remove; signed out it leads to sign-in and back. */
export function wishlistButton(button: HTMLButtonElement): void {
  const productId = button.dataset.wishlist!;
  let saved = false;
  const show = () =>
    fill(
      button,
      h('span', { 'aria-hidden': 'true' }, saved ? '♥ ' : '♡ '),
      saved ? 'Remove from wishlist' : 'Add to wishlist',
    );
  if (signedIn()) {
    list()
      .then((w) => {
        saved = w.items.some((i) => i.product.id === productId);
        show();
      })
      .catch(() => undefined);
  }
  let busy = false;
  button.addEventListener('click', () => {
    if (!signedIn()) return location.assign(loginHref(location.pathname));
    if (busy) return;
    busy = true;
    const path = `/me/wishlist/${enc(productId)}`;
    (saved ? del(path) : put(path))
      .then(() => {
        saved = !saved;
        show();
        toast(saved ? 'Saved to your wishlist.' : 'Removed from your wishlist.');
      })
      .catch((error: unknown) => toast(messageOf(error)))
      .finally(() => {
        busy = false;
      });
  });
}

function itemView(item: WishlistItem, remove: (item: WishlistItem) => void): HTMLElement {
  const p = item.product;
  const price =
    p.priceRange.minCents === null
      ? 'Unavailable'
      : `${p.priceRange.minCents !== p.priceRange.maxCents ? 'From ' : ''}${money(p.priceRange.minCents, p.currency)}`;
  return h(
    'li',
    { class: 'line wish' },
    picture(p.image),
    h(
      'div',
      { class: 'line-info' },
      productLink(p.available && p.slug, p.name),
      h('span', { class: 'price' }, price),
      p.available
        ? null
        : h('span', { class: 'stock out' }, p.unavailableReason === 'out_of_stock' ? 'Out of stock' : 'No longer sold'),
    ),
    removeButton(p.name, () => remove(item)),
  );
}

export async function wishlistPage(root: HTMLElement): Promise<void> {
  let items: WishlistItem[] = [];
  const render = () => {
    if (items.length === 0) {
      fill(root, empty('Your wishlist is empty.', '/search', 'Browse products'));
      return;
    }
    fill(
      root,
      h(
        'ul',
        { class: 'lines', 'aria-label': 'Saved products' },
        items.map((i) => itemView(i, remove)),
      ),
    );
  };
  const remove = (item: WishlistItem) => {
    del(`/me/wishlist/${enc(item.product.id)}`)
      .then(() => {
        items = items.filter((i) => i !== item);
        render();
        toast(`Removed ${item.product.name} from your wishlist.`);
        focusHeading();
      })
      .catch((error: unknown) => toast(messageOf(error)));
  };
  try {
    items = (await list()).items;
    render();
  } catch (error) {
    failed(root, error);
  }
}

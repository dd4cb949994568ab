/** The header's shopper parts: cart badge, account link, links shown only when signed in. */
import { loadCart, onCartChange } from './cart.js';
import { $ } from './dom.js';
import { loginHref } from './nav.js';
import { onSessionChange, session } from './session.js';

function showSession(): void {
  const user = session()?.user;
  const link = $<HTMLAnchorElement>('[data-account-link]');
  if (link) {
    link.textContent = user ? 'Account' : 'Sign in';
    link.href = user ? '/account' : loginHref(location.pathname + location.search);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-signed-in]')) el.hidden = !user;
}

function showCount(count: number): void {
  const badge = $('[data-cart-count]');
  if (!badge) return;
  badge.textContent = count > 0 ? String(count) : '';
  badge.setAttribute('aria-label', `${count} ${count === 1 ? 'item' : 'items'} in cart`);
}

/** Set up the header; `loadCount: false` when the page loads the cart itself. */
export function enhanceHeader(loadCount: boolean): void {
  showSession();
  onSessionChange(showSession);
  onCartChange((cart) => showCount(cart?.itemCount ?? 0));
  if (loadCount) loadCart().catch(() => showCount(0));
}

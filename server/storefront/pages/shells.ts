import { html, type Html } from '../html.js';

/**
 * Pages that belong to one shopper (cart, checkout, order status, account): the server sends a
 * labelled frame and the browser script (client/) fills it from the API with the shopper's own
 * tokens, so nothing private is rendered into a cacheable page.
 */
export interface ShellPage {
  page: string;
  title: string;
}

export const SHELL_PAGES: Record<string, ShellPage> = {
  '/cart': { page: 'cart', title: 'Your cart' },
  '/checkout': { page: 'checkout', title: 'Checkout' },
  '/orders/:id': { page: 'order', title: 'Your order' },
  '/login': { page: 'login', title: 'Sign in' },
  '/register': { page: 'register', title: 'Create an account' },
  '/account': { page: 'account', title: 'Your account' },
  '/account/orders': { page: 'account-orders', title: 'Your orders' },
  '/account/addresses': { page: 'account-addresses', title: 'Your addresses' },
  '/account/wishlist': { page: 'account-wishlist', title: 'Your wishlist' },
};

export function shellBody(shell: ShellPage): Html {
  return html`<section class="shell" data-page="${shell.page}">
    <h1>${shell.title}</h1>
    <div data-mount><p class="loading" role="status">Loading…</p></div>
    <noscript><p>This page needs JavaScript. Catalog and product pages work without it.</p></noscript>
  </section>`;
}

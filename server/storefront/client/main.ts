/**
 * The storefront's browser script: progressive enhancement of server-rendered pages. Every page
 * works for reading without it; it adds the interactive parts (variant picker, cart, checkout,
 * account). Kept framework-free so a product page ships a few kilobytes.
 */
import { profilePage, ordersPage } from './account.js';
import { requireUser } from './guard.js';
import { addressesPage } from './addresses.js';
import { authPage } from './auth.js';
import { cartPage } from './cart-page.js';
import { checkoutPage } from './checkout.js';
import { mount, shopConfig } from './dom.js';
import { enhanceHeader } from './header.js';
import { enhanceListing } from './listing.js';
import { orderPage } from './order.js';
import { passwordPage } from './password.js';
import { enhanceProduct } from './product.js';
import { showFlash } from './toast.js';
import { wishlistPage } from './wishlist.js';

/** Pages that load the cart themselves (the header's badge follows). */
const LOADS_CART = new Set(['cart', 'checkout']);

function start(): void {
  const config = shopConfig();
  const page = config.page;
  enhanceHeader(!LOADS_CART.has(page ?? ''));
  enhanceListing(document);
  enhanceProduct(document);
  showFlash();
  const root = mount();
  const fail = (error: unknown) => console.error(error);
  switch (page) {
    case 'cart':
      return cartPage(root);
    case 'checkout':
      return void checkoutPage(config).catch(fail);
    case 'order':
      return void orderPage(root, config).catch(fail);
    case 'login':
    case 'register':
      return authPage(page);
    case 'forgot-password':
    case 'reset-password':
      return passwordPage(page);
  }
  if (page?.startsWith('account') && requireUser()) {
    const run = {
      account: profilePage,
      'account-orders': ordersPage,
      'account-addresses': addressesPage,
      'account-wishlist': wishlistPage,
    }[page];
    run?.(root).catch(fail);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

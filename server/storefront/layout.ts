import type { CategoryNode } from '../../shared/api/catalog.schemas.js';
import { html, type Html, jsonScript } from './html.js';

export interface PageMeta {
  /** The page's own title; the shop name is appended. */
  title: string;
  description?: string;
  /** Path (and query) of the canonical URL; made absolute with PUBLIC_URL. */
  canonical?: string;
  /** Search engines should not index this page (cart, checkout, account, search results). */
  noindex?: boolean;
  og?: { type: 'website' | 'product'; image?: string };
  jsonLd?: unknown;
}

export interface ShopFrame {
  shopName: string;
  publicUrl: string;
  /** Top-level categories for the header navigation. */
  categories: CategoryNode[];
  assets: { script: string; style: string };
  /** Page-specific data for the client script (e.g. the Stripe publishable key on checkout). */
  config?: Record<string, unknown>;
}

export const absoluteUrl = (publicUrl: string, pathOrUrl: string): string =>
  /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${publicUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;

function header(frame: ShopFrame, query: string): Html {
  return html`<header class="site-header">
    <div class="bar">
      <a class="brand" href="/">${frame.shopName}</a>
      <form class="search" action="/search" method="get" role="search">
        <label class="visually-hidden" for="site-search">Search products</label>
        <input
          id="site-search"
          type="search"
          name="q"
          value="${query}"
          placeholder="Search products"
          autocomplete="off"
          maxlength="200"
        />
        <button type="submit">Search</button>
      </form>
      <nav class="account-links" aria-label="Your account">
        <a href="/account/wishlist" data-signed-in hidden>Wishlist</a>
        <a href="/account" data-account-link>Sign in</a>
        <a href="/cart" class="cart-link"
          >Cart <span class="badge" data-cart-count aria-label="items in cart"></span
        ></a>
      </nav>
    </div>
    <nav class="categories" aria-label="Categories">
      <ul>
        ${frame.categories.map((c) => html`<li><a href="/categories/${encodeURIComponent(c.slug)}">${c.name}</a></li>`)}
      </ul>
    </nav>
  </header>`;
}

/** The whole document: head with SEO tags, the shop's header and footer around `body`. */
export function page(frame: ShopFrame, meta: PageMeta, body: Html, query = ''): string {
  const title = meta.title ? `${meta.title} · ${frame.shopName}` : frame.shopName;
  const canonical = meta.canonical ? absoluteUrl(frame.publicUrl, meta.canonical) : undefined;
  const image = meta.og?.image ? absoluteUrl(frame.publicUrl, meta.og.image) : undefined;
  return (
    '<!doctype html>' +
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        ${meta.description ? html`<meta name="description" content="${meta.description}" />` : ''}
        ${canonical ? html`<link rel="canonical" href="${canonical}" />` : ''}
        ${meta.noindex ? html`<meta name="robots" content="noindex" />` : ''}
        <meta property="og:site_name" content="${frame.shopName}" />
        <meta property="og:title" content="${meta.title || frame.shopName}" />
        <meta property="og:type" content="${meta.og?.type ?? 'website'}" />
        ${meta.description ? html`<meta property="og:description" content="${meta.description}" />` : ''}
        ${canonical ? html`<meta property="og:url" content="${canonical}" />` : ''}
        ${image ? html`<meta property="og:image" content="${image}" />` : ''}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${frame.assets.style}" />
        <script type="module" src="${frame.assets.script}"></script>
        ${meta.jsonLd ? jsonScript(meta.jsonLd) : ''}
        ${frame.config ? jsonScript(frame.config, 'type="application/json" id="shop-config"') : ''}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        ${header(frame, query)}
        <main id="main" tabindex="-1">${body}</main>
        <footer class="site-footer">
          <p>© ${frame.shopName}</p>
          <p><a href="/api/docs">API</a></p>
        </footer>
        <div class="toast" role="status" aria-live="polite" data-toast hidden></div>
      </body>
    </html>`.value
  );
}

import type { Product } from '../../shared/api/catalog.schemas.js';
import { formatMoney } from '../../shared/domain/money.js';
import { html, type Html } from './html.js';

export const money = (cents: number, currency: string): string => formatMoney({ amount: cents, currency });

/** The currency a product is sold in (every variant of a product shares one). */
export const productCurrency = (p: Product): string => p.variants[0]?.currency ?? 'USD';

/** Widths the image stores deliver (server/modules/media/store.ts DELIVERY_WIDTHS). */
const WIDTHS = [160, 320, 640, 1024, 1600] as const;

/**
 * The same image at another width: local media take `?w=`, Cloudinary URLs carry `w_N` in their
 * transformation. Anything else (an external URL) is returned as it is.
 */
export function imageAtWidth(url: string, width: number): string {
  if (url.startsWith('/media/')) {
    const [pathname, query = ''] = url.split('?', 2) as [string, string?];
    const params = new URLSearchParams(query);
    params.set('w', String(width));
    return `${pathname}?${params.toString()}`;
  }
  if (/^https:\/\/res\.cloudinary\.com\//.test(url) && /(^|[/,])w_\d+/.test(url))
    return url.replace(/(^|[/,])w_\d+/, `$1w_${width}`);
  return url;
}

export function srcset(url: string, upTo = 1600): string | undefined {
  const widths = WIDTHS.filter((w) => w <= upTo);
  const candidates = widths.map((w) => `${imageAtWidth(url, w)} ${w}w`);
  return imageAtWidth(url, 320) === url ? undefined : candidates.join(', ');
}

/** The five stars drawn filled up to `rating` (store.css), hidden from screen readers: the text says it. */
const starIcons = (rating: number): Html =>
  html`<span class="stars" aria-hidden="true" style="--rating:${rating}"></span>`;

export function stars(average: number, count: number): Html {
  if (count === 0) return html`<span class="rating muted">No reviews yet</span>`;
  const rounded = Math.round(average * 2) / 2;
  return html`<span class="rating" title="${rounded} out of 5"
    >${starIcons(rounded)}<span>${rounded.toFixed(1)} (${count} ${count === 1 ? 'review' : 'reviews'})</span></span
  >`;
}

/** One review's rating: its stars and "4 out of 5" (no count: it is one review). */
export function reviewStars(rating: number): Html {
  return html`<span class="rating" title="${rating} out of 5"
    >${starIcons(rating)}<span class="visually-hidden">${rating} out of 5</span></span
  >`;
}

export function priceTag(min: number | null, max: number | null, currency: string, compareAt?: number | null): Html {
  if (min === null) return html`<span class="price muted">Unavailable</span>`;
  const from = min !== max && max !== null;
  return html`<span class="price"
    >${from ? 'From ' : ''}${money(min, currency)}${
      compareAt && compareAt > min ? html` <s class="compare-at">${money(compareAt, currency)}</s>` : ''
    }</span
  >`;
}

export function productCard(p: Product): Html {
  const image = p.images[0];
  const currency = productCurrency(p);
  const compareAt = p.variants.length === 1 ? p.variants[0]!.compareAtPriceCents : null;
  return html`<li class="card">
    <a href="/products/${encodeURIComponent(p.slug)}">
      ${
        image
          ? html`<img
              src="${imageAtWidth(image.url, 320)}"
              srcset="${srcset(image.url, 640)}"
              sizes="(min-width: 900px) 240px, 45vw"
              alt="${image.alt || p.name}"
              width="${image.width}"
              height="${image.height}"
              loading="lazy"
              decoding="async"
            />`
          : html`<div class="no-image" aria-hidden="true"></div>`
      }
      <span class="name">${p.name}</span>
    </a>
    ${priceTag(p.priceRange.minCents, p.priceRange.maxCents, currency, compareAt)}
    ${stars(p.rating.average, p.rating.count)} ${p.inStock ? '' : html`<span class="stock out">Out of stock</span>`}
  </li>`;
}

export function productGrid(items: Product[]): Html {
  return html`<ul class="grid">
    ${items.map(productCard)}
  </ul>`;
}

/** Previous / numbered / next links, each a full URL from `href(page)`. */
export function pagination(page: number, pages: number, href: (page: number) => string): Html {
  if (pages <= 1) return html``;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const links: Html[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) links.push(html`<li aria-hidden="true">…</li>`);
    links.push(
      n === page
        ? html`<li><a aria-current="page" href="${href(n)}">${n}</a></li>`
        : html`<li><a href="${href(n)}">${n}</a></li>`,
    );
  });
  return html`<nav class="pagination" aria-label="Pages">
    <ul>
      ${page > 1 ? html`<li><a rel="prev" href="${href(page - 1)}">Previous</a></li>` : ''} ${links}
      ${page < pages ? html`<li><a rel="next" href="${href(page + 1)}">Next</a></li>` : ''}
    </ul>
  </nav>`;
}

import {
  type CategoryNode,
  type ProductSearchQuery,
  productSearchQuery,
  SORTS,
} from '../../../shared/api/catalog.schemas.js';
import type { SearchResult } from '../../modules/catalog/search.service.js';
import { money, pagination, productGrid } from '../components.js';
import { html, type Html } from '../html.js';

const SORT_LABELS: Record<(typeof SORTS)[number], string> = {
  relevance: 'Best match',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest',
  rating: 'Top rated',
  bestselling: 'Best selling',
};

export const LISTING_LIMIT = 24;
const LISTING_PARAMS = ['q', 'category', 'minPrice', 'maxPrice', 'inStock', 'minRating', 'sort', 'page'] as const;

/**
 * The listing's query from the URL, with the API's words and rules. A shopper's URL should always
 * show something: a parameter that does not parse is dropped rather than refused.
 */
export function listingQuery(raw: Record<string, unknown>, category?: string): ProductSearchQuery {
  const picked: Record<string, string> = {};
  for (const key of LISTING_PARAMS) {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') picked[key] = value;
  }
  if (category !== undefined) picked.category = category;
  const input = { ...picked, limit: String(LISTING_LIMIT) };
  const parsed = productSearchQuery.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) delete (input as Record<string, unknown>)[String(issue.path[0])];
  return productSearchQuery.parse(input);
}

/** The URL of this listing with some parameters changed (undefined removes one); page resets unless set. */
export function listingHref(
  base: string,
  query: ProductSearchQuery,
  change: Partial<Record<string, string | undefined>>,
) {
  const params = new URLSearchParams();
  const current: Record<string, string | undefined> = {
    q: query.q,
    category: base === '/search' ? query.category : undefined,
    minPrice: query.minPrice?.toString(),
    maxPrice: query.maxPrice?.toString(),
    inStock: query.inStock ? 'true' : undefined,
    minRating: query.minRating?.toString(),
    sort: query.sort,
    page: undefined,
  };
  for (const [key, value] of Object.entries({ ...current, ...change })) if (value) params.set(key, value);
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/** Price ranges for the facet, from the current results' lowest and highest price. */
export function priceBuckets(min: number | null, max: number | null): { min?: number; max?: number }[] {
  if (min === null || max === null || max <= min) return [];
  const step = [500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000].find((s) => (max - min) / s <= 4) ?? 250_000;
  const buckets: { min?: number; max?: number }[] = [];
  for (let low = Math.floor(min / step) * step; low <= max; low += step) buckets.push({ min: low, max: low + step });
  if (buckets[0]) delete buckets[0].min;
  const last = buckets.at(-1);
  if (last && buckets.length > 1) delete last.max;
  return buckets;
}

interface ListingView {
  heading: string;
  base: string;
  query: ProductSearchQuery;
  result: SearchResult;
  currency: string;
  category?: CategoryNode;
}

function facets(view: ListingView): Html {
  const { query, result, base, currency } = view;
  const href = (change: Partial<Record<string, string | undefined>>) => listingHref(base, query, change);
  const price = priceBuckets(result.facets.price.min, result.facets.price.max);
  const active = (on: boolean) => (on ? 'active' : '');
  const children = view.category?.children ?? [];
  return html`<aside class="facets" aria-label="Filters">
    ${
      result.facets.categories.length > 0
        ? html`<section>
            <h2>Category</h2>
            <ul>
              ${result.facets.categories.map(
                (c) =>
                  html`<li>
                    <a
                      class="${active(query.category === c.slug)}"
                      href="${
                        base === '/search'
                          ? href({ category: query.category === c.slug ? undefined : c.slug })
                          : `/categories/${encodeURIComponent(c.slug)}`
                      }"
                      >${c.name} <span class="count">${c.count}</span></a
                    >
                  </li>`,
              )}
            </ul>
          </section>`
        : children.length > 0
          ? html`<section>
              <h2>Category</h2>
              <ul>
                ${children.map((c) => html`<li><a href="/categories/${encodeURIComponent(c.slug)}">${c.name}</a></li>`)}
              </ul>
            </section>`
          : ''
    }
    ${
      price.length > 0
        ? html`<section>
            <h2>Price</h2>
            <ul>
              ${price.map((b) => {
                const on = query.minPrice === b.min && query.maxPrice === b.max;
                const label =
                  b.min === undefined
                    ? `Under ${money(b.max!, currency)}`
                    : b.max === undefined
                      ? `${money(b.min, currency)} and up`
                      : `${money(b.min, currency)} – ${money(b.max, currency)}`;
                return html`<li>
                  <a
                    class="${active(on)}"
                    href="${href(on ? { minPrice: undefined, maxPrice: undefined } : { minPrice: b.min?.toString(), maxPrice: b.max?.toString() })}"
                    >${label}</a
                  >
                </li>`;
              })}
            </ul>
          </section>`
        : ''
    }
    <section>
      <h2>Availability</h2>
      <ul>
        <li>
          <a class="${active(query.inStock === true)}" href="${href({ inStock: query.inStock ? undefined : 'true' })}"
            >In stock only <span class="count">${result.facets.inStock}</span></a
          >
        </li>
      </ul>
    </section>
    <section>
      <h2>Rating</h2>
      <ul>
        ${[4, 3, 2].map(
          (r) =>
            html`<li>
              <a
                class="${active(query.minRating === r)}"
                href="${href({ minRating: query.minRating === r ? undefined : String(r) })}"
                >${r}★ &amp; up</a
              >
            </li>`,
        )}
      </ul>
    </section>
    ${
      query.minPrice !== undefined ||
      query.maxPrice !== undefined ||
      query.inStock ||
      query.minRating !== undefined ||
      (base === '/search' && query.category)
        ? html`<p>
            <a
              href="${listingHref(base, { ...query, minPrice: undefined, maxPrice: undefined, inStock: undefined, minRating: undefined, category: undefined }, {})}"
              >Clear filters</a
            >
          </p>`
        : ''
    }
  </aside>`;
}

function sortForm(view: ListingView): Html {
  const { query, base } = view;
  const keep = new URL(listingHref(base, query, { sort: undefined }), 'http://x').searchParams;
  return html`<form class="sort" method="get" action="${base}" data-autosubmit>
    ${[...keep].map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
    <label for="sort">Sort by</label>
    <select id="sort" name="sort">
      ${SORTS.map(
        (s) =>
          html`<option value="${s}" ${(query.sort ?? (query.q ? 'relevance' : 'newest')) === s ? 'selected' : ''}>
            ${SORT_LABELS[s]}
          </option>`,
      )}
    </select>
    <noscript><button type="submit">Sort</button></noscript>
  </form>`;
}

export function listingBody(view: ListingView): Html {
  const { result, query, base } = view;
  const pages = Math.max(1, Math.ceil(result.total / result.limit));
  const first = (result.page - 1) * result.limit + 1;
  return html`<div class="listing">
    <div class="listing-head">
      <h1>${view.heading}</h1>
      <p class="muted" role="status">
        ${
          result.total === 0
            ? 'No products match.'
            : `${first}–${first + result.items.length - 1} of ${result.total} products`
        }
      </p>
      ${sortForm(view)}
    </div>
    ${facets(view)}
    <section class="results" aria-label="Products">
      ${
        result.items.length > 0
          ? productGrid(result.items)
          : html`<div class="empty">
              <p>Nothing matches${query.q ? html` “${query.q}”` : ''}. Try fewer words or other filters.</p>
              <p><a href="/search">See every product</a></p>
            </div>`
      }
      ${pagination(result.page, pages, (n) => listingHref(base, query, { page: n === 1 ? undefined : String(n) }))}
    </section>
  </div>`;
}

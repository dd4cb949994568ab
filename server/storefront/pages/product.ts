import type { CategoryNode, Product } from '../../../shared/api/catalog.schemas.js';
import type { ReviewList } from '../../../shared/api/reviews.schemas.js';
import { imageAtWidth, money, productCurrency, reviewStars, srcset, stars } from '../components.js';
import { html, type Html, jsonScript } from '../html.js';
import { absoluteUrl } from '../layout.js';

/** The variant shown first: the first one in stock, else the first. */
export function defaultVariant(p: Product): Product['variants'][number] | undefined {
  return p.variants.find((v) => v.inStock) ?? p.variants[0];
}

export function metaDescription(p: Product): string {
  const text = p.description.replace(/\s+/g, ' ').trim();
  if (!text) return `${p.name}: buy online.`;
  return text.length <= 160 ? text : `${text.slice(0, 157).replace(/\s+\S*$/, '')}…`;
}

/** schema.org Product with one Offer per variant and the aggregate rating (when there are reviews). */
export function productJsonLd(p: Product, publicUrl: string): Record<string, unknown> {
  const url = absoluteUrl(publicUrl, `/products/${encodeURIComponent(p.slug)}`);
  const currency = productCurrency(p);
  const cents = (n: number) => (n / 100).toFixed(2);
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.name,
    description: metaDescription(p),
    url,
    sku: p.variants[0]?.sku,
    image: p.images.map((i) => absoluteUrl(publicUrl, imageAtWidth(i.url, 1024))),
    offers: p.variants.map((v) => ({
      '@type': 'Offer',
      sku: v.sku,
      name: v.title,
      price: cents(v.priceCents),
      priceCurrency: currency,
      availability: v.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      url,
    })),
    ...(p.rating.count > 0
      ? { aggregateRating: { '@type': 'AggregateRating', ratingValue: p.rating.average, reviewCount: p.rating.count } }
      : {}),
  };
}

function gallery(p: Product): Html {
  const [first, ...rest] = p.images;
  if (!first) return html`<div class="gallery"><div class="no-image large" aria-hidden="true"></div></div>`;
  const sizes = '(min-width: 900px) 50vw, 100vw';
  return html`<div class="gallery" data-gallery>
    <img
      class="main-image"
      src="${imageAtWidth(first.url, 1024)}"
      srcset="${srcset(first.url)}"
      sizes="${sizes}"
      alt="${first.alt || p.name}"
      width="${first.width}"
      height="${first.height}"
      fetchpriority="high"
    />
    ${
      rest.length > 0
        ? html`<ul class="thumbs">
            ${p.images.map(
              (img, i) =>
                html`<li>
                  <button
                    type="button"
                    data-image="${imageAtWidth(img.url, 1024)}"
                    data-srcset="${srcset(img.url)}"
                    aria-label="Show image ${i + 1}"
                    aria-pressed="${i === 0}"
                  >
                    <img src="${imageAtWidth(img.url, 160)}" alt="${img.alt}" width="80" height="80" loading="lazy" />
                  </button>
                </li>`,
            )}
          </ul>`
        : ''
    }
  </div>`;
}

function stockLine(v: Product['variants'][number] | undefined): Html {
  if (!v || !v.inStock) return html`<p class="stock out" data-stock>Out of stock</p>`;
  if (v.available <= 5) return html`<p class="stock low" data-stock>Only ${v.available} left</p>`;
  return html`<p class="stock in" data-stock>In stock</p>`;
}

function buyForm(p: Product): Html {
  const selected = defaultVariant(p);
  const currency = productCurrency(p);
  const hasChoices = p.options.length > 0 && p.variants.length > 1;
  const variants = p.variants.map((v) => ({
    id: v.id,
    title: v.title,
    optionValues: v.optionValues,
    price: money(v.priceCents, currency),
    compareAt:
      v.compareAtPriceCents && v.compareAtPriceCents > v.priceCents ? money(v.compareAtPriceCents, currency) : null,
    available: v.available,
    inStock: v.inStock,
  }));
  return html`<form class="buy" data-buy-form novalidate>
    <p class="price-line">
      <span class="price" data-price>${selected ? money(selected.priceCents, currency) : ''}</span>
      <s
        class="compare-at"
        data-compare-at
        ${selected?.compareAtPriceCents && selected.compareAtPriceCents > selected.priceCents ? '' : 'hidden'}
        >${selected?.compareAtPriceCents ? money(selected.compareAtPriceCents, currency) : ''}</s
      >
    </p>
    ${
      hasChoices
        ? p.options.map(
            (o) =>
              html`<fieldset class="option">
                <legend>${o.name}</legend>
                ${o.values.map((value) => {
                  const id = `opt-${o.name}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_');
                  return html`<input
                      type="radio"
                      id="${id}"
                      name="option:${o.name}"
                      value="${value}"
                      ${selected?.optionValues[o.name] === value ? 'checked' : ''}
                    /><label for="${id}">${value}</label>`;
                })}
              </fieldset>`,
          )
        : ''
    }
    <input type="hidden" name="variantId" value="${selected?.id ?? ''}" />
    ${stockLine(selected)}
    <div class="buy-row">
      <label for="quantity">Quantity</label>
      <input id="quantity" name="quantity" type="number" inputmode="numeric" min="1" max="99" value="1" required />
      <button type="submit" class="primary" data-add-to-cart ${selected?.inStock ? '' : 'disabled'}>
        ${selected?.inStock ? 'Add to cart' : 'Out of stock'}
      </button>
    </div>
    <button type="button" class="link" data-wishlist="${p.id}">♡ Add to wishlist</button>
    <p class="form-error" role="alert" data-form-error hidden></p>
    ${jsonScript(variants, 'type="application/json" data-variants')}
  </form>`;
}

function reviewsSection(p: Product, reviews: ReviewList): Html {
  const { summary } = reviews;
  return html`<section class="reviews" id="reviews" aria-labelledby="reviews-heading">
    <h2 id="reviews-heading">Reviews</h2>
    <div class="rating-summary">
      ${stars(summary.average, summary.count)}
      ${
        summary.count > 0
          ? html`<ul class="distribution">
              ${(['5', '4', '3', '2', '1'] as const).map(
                (s) =>
                  html`<li>
                    <span>${s}★</span><meter min="0" max="${summary.count}" value="${summary.distribution[s]}"></meter
                    ><span>${summary.distribution[s]}</span>
                  </li>`,
              )}
            </ul>`
          : ''
      }
    </div>
    ${
      reviews.items.length > 0
        ? html`<ol class="review-list">
            ${reviews.items.map(
              (r) =>
                html`<li>
                  <article>
                    <h3>${r.title || `${r.rating} stars`}</h3>
                    <p class="muted">
                      ${reviewStars(r.rating)} by
                      ${r.authorName}${r.verifiedPurchase ? html` · <span class="verified">Verified purchase</span>` : ''}
                      · <time datetime="${r.createdAt}">${r.createdAt.slice(0, 10)}</time>
                    </p>
                    <p>${r.body}</p>
                  </article>
                </li>`,
            )}
          </ol>`
        : html`<p class="muted">Be the first to review this product.</p>`
    }
    <div data-review-form="${p.id}">
      <p><a href="/login?next=${encodeURIComponent(`/products/${p.slug}#reviews`)}">Sign in</a> to write a review.</p>
    </div>
  </section>`;
}

export function productBody(p: Product, reviews: ReviewList, trail: CategoryNode[]): Html {
  return html`<nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        <li><a href="/">Home</a></li>
        ${trail.map((c) => html`<li><a href="/categories/${encodeURIComponent(c.slug)}">${c.name}</a></li>`)}
        <li aria-current="page">${p.name}</li>
      </ol>
    </nav>
    <article class="product" data-product-id="${p.id}">
      ${gallery(p)}
      <div class="summary">
        <h1>${p.name}</h1>
        <p><a href="#reviews">${stars(p.rating.average, p.rating.count)}</a></p>
        ${buyForm(p)}
        <div class="description">
          ${p.description
            .split(/\n{2,}/)
            .filter((para) => para.trim())
            .map((para) => html`<p>${para}</p>`)}
        </div>
      </div>
    </article>
    ${reviewsSection(p, reviews)}`;
}

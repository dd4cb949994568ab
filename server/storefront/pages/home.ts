import type { CategoryNode, Product } from '../../../shared/api/catalog.schemas.js';
import { productGrid } from '../components.js';
import { html, type Html } from '../html.js';

export function homeBody(shopName: string, featured: Product[], newest: Product[], categories: CategoryNode[]): Html {
  return html`<section class="hero">
      <h1>${shopName}</h1>
      <p>Everything in stock ships the next working day.</p>
      <p><a class="button primary" href="/search">Shop all products</a></p>
    </section>
    ${
      categories.length > 0
        ? html`<section aria-labelledby="categories-heading">
            <h2 id="categories-heading">Shop by category</h2>
            <ul class="category-tiles">
              ${categories.map(
                (c) =>
                  html`<li>
                    <a href="/categories/${encodeURIComponent(c.slug)}"
                      ><span>${c.name}</span>${
                        c.children.length > 0
                          ? html`<small>${c.children.map((child) => child.name).join(' · ')}</small>`
                          : ''
                      }</a
                    >
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    ${
      featured.length > 0
        ? html`<section aria-labelledby="featured-heading">
            <h2 id="featured-heading">Best sellers</h2>
            ${productGrid(featured)}
          </section>`
        : ''
    }
    ${
      newest.length > 0
        ? html`<section aria-labelledby="new-heading">
            <h2 id="new-heading">New arrivals</h2>
            ${productGrid(newest)}
          </section>`
        : ''
    }`;
}

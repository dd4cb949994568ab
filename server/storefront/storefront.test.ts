import {
  type Document,
  type HTMLAnchorElement,
  type HTMLInputElement,
  type HTMLOptionElement,
  Window,
} from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SECRET_KEY } from '../modules/payments/payments.testkit.js';
import { createTestApp, registerCustomer, TEST_DB, userWithRole, type TestApp } from '../test/harness.js';

interface JsonLd {
  '@type': string;
  name: string;
  offers: unknown[];
  aggregateRating?: unknown;
}

let app: TestApp;
let staff: Record<string, string>;
const ids: Record<string, string> = {};
let kettle: { id: string; slug: string; variants: { id: string; sku: string }[] };

/** Parses a page the way a browser without JavaScript would see it. */
function parse(text: string): Document {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableCSSFileLoading: true } });
  window.document.write(text);
  return window.document;
}

async function getPage(url: string, status = 200) {
  const res = await app.request.get(url).expect(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  return { res, doc: parse(res.text) };
}

const texts = (doc: Document, selector: string) =>
  [...doc.querySelectorAll(selector)].map((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? '');
const meta = (doc: Document, selector: string) => doc.querySelector(selector)?.getAttribute('content');

async function product(body: Record<string, unknown>) {
  const res = await app.request.post('/api/v1/admin/products').set(staff).send(body).expect(201);
  return res.body as typeof kettle;
}

beforeAll(async () => {
  app = await createTestApp({ env: { PUBLIC_URL: 'https://shop.test', SHOP_NAME: 'Harbour Tea' } });
  staff = (await userWithRole(app, 'staff')).auth;
  const category = async (name: string, slug: string, parentId?: string) =>
    (
      (
        await app.request
          .post('/api/v1/admin/categories')
          .set(staff)
          .send({ name, slug, ...(parentId ? { parentId } : {}) })
          .expect(201)
      ).body as { id: string }
    ).id;
  ids.kitchen = await category('Kitchen', 'kitchen');
  ids.kettles = await category('Kettles', 'kettles', ids.kitchen);
  ids.garden = await category('Garden', 'garden');
  kettle = await product({
    name: 'Enamel Kettle',
    description: 'A stovetop kettle in enamelled steel.\n\nHolds 1.5 litres.',
    status: 'active',
    categoryIds: [ids.kettles],
    options: [{ name: 'Colour', values: ['Red', 'Blue'] }],
    variants: [
      { sku: 'KET-RED', priceCents: 3900, compareAtPriceCents: 4900, optionValues: { Colour: 'Red' }, initialStock: 0 },
      { sku: 'KET-BLUE', priceCents: 4100, optionValues: { Colour: 'Blue' }, initialStock: 3 },
    ],
  });
  await product({
    name: 'Cast Iron Pan',
    status: 'active',
    categoryIds: [ids.kitchen],
    variants: [{ sku: 'PAN-1', priceCents: 5500, initialStock: 9 }],
  });
  await product({
    name: 'Garden Hose',
    status: 'active',
    categoryIds: [ids.garden],
    variants: [{ sku: 'HOSE-1', priceCents: 2500, initialStock: 2 }],
  });
  await product({
    name: 'Secret Draft Kettle',
    status: 'draft',
    categoryIds: [ids.kettles],
    variants: [{ sku: 'DRAFT-1', priceCents: 100 }],
  });
  await product({
    name: 'Tricky </script><script>alert(1)</script> & "Co"',
    status: 'active',
    variants: [{ sku: 'TRICK-1', priceCents: 999, initialStock: 1 }],
  });
});
afterAll(() => app.close());

describe(`storefront product pages (${TEST_DB})`, () => {
  it('renders the product, its variants and prices, complete without JavaScript', async () => {
    const { res, doc } = await getPage(`/products/${kettle.slug}`);
    expect(doc.querySelector('h1')?.textContent).toBe('Enamel Kettle');
    expect(doc.title).toBe('Enamel Kettle · Harbour Tea');
    // The first variant in stock is the one shown: Blue, $41.00.
    expect(doc.querySelector('[data-price]')?.textContent).toBe('$41.00');
    expect(doc.querySelector<HTMLInputElement>('input[name=variantId]')?.value).toBe(kettle.variants[1]!.id);
    expect(texts(doc, '.option label')).toEqual(['Red', 'Blue']);
    expect(doc.querySelector<HTMLInputElement>('input[value=Blue]')?.hasAttribute('checked')).toBe(true);
    expect(doc.querySelector('[data-stock]')?.textContent).toMatch(/Only 3 left/);
    expect(texts(doc, '.description p')).toEqual(['A stovetop kettle in enamelled steel.', 'Holds 1.5 litres.']);
    const variants = JSON.parse(doc.querySelector('script[data-variants]')!.textContent) as {
      inStock: boolean;
      price: string;
    }[];
    expect(variants.map((v) => [v.price, v.inStock])).toEqual([
      ['$39.00', false],
      ['$41.00', true],
    ]);
    expect(texts(doc, '.breadcrumbs li')).toEqual(['Home', 'Kitchen', 'Kettles', 'Enamel Kettle']);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  });

  it('carries title, description, canonical, Open Graph and schema.org Product JSON-LD', async () => {
    const { doc } = await getPage(`/products/${kettle.slug}`);
    expect(meta(doc, 'meta[name=description]')).toBe('A stovetop kettle in enamelled steel. Holds 1.5 litres.');
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      `https://shop.test/products/${kettle.slug}`,
    );
    expect(meta(doc, 'meta[property="og:type"]')).toBe('product');
    expect(meta(doc, 'meta[property="og:title"]')).toBe('Enamel Kettle');
    expect(meta(doc, 'meta[property="og:url"]')).toBe(`https://shop.test/products/${kettle.slug}`);
    const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent) as JsonLd;
    expect(ld['@type']).toBe('Product');
    expect(ld.name).toBe('Enamel Kettle');
    expect(ld.offers).toEqual([
      expect.objectContaining({
        sku: 'KET-RED',
        price: '39.00',
        priceCurrency: 'USD',
        availability: 'https://schema.org/OutOfStock',
      }),
      expect.objectContaining({
        sku: 'KET-BLUE',
        price: '41.00',
        priceCurrency: 'USD',
        availability: 'https://schema.org/InStock',
      }),
    ]);
    expect(ld.aggregateRating).toBeUndefined();
  });

  it('shows approved reviews only, and adds the aggregate rating to the JSON-LD', async () => {
    const shopper = await registerCustomer(app, { name: 'Ada' });
    const review = await app.request
      .post(`/api/v1/products/${kettle.id}/reviews`)
      .set('Authorization', `Bearer ${shopper.accessToken}`)
      .send({ rating: 4, title: 'Boils fast', body: 'Whistles <loudly>.' })
      .expect(201);
    let { doc } = await getPage(`/products/${kettle.slug}`);
    expect(texts(doc, '.review-list h3')).toEqual([]);
    await app.request
      .patch(`/api/v1/admin/reviews/${review.body.id}`)
      .set(staff)
      .send({ status: 'approved' })
      .expect(200);
    ({ doc } = await getPage(`/products/${kettle.slug}`));
    expect(texts(doc, '.review-list h3')).toEqual(['Boils fast']);
    expect(texts(doc, '.review-list article > p:last-child')).toEqual(['Whistles <loudly>.']);
    // A review shows its own stars, not a review count.
    expect(doc.querySelector('.review-list .rating')?.getAttribute('title')).toBe('4 out of 5');
    expect(doc.querySelector('.review-list .muted')?.textContent).not.toMatch(/\(1 review\)/);
    const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent) as JsonLd;
    expect(ld.aggregateRating).toEqual({ '@type': 'AggregateRating', ratingValue: 4, reviewCount: 1 });
  });

  it('escapes catalog text everywhere, including inside the JSON-LD block', async () => {
    const res = await app.request.get('/api/v1/products?q=tricky').expect(200);
    const slug = (res.body.items as { slug: string }[])[0]!.slug;
    const { res: page, doc } = await getPage(`/products/${slug}`);
    expect(doc.querySelector('h1')?.textContent).toBe('Tricky </script><script>alert(1)</script> & "Co"');
    // Only our own scripts: the module script, the JSON-LD, the variants data and no injected one.
    expect(page.text.match(/<script/g)?.length).toBe(3);
    const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent) as { name: string };
    expect(ld.name).toBe('Tricky </script><script>alert(1)</script> & "Co"');
  });

  it('answers the 404 page for unknown and draft products, and redirects an id to the slug', async () => {
    for (const slug of ['no-such-thing', 'secret-draft-kettle']) {
      const { doc } = await getPage(`/products/${slug}`, 404);
      expect(doc.querySelector('h1')?.textContent).toBe('We could not find that product');
      expect(meta(doc, 'meta[name=robots]')).toBe('noindex');
    }
    const res = await app.request.get(`/products/${kettle.id}`).expect(301);
    expect(res.headers.location).toBe(`/products/${kettle.slug}`);
  });
});

describe(`storefront listings (${TEST_DB})`, () => {
  const names = (doc: Document) => texts(doc, '.grid .name');

  it('searches with the API query words, and facets narrow the results', async () => {
    let { doc } = await getPage('/search?q=kettle');
    expect(names(doc)).toEqual(['Enamel Kettle']);
    expect(doc.querySelector<HTMLInputElement>('#site-search')?.value).toBe('kettle');
    ({ doc } = await getPage('/search'));
    expect(names(doc).sort()).toEqual([
      'Cast Iron Pan',
      'Enamel Kettle',
      'Garden Hose',
      'Tricky </script><script>alert(1)</script> & "Co"',
    ]);
    const facet = [...doc.querySelectorAll<HTMLAnchorElement>('.facets a')].find((a) =>
      a.textContent?.startsWith('Garden'),
    );
    expect(facet?.textContent).toMatch(/Garden\s+1/);
    ({ doc } = await getPage(facet!.getAttribute('href')!));
    expect(names(doc)).toEqual(['Garden Hose']);
    ({ doc } = await getPage('/search?inStock=true&sort=price_desc'));
    expect(names(doc)).toEqual(['Cast Iron Pan', 'Enamel Kettle', 'Garden Hose', expect.stringMatching(/^Tricky/)]);
    expect(doc.querySelector<HTMLOptionElement>('#sort option[selected]')?.value).toBe('price_desc');
  });

  it('lists a category with its sub-categories, never drafts, and 404s an unknown category', async () => {
    const { doc } = await getPage('/categories/kitchen');
    expect(names(doc).sort()).toEqual(['Cast Iron Pan', 'Enamel Kettle']);
    expect(doc.querySelector('h1')?.textContent).toBe('Kitchen');
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('https://shop.test/categories/kitchen');
    expect(meta(doc, 'meta[name=robots]')).toBeUndefined();
    await getPage('/categories/nowhere', 404);
  });

  it('renders odd search text safely and ignores parameters that do not parse', async () => {
    const q = `<img src=x onerror=alert(1)>"' & (a|b):* %`;
    const { res, doc } = await getPage(`/search?q=${encodeURIComponent(q)}&minPrice=abc&page=-3&sort=bogus`);
    expect(res.text).not.toContain('<img src=x');
    expect(doc.querySelector('h1')?.textContent).toBe(`Results for “${q}”`);
    expect(doc.querySelector<HTMLInputElement>('#site-search')?.value).toBe(q);
    expect(doc.querySelector('.empty')?.textContent).toMatch(/Nothing matches/);
  });

  it('paginates with links that keep the filters', async () => {
    const first = await app.request.get('/api/v1/products?limit=1').expect(200);
    expect(first.body.total).toBeGreaterThan(1);
    // The storefront shows 24 a page; 30 more products make two pages.
    for (let i = 0; i < 30; i++)
      await product({
        name: `Mug ${i}`,
        status: 'active',
        categoryIds: [ids.kitchen],
        variants: [{ sku: `MUG-${i}`, priceCents: 900 + i, initialStock: 1 }],
      });
    const { doc } = await getPage('/categories/kitchen?sort=price_asc');
    expect(names(doc)).toHaveLength(24);
    const next = doc.querySelector('.pagination a[rel=next]')?.getAttribute('href');
    expect(next).toBe('/categories/kitchen?sort=price_asc&page=2');
    const second = await getPage(next!);
    expect(names(second.doc)).toEqual([
      'Mug 24',
      'Mug 25',
      'Mug 26',
      'Mug 27',
      'Mug 28',
      'Mug 29',
      'Enamel Kettle',
      'Cast Iron Pan',
    ]);
    expect(second.doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      'https://shop.test/categories/kitchen?page=2',
    );
  });
});

describe(`storefront caching, SEO files and 404s (${TEST_DB})`, () => {
  it('gives catalog pages an ETag that answers 304 until the catalog changes', async () => {
    const url = `/products/${kettle.slug}`;
    const first = await app.request.get(url).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    const again = await app.request.get(url).set('If-None-Match', etag);
    expect([200, 304]).toContain(again.status); // 200 only when the cache window rolled over in between
    await app.request
      .patch(`/api/v1/admin/products/${kettle.id}`)
      .set(staff)
      .send({ name: 'Enamel Kettle Deluxe' })
      .expect(200);
    const changed = await app.request.get(url).set('If-None-Match', etag).expect(200);
    expect(changed.headers['content-type']).toMatch(/^text\/html/);
    expect(parse(changed.text).querySelector('h1')?.textContent).toBe('Enamel Kettle Deluxe');
  });

  it('serves robots.txt and a sitemap index of active products only', async () => {
    const robots = await app.request.get('/robots.txt').expect(200);
    expect(robots.text).toContain('Sitemap: https://shop.test/sitemap.xml');
    expect(robots.text).toContain('Disallow: /checkout');
    const index = await app.request.get('/sitemap.xml').expect(200);
    expect(index.headers['content-type']).toMatch(/xml/);
    expect(index.text).toContain('<loc>https://shop.test/sitemaps/products-1.xml</loc>');
    const products = await app.request.get('/sitemaps/products-1.xml').expect(200);
    expect(products.text).toContain(`<loc>https://shop.test/products/${kettle.slug}</loc>`);
    expect(products.text).not.toContain('secret-draft-kettle');
    const pages = await app.request.get('/sitemaps/pages.xml').expect(200);
    expect(pages.text).toContain('<loc>https://shop.test/categories/kettles</loc>');
    await app.request.get('/sitemaps/products-99.xml').expect(404);
  });

  it('answers unknown pages with the 404 page, and unknown API paths with problem+json', async () => {
    const { doc } = await getPage('/no/such/page', 404);
    expect(doc.querySelector('h1')?.textContent).toBe('We could not find that page');
    const api = await app.request.get('/api/v1/nothing-here').expect(404);
    expect(api.headers['content-type']).toMatch(/application\/problem\+json/);
    const post = await app.request.post('/no/such/page').send({}).expect(404);
    expect(post.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('serves the hashed browser script for good, and the shopper pages as uncached shells', async () => {
    const { res, doc } = await getPage('/cart');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(meta(doc, 'meta[name=robots]')).toBe('noindex');
    expect(JSON.parse(doc.querySelector('#shop-config')!.textContent)).toMatchObject({
      page: 'cart',
      paymentProvider: 'test',
    });
    const script = doc.querySelector('script[type=module]')!.getAttribute('src')!;
    expect(script).toMatch(/^\/assets\/store\.[\w-]{12}\.js$/);
    const js = await app.request.get(script).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    await getPage('/assets/store.nothing.js', 404);
  });

  it('has a page for the link in the password reset e-mail', async () => {
    await app.request
      .post('/api/v1/auth/password-reset')
      .send({ email: (await registerCustomer(app)).user.email })
      .expect(202);
    await app.flushOutbox();
    const link = /https:\/\/shop\.test(\/reset-password\?token=[^\s"<]+)/.exec(app.mail.sent.at(-1)!.text)?.[1];
    expect(link).toBeDefined();
    const { doc } = await getPage(link!);
    expect(doc.querySelector('label[for=reset-password]')?.textContent).toContain('New password');
    const forgot = await getPage('/forgot-password');
    expect(forgot.doc.querySelector('form[data-forgot-password-form] label')?.textContent).toContain('Email');
    const login = await getPage('/login');
    expect(login.doc.querySelector('a[href="/forgot-password"]')).not.toBeNull();
  });
});

describe(`storefront with Stripe configured (${TEST_DB})`, () => {
  it('hands the checkout page the publishable key and lets Stripe.js into the CSP', async () => {
    const stripeApp = await createTestApp({
      database: app.database,
      env: {
        STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: 'whsec_test',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_shop',
      },
    });
    try {
      const res = await stripeApp.request.get('/checkout').expect(200);
      const doc = parse(res.text);
      expect(JSON.parse(doc.querySelector('#shop-config')!.textContent)).toMatchObject({
        page: 'checkout',
        paymentProvider: 'stripe',
        stripePublishableKey: 'pk_test_shop',
      });
      expect(res.headers['content-security-policy']).toContain('https://js.stripe.com');
      // The secret key never reaches a page.
      expect(res.text).not.toContain(FAKE_SECRET_KEY);
      const product = await stripeApp.request.get(`/products/${kettle.slug}`).expect(200);
      expect(product.text).not.toContain('pk_test_shop');
    } finally {
      await stripeApp.close({ keepDatabase: true });
    }
  });
});

import { Router, type Request, type Response } from 'express';
import type { CategoryNode } from '../../shared/api/catalog.schemas.js';
import type { ReviewList } from '../../shared/api/reviews.schemas.js';
import type { AppContext } from '../context.js';
import { catalogCache } from '../modules/catalog/cache.js';
import { categoryTree } from '../modules/catalog/categories.service.js';
import { loadPublicProduct } from '../modules/catalog/product-view.js';
import { searchProducts } from '../modules/catalog/search.service.js';
import { listProductReviews } from '../modules/reviews/reviews.service.js';
import { storeAssets } from './assets.js';
import { imageAtWidth } from './components.js';
import type { Html } from './html.js';
import { page, type PageMeta, type ShopFrame } from './layout.js';
import { homeBody } from './pages/home.js';
import { listingBody, listingHref, listingQuery } from './pages/listing.js';
import { notFoundBody } from './pages/not-found.js';
import { metaDescription, productBody, productJsonLd } from './pages/product.js';
import { shellBody, SHELL_PAGES } from './pages/shells.js';
import { robotsTxt, sitemapIndex, sitemapPages, sitemapProducts } from './seo.js';
import { storefrontCsp } from './csp.js';

const NO_REVIEWS: ReviewList = {
  items: [],
  page: 1,
  limit: 10,
  total: 0,
  summary: { average: 0, count: 0, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } },
};

/** Paths the storefront never answers: the API and media keep their own 404s (problem+json). */
const NOT_STOREFRONT = /^\/(?:api|media)(?:\/|$)/;

/** The path from a root category down to the first one `match` accepts (undefined: none). */
function categoryTrail(
  nodes: CategoryNode[],
  match: (c: CategoryNode) => boolean,
  trail: CategoryNode[] = [],
): CategoryNode[] | undefined {
  for (const node of nodes) {
    if (match(node)) return [...trail, node];
    const found = categoryTrail(node.children, match, [...trail, node]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The storefront at `/`: catalog and product pages rendered here from the same services as the
 * public API (same rules, same prices); cart, checkout and account pages are shells the browser
 * script fills from the API with the shopper's own tokens. Catalog pages carry the catalog's
 * ETag (they depend only on the catalog and the URL) and answer 304.
 */
export function storefrontRouter(ctx: AppContext): Router {
  const router = Router();
  const { db, config } = ctx;
  const publicUrl = config.PUBLIC_URL;
  const shopName = config.SHOP_NAME;
  const cached = catalogCache(ctx.catalog);
  const stripeKey = ctx.payments.provider.name === 'stripe' ? config.STRIPE_PUBLISHABLE_KEY : undefined;
  const csp = storefrontCsp({ stripe: stripeKey !== undefined });

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    next();
  });

  // Every page shows the category tree: read once per catalog state, not once per request.
  let tree: { state: string; nodes: Promise<CategoryNode[]> } | undefined;
  function categories(res: Response): Promise<CategoryNode[]> {
    const state = res.locals.catalogState as string | undefined;
    if (state === undefined) return categoryTree(db);
    if (tree?.state !== state) {
      const nodes = categoryTree(db);
      const entry = { state, nodes };
      tree = entry;
      nodes.catch(() => {
        if (tree === entry) tree = undefined;
      });
    }
    return tree.nodes;
  }

  async function frame(res: Response, extra?: Record<string, unknown>): Promise<ShopFrame> {
    const [assets, nodes] = await Promise.all([storeAssets(), categories(res)]);
    return { shopName, publicUrl, categories: nodes, assets, ...(extra ? { config: extra } : {}) };
  }

  async function send(
    res: Response,
    meta: PageMeta,
    body: (f: ShopFrame) => Html,
    options: { status?: number; query?: string; config?: Record<string, unknown> } = {},
  ) {
    const f = await frame(res, options.config);
    res.status(options.status ?? 200);
    res.type('html').send(page(f, meta, body(f), options.query));
  }

  const notFound = (res: Response, what?: string) =>
    send(res, { title: 'Not found', noindex: true }, () => notFoundBody(what), { status: 404 });

  router.get('/assets/:name', async (req, res, next) => {
    const file = (await storeAssets()).files.get(req.params.name);
    if (!file) return next();
    // The name carries the content hash: a changed file is a new URL.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(file.type).send(file.body);
  });

  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').send(robotsTxt(publicUrl));
  });
  router.get('/sitemap.xml', cached, async (_req, res) => {
    res.type('application/xml').send(await sitemapIndex(db, publicUrl));
  });
  router.get('/sitemaps/pages.xml', cached, async (_req, res) => {
    res.type('application/xml').send(await sitemapPages(db, publicUrl));
  });
  router.get(/^\/sitemaps\/products-([1-9][0-9]{0,4})\.xml$/, cached, async (req, res, next) => {
    const body = await sitemapProducts(db, publicUrl, Number(req.params[0]));
    if (body === undefined) return next();
    res.type('application/xml').send(body);
  });

  router.get('/', cached, async (_req, res) => {
    const base = { page: 1, limit: 8 } as const;
    const featured = await searchProducts(db, { ...base, sort: 'bestselling' }, res.locals.catalogState as string);
    const newest = await searchProducts(db, { ...base, sort: 'newest' }, res.locals.catalogState as string);
    await send(res, { title: '', description: `${shopName}: shop our catalog online.`, canonical: '/' }, (f) =>
      homeBody(shopName, featured.items, newest.items, f.categories),
    );
  });

  async function listing(req: Request, res: Response, category?: CategoryNode[]) {
    const base = category ? `/categories/${encodeURIComponent(category.at(-1)!.slug)}` : '/search';
    const query = listingQuery(req.query, category?.at(-1)!.slug);
    const result = await searchProducts(db, query, res.locals.catalogState as string);
    const node = category?.at(-1);
    const heading = node ? node.name : query.q ? `Results for “${query.q}”` : 'All products';
    const pageSuffix = query.page > 1 ? ` (page ${query.page})` : '';
    await send(
      res,
      {
        title: heading + pageSuffix,
        description: node?.description || `${heading} at ${shopName}.`,
        // Category pages are indexable at their own URL; searches and filtered views are not.
        canonical: listingHref(
          base,
          {
            ...query,
            sort: undefined,
            inStock: undefined,
            minPrice: undefined,
            maxPrice: undefined,
            minRating: undefined,
            q: node ? undefined : query.q,
          },
          query.page > 1 ? { page: String(query.page) } : {},
        ),
        noindex: !node || query.q !== undefined,
      },
      () =>
        listingBody({
          heading,
          base,
          query,
          result,
          currency: result.items[0]?.variants[0]?.currency ?? 'USD',
          ...(node ? { category: node } : {}),
        }),
      { query: query.q ?? '' },
    );
  }

  router.get('/search', cached, (req, res) => listing(req, res));
  router.get('/categories/:slug', cached, async (req, res) => {
    const trail = categoryTrail(await categories(res), (c) => c.slug === req.params.slug);
    if (!trail) return notFound(res, 'category');
    return listing(req, res, trail);
  });

  router.get('/products/:slug', cached, async (req, res) => {
    const slug = String(req.params.slug);
    const product = await loadPublicProduct(db, slug);
    if (!product) return notFound(res, 'product');
    // Reached by id or an old slug: send the browser (and search engines) to the one true URL.
    if (product.slug !== slug) return res.redirect(301, `/products/${encodeURIComponent(product.slug)}`);
    // Most products have no approved review yet; the product's own rating count says so (kept in the
    // transaction that approves one), and skipping three queries doubles the page's throughput.
    const reviews =
      product.rating.count > 0
        ? await listProductReviews(db, product.id, { page: 1, limit: 10, sort: 'newest' })
        : NO_REVIEWS;
    const nodes = await categories(res);
    const trail =
      product.categoryIds.length > 0 ? (categoryTrail(nodes, (c) => c.id === product.categoryIds[0]) ?? []) : [];
    const image = product.images[0];
    await send(
      res,
      {
        title: product.name,
        description: metaDescription(product),
        canonical: `/products/${encodeURIComponent(product.slug)}`,
        og: { type: 'product', ...(image ? { image: imageAtWidth(image.url, 1024) } : {}) },
        jsonLd: productJsonLd(product, publicUrl),
      },
      () => productBody(product, reviews, trail),
    );
  });

  for (const [path, shell] of Object.entries(SHELL_PAGES)) {
    router.get(path, async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      await send(res, { title: shell.title, noindex: true }, () => shellBody(shell), {
        config: {
          page: shell.page,
          paymentProvider: ctx.payments.provider.name,
          ...(stripeKey ? { stripePublishableKey: stripeKey } : {}),
        },
      });
    });
  }

  // Anything else a browser asks for is the shop's 404 page, with status 404.
  router.use(async (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_STOREFRONT.test(req.path)) return next();
    await notFound(res);
  });
  return router;
}

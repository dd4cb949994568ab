/**
 * Read queries the host's handlers serve from the local store: the product list (filters, sort,
 * paging), product search (FTS5, prefix per word, exact SKU first) and the low-stock list.
 * Inputs are checked with zod (a bad one is `validation_failed`); every statement is prepared once
 * per store and filter shape, values always travel as parameters.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors.js';
import { PRODUCT_STOCK_STATES, type ProductStockState } from './schema.js';
import type { Store } from './store.js';

export const PRODUCT_SORTS = [
  'name',
  '-name',
  'updated',
  '-updated',
  'price',
  '-price',
  'available',
  '-available',
] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

const ORDER_BY: Record<ProductSort, string> = {
  name: 'p.name COLLATE NOCASE ASC, p.id ASC',
  '-name': 'p.name COLLATE NOCASE DESC, p.id DESC',
  updated: 'p.updated_at ASC, p.id ASC',
  '-updated': 'p.updated_at DESC, p.id DESC',
  price: 'p.price_min_cents ASC NULLS LAST, p.id ASC',
  '-price': 'p.price_min_cents DESC NULLS LAST, p.id DESC',
  available: 'p.available ASC, p.id ASC',
  '-available': 'p.available DESC, p.id DESC',
};

const limitField = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

export const productListQuery = z.strictObject({
  categoryId: z.string().min(1).optional(),
  status: z.enum(['draft', 'active', 'archived']).optional(),
  stockState: z.enum(PRODUCT_STOCK_STATES).optional(),
  sort: z.enum(PRODUCT_SORTS).default('name'),
  limit: limitField(200, 50),
  offset: z.number().int().min(0).default(0),
});
export type ProductListQuery = z.input<typeof productListQuery>;

export const productSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  status: z.enum(['draft', 'active', 'archived']).optional(),
  limit: limitField(100, 20),
});
export type ProductSearchQuery = z.input<typeof productSearchQuery>;

export const lowStockQuery = z.strictObject({
  limit: limitField(500, 100),
  offset: z.number().int().min(0).default(0),
});
export type LowStockQuery = z.input<typeof lowStockQuery>;

/** Totals stop counting here (the UI shows "1,000+"): a count must not cost more than the page. */
export const TOTAL_CAP = 1000;

export interface ListPage<T> {
  items: T[];
  total: number;
  /** True when there are more than `total` (= TOTAL_CAP) matches. */
  totalCapped: boolean;
}

const capped = (count: number) => ({ total: Math.min(count, TOTAL_CAP), totalCapped: count > TOTAL_CAP });

export interface ProductListItem {
  id: string;
  name: string;
  slug: string;
  status: string;
  variantCount: number;
  priceMinCents: number | null;
  priceMaxCents: number | null;
  onHand: number;
  available: number;
  stockState: ProductStockState;
  currency: string | null;
  updatedAt: string | null;
  version: number;
}

const ITEM_COLUMNS = `p.id, p.name, p.slug, p.status, p.variant_count AS variantCount, p.price_min_cents AS priceMinCents,
  p.price_max_cents AS priceMaxCents, p.on_hand AS onHand, p.available, p.stock_state AS stockState, p.currency,
  p.updated_at AS updatedAt, p.version`;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', 'invalid query', {
    errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

export function listProducts(store: Store, input: ProductListQuery = {}): ListPage<ProductListItem> {
  const query = parse(productListQuery, input);
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.categoryId !== undefined) params.categoryId = query.categoryId;
  if (query.status !== undefined) {
    conditions.push('p.status = @status');
    params.status = query.status;
  }
  if (query.stockState !== undefined) {
    conditions.push('p.stock_state = @stockState');
    params.stockState = query.stockState;
  }
  const byCategory = query.categoryId !== undefined;
  const where = (extra: string[]) => {
    const all = [...extra, ...conditions];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  };
  const shape = `${byCategory}|${conditions.join('|')}|${query.sort}`;
  // A category means it and everything under it, as on the storefront.
  const subtree = byCategory
    ? `WITH RECURSIVE subtree(id) AS (SELECT @categoryId UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id) `
    : '';
  const statements = store.cached(`products:list:${shape}`, () => ({
    // The page probes the categories per row, so the planner walks the sort's index and stops at the page;
    // the count starts from the categories' links instead (a product in two of them counts once).
    page: store.sqlite.prepare(
      `${subtree}SELECT ${ITEM_COLUMNS} FROM products p
       ${where(byCategory ? ['EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id IN subtree)'] : [])}
       ORDER BY ${ORDER_BY[query.sort]} LIMIT @limit OFFSET @offset`,
    ),
    count: store.sqlite
      .prepare(
        byCategory
          ? `${subtree}SELECT count(*) FROM (SELECT DISTINCT pc.product_id FROM product_categories pc
             JOIN products p ON p.id = pc.product_id ${where(['pc.category_id IN subtree'])} LIMIT ${TOTAL_CAP + 1})`
          : `SELECT count(*) FROM (SELECT 1 FROM products p ${where([])} LIMIT ${TOTAL_CAP + 1})`,
      )
      .pluck(),
  }));
  return {
    items: statements.page.all({ ...params, limit: query.limit, offset: query.offset }) as ProductListItem[],
    ...capped(statements.count.get(params) as number),
  };
}

/**
 * The FTS5 query for what a person typed: each whitespace-separated word becomes a quoted phrase
 * of its tokens (letters and digits, split as the index splits them, so "HOOD-BLK-M" stays one
 * phrase) matched as a prefix; all words are required. Null when nothing searchable remains.
 */
export function ftsQuery(text: string): string | null {
  const phrases = text
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/)
    .map((word) => (word.match(/[\p{L}\p{N}]+/gu) ?? []).join(' '))
    .filter((phrase) => phrase.length > 0)
    .slice(0, 8);
  return phrases.length === 0 ? null : phrases.map((p) => `"${p}"*`).join(' ');
}

export type SearchHit = ProductListItem & { score: number };

/** Below this many characters a word's prefix matches too much of the catalog for ranking to pay (see searchProducts). */
const RANKED_PREFIX_MIN = 3;
/**
 * Past this many matches a search is not ranked either: bm25 scores every match before the page
 * is cut, and a common prefix ("kak" over 100k products) matches tens of thousands (45-65 ms in
 * bench:backoffice), while finding whether there are more than this many stops early.
 */
export const RANKED_MATCHES_MAX = 2000;

/**
 * Product search. An exact SKU (case-insensitive) answers with its product alone. Otherwise FTS5
 * finds products whose name, SKUs, description or tags contain every word as a prefix, ranked by
 * bm25 with name and SKU weighing most; only the page's rows are joined to products. When a word
 * is shorter than RANKED_PREFIX_MIN ("ka"), or the words match more than RANKED_MATCHES_MAX
 * products, ranking every match would cost tens of ms at 100k products for little meaning, so
 * name/SKU matches come first, newest first, then the rest.
 * With a status filter the ranked page is over-fetched and, if that leaves it short, redone
 * with the filter inside the match.
 */
export function searchProducts(store: Store, input: ProductSearchQuery): SearchHit[] {
  const query = parse(productSearchQuery, input);
  const match = ftsQuery(query.q);
  if (match === null) return [];
  const st = store.cached('products:search', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const join = (inner: string, order: string) =>
      q(`SELECT ${ITEM_COLUMNS}, f.score FROM (${inner}) f JOIN products p ON p.rid = f.rowid
         WHERE @status IS NULL OR p.status = @status ORDER BY ${order} LIMIT @limit`);
    return {
      sku: q(
        `SELECT ${ITEM_COLUMNS}, -1e9 AS score FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.sku = @sku COLLATE NOCASE AND (@status IS NULL OR p.status = @status) LIMIT @limit`,
      ),
      ranked: join(
        `SELECT rowid, bm25(products_fts, 10.0, 8.0, 1.0, 3.0) AS score FROM products_fts
         WHERE products_fts MATCH @match ORDER BY score LIMIT @inner`,
        'f.score',
      ),
      rankedFiltered: q(
        `SELECT ${ITEM_COLUMNS}, bm25(products_fts, 10.0, 8.0, 1.0, 3.0) AS score
         FROM products_fts JOIN products p ON p.rid = products_fts.rowid
         WHERE products_fts MATCH @match AND p.status = @status ORDER BY score LIMIT @limit`,
      ),
      matches: q(
        `SELECT count(*) FROM (SELECT rowid FROM products_fts WHERE products_fts MATCH @match LIMIT ${RANKED_MATCHES_MAX + 1})`,
      ).pluck(),
      unranked: join(
        'SELECT rowid, 0 AS score FROM products_fts WHERE products_fts MATCH @match ORDER BY rowid DESC LIMIT @inner',
        'p.rid DESC',
      ),
    };
  });
  const status = query.status ?? null;
  const limit = query.limit;
  const exact = st.sku.all({ sku: query.q, status, limit }) as SearchHit[];
  if (exact.length > 0) return exact;

  const inner = status === null ? limit : limit * 5;
  const words = match.split(' "');
  const short = words.some((w) => (w.replace(/["*]/g, '').split(' ').pop() ?? '').length < RANKED_PREFIX_MIN);
  if (!short && (st.matches.get({ match }) as number) <= RANKED_MATCHES_MAX) {
    const hits = st.ranked.all({ match, status, limit, inner }) as SearchHit[];
    if (status === null || hits.length === limit) return hits;
    return st.rankedFiltered.all({ match, status, limit }) as SearchHit[];
  }
  const items = st.unranked.all({ match: `{name skus} : (${match})`, status, limit, inner }) as SearchHit[];
  if (items.length < limit) {
    const seen = new Set(items.map((i) => i.id));
    for (const hit of st.unranked.all({ match, status, limit, inner }) as SearchHit[]) {
      if (items.length === limit) break;
      if (!seen.has(hit.id)) items.push(hit);
    }
  }
  return items;
}

export interface LowStockItem {
  variantId: string;
  sku: string;
  title: string;
  productId: string;
  productName: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
}

/**
 * `INDEXED BY name` while the index exists; nothing while a first download has dropped it
 * (first-download.ts), when the query still answers, only slower. A statement built with a hint
 * is cached under the hint, so the one prepared in either state stays valid in it.
 */
export function indexedBy(store: Store, name: string): string {
  const exists = store.cached('sqlite:index-exists', () =>
    store.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").pluck(),
  );
  return exists.get(name) === 1 ? `INDEXED BY ${name}` : '';
}

/** Variants of non-archived products whose available stock is at or below their threshold, emptiest first. */
export function lowStock(store: Store, input: LowStockQuery = {}): ListPage<LowStockItem> {
  const query = parse(lowStockQuery, input);
  // The WHERE repeats variants_low_stock_idx's own condition, so that partial index (ordered by
  // available, sku) serves both the filter and the order.
  // The product side needs only its status: the covering index saves a row read per variant.
  const hint = indexedBy(store, 'products_id_filter_idx');
  const from = `FROM variants v JOIN products p ${hint} ON p.id = v.product_id
    WHERE v.on_hand - v.reserved <= v.low_stock_threshold AND p.status <> 'archived'`;
  const st = store.cached(`variants:low-stock:${hint}`, () => ({
    page: store.sqlite.prepare(
      `SELECT v.id AS variantId, v.sku, v.title, p.id AS productId, p.name AS productName, v.on_hand AS onHand,
         v.reserved, v.on_hand - v.reserved AS available, v.low_stock_threshold AS lowStockThreshold
       ${from} ORDER BY v.on_hand - v.reserved ASC, v.sku ASC LIMIT ? OFFSET ?`,
    ),
    count: store.sqlite.prepare(`SELECT count(*) FROM (SELECT 1 ${from} LIMIT ${TOTAL_CAP + 1})`).pluck(),
  }));
  return {
    items: st.page.all(query.limit, query.offset) as LowStockItem[],
    ...capped(st.count.get() as number),
  };
}

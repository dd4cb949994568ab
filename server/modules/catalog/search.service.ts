import { sql, type SQL } from 'drizzle-orm';
import type { Product, ProductSearchQuery } from '../../../shared/api/catalog.schemas.js';
import type { DbOrTx } from '../../db/client.js';
import { categories, products, searchTerms, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { catalogState } from './cache.js';
import { categoryWithDescendants } from './categories.service.js';
import { loadProducts } from './product-view.js';
import { perDatabase } from './state-caches.js';
import {
  effectiveSort,
  pageOffset,
  MAX_CORRECTIONS,
  RANK_WEIGHTS,
  searchWords,
  trigramText,
  typoTolerant,
  wordTsQuery,
  type SearchSort,
} from './search-query.js';

export interface SearchFacets {
  categories: { slug: string; name: string; count: number }[];
  price: { min: number | null; max: number | null };
  inStock: number;
}

export interface SearchResult {
  items: Product[];
  page: number;
  limit: number;
  total: number;
  facets: SearchFacets;
}

/** A search reduced to SQL-ready parts; built once, used by the page and the facet queries. */
export interface SearchPlan {
  /**
   * Undefined: no text search. `words` may be empty when the text had nothing searchable.
   * `wordQueries[i]` is the tsquery one word must match: its prefix, or its dictionary
   * corrections when it is a typo. `anyTsquery` is any of them (for ranking); `bestTsquery`, set
   * when a word was corrected, is the same with only each word's closest correction, so products
   * with the likeliest spelling rank first.
   */
  text?: { words: string[]; wordQueries: string[]; anyTsquery: string; bestTsquery?: string; trigram: string };
  /** Undefined: every category. */
  categoryIds?: string[];
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  minRating?: number;
  sort: SearchSort;
  page: number;
  limit: number;
}

/** Typo corrections by search word: the dictionary words a misspelt word stands for. */
export type Corrections = ReadonlyMap<string, readonly string[]>;

const uuidArray = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;

const tsQuery = (tsquery: string) => sql`to_tsquery('simple', ${tsquery})`;

/**
 * Text matches: every word matches its query (so "dark cofee" still finds "Coffee Beans Dark
 * Roast"), or a SKU is trigram-similar to the whole text. Every word goes through the
 * search_document GIN index, typos included (they were turned into real words beforehand, see
 * `typoCorrections`). The SKU side is an uncorrelated `array(select ...)`, computed once and
 * matched with `id = any(...)`, so the planner answers the whole condition with one BitmapOr over
 * the search_document GIN and the primary key, reading only matching rows.
 */
function textCondition(text: NonNullable<SearchPlan['text']>): SQL {
  if (text.words.length === 0) return sql`false`;
  const words = sql`p.search_document @@ ${tsQuery(text.wordQueries.map((q) => `(${q})`).join(' & '))}`;
  // Fuzzy SKU matching only for code-like text (it has a digit): for plain words the SKU trigram
  // index returns tens of thousands of candidates that share a category prefix ("HOO…" for
  // "hoodie") and rechecking them cost most of a search at 100k products. Exact SKUs and SKU
  // prefixes are still found through the search document.
  if (!text.words.some((w) => /\d/.test(w))) return sql`(${words})`;
  return sql`(${words} or p.id = any(array(select product_id from ${variants} where sku % ${text.trigram})))`;
}

/**
 * Relevance: weighted full-text rank over any of the words (partial matches score too).
 * `ts_rank` rather than `ts_rank_cd`: cover density costs twice as much per row and adds little
 * for product names, which are short.
 */
function rankExpression(plan: SearchPlan): SQL {
  if (!plan.text || plan.text.words.length === 0) return sql`0`;
  const rank = (tsquery: string) => sql`ts_rank(${RANK_WEIGHTS}::float4[], p.search_document, ${tsQuery(tsquery)})`;
  const { anyTsquery, bestTsquery } = plan.text;
  return bestTsquery ? sql`(${rank(anyTsquery)} + ${rank(bestTsquery)})` : rank(anyTsquery);
}

/** Filters every facet respects: visibility, text, stock, rating. */
function commonConditions(plan: SearchPlan): SQL {
  const parts: SQL[] = [sql`p.status = 'active'`];
  if (plan.text) parts.push(textCondition(plan.text));
  if (plan.inStock) parts.push(sql`p.in_stock`);
  if (plan.minRating !== undefined) parts.push(sql`p.rating_average >= ${plan.minRating}`);
  return sql.join(parts, sql` and `);
}

const categoryCondition = (plan: SearchPlan): SQL =>
  plan.categoryIds ? sql`p.category_ids && ${uuidArray(plan.categoryIds)}` : sql`true`;

/** A product costs a range of prices (its variants); it matches when that range meets the filter's. */
function priceCondition(plan: SearchPlan): SQL {
  const parts: SQL[] = [];
  if (plan.minPrice !== undefined) parts.push(sql`p.max_price_cents >= ${plan.minPrice}`);
  if (plan.maxPrice !== undefined) parts.push(sql`p.min_price_cents <= ${plan.maxPrice}`);
  return parts.length > 0 ? sql.join(parts, sql` and `) : sql`true`;
}

/** Each order has an index on exactly these keys (schema/catalog.ts): keep the two in step. */
function orderBy(plan: SearchPlan): SQL {
  switch (plan.sort) {
    case 'relevance':
      return sql`${rankExpression(plan)} desc, p.id`;
    case 'price_asc':
      return sql`p.min_price_cents asc nulls last, p.id`;
    case 'price_desc':
      return sql`p.min_price_cents desc nulls last, p.id`;
    case 'newest':
      return sql`p.created_at desc, p.id desc`;
    case 'rating':
      return sql`p.rating_average desc nulls last, p.rating_count desc nulls last, p.id`;
    case 'bestselling':
      return sql`p.sales_count desc nulls last, p.id`;
  }
}

/** The ids of one page, in order. Exported so the EXPLAIN test checks the very query we run. */
export function pageQuery(plan: SearchPlan): SQL {
  return sql`select p.id from ${products} p
    where ${commonConditions(plan)} and ${categoryCondition(plan)} and ${priceCondition(plan)}
    order by ${orderBy(plan)}
    limit ${plan.limit} offset ${pageOffset(plan.page, plan.limit)}`;
}

/**
 * Facets follow the usual "disjunctive" rule: each facet ignores its own filter and applies all
 * the others. So the categories facet is counted without the category filter (a shopper inside
 * "Mugs" still sees how many matches "Plates" has, instead of a facet that only ever lists the
 * chosen category), and the price bounds are computed without the price filter (the slider keeps
 * its full range while the shopper narrows it). The stock count needs no such care: counting the
 * in-stock products is the same with or without the inStock filter.
 */
const matching = (plan: SearchPlan) => sql`m as (
  select p.id, p.category_ids, p.min_price_cents, p.max_price_cents, p.in_stock,
    ${categoryCondition(plan)} as in_cat, ${priceCondition(plan)} as in_price
  from ${products} p where ${commonConditions(plan)})`;

/**
 * Totals and facets in one statement, so the matching products are found once (the CTE `m` is
 * read by both parts). A category's count includes products in its sub-categories, because that
 * is what choosing it returns (the category filter includes descendants): the facet count always
 * equals the total the shopper gets by clicking it. A product in two sub-categories of one parent
 * counts once there.
 */
export function facetsQuery(plan: SearchPlan): SQL {
  return sql`with recursive tree(ancestor, id) as (
      select id, id from ${categories}
      union all
      select t.ancestor, c.id from tree t join ${categories} c on c.parent_id = t.id
    ), ${matching(plan)},
    -- Few distinct membership arrays exist, so count per array first, then roll each up once.
    g as (select category_ids, count(*)::int as n from m where in_price group by category_ids),
    f as (
      select c.slug, c.name, sum(g.n)::int as count
      from g cross join lateral (
        select distinct tree.ancestor from unnest(g.category_ids) as pc(id) join tree on tree.id = pc.id
      ) a
      join ${categories} c on c.id = a.ancestor
      group by c.id, c.slug, c.name
    )
    select count(*) filter (where in_cat and in_price)::int as total,
      count(*) filter (where in_cat and in_price and in_stock)::int as in_stock,
      min(min_price_cents) filter (where in_cat)::int as price_min,
      max(max_price_cents) filter (where in_cat)::int as price_max,
      coalesce((select json_agg(json_build_object('slug', f.slug, 'name', f.name, 'count', f.count)
        order by f.count desc, f.name, f.slug) from f), '[]'::json) as categories
    from m`;
}

type CategoryFacet = SearchFacets['categories'][number];

interface FacetRow {
  total: number;
  in_stock: number;
  price_min: number | null;
  price_max: number | null;
  /** json: parsed by node-postgres and PGlite alike; text is tolerated for other drivers. */
  categories: CategoryFacet[] | string;
}

export function searchPlan(
  query: ProductSearchQuery,
  categoryIds: string[] | undefined,
  corrections: Corrections = new Map(),
): SearchPlan {
  const words = query.q ? searchWords(query.q) : undefined;
  const wordQueries = words?.map((w) => wordTsQuery(w, corrections.get(w)));
  const corrected = words?.some((w) => corrections.has(w));
  const bestTsquery = corrected
    ? words!.map((w) => wordTsQuery(w, corrections.get(w)?.slice(0, 1))).join(' | ')
    : undefined;
  return {
    ...(words && wordQueries
      ? {
          text: {
            words,
            wordQueries,
            anyTsquery: wordQueries.join(' | '),
            ...(bestTsquery ? { bestTsquery } : {}),
            trigram: trigramText(words),
          },
        }
      : {}),
    ...(categoryIds ? { categoryIds } : {}),
    ...(query.minPrice !== undefined ? { minPrice: query.minPrice } : {}),
    ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
    ...(query.inStock !== undefined ? { inStock: query.inStock } : {}),
    ...(query.minRating !== undefined ? { minRating: query.minRating } : {}),
    sort: effectiveSort(query.sort, words !== undefined && words.length > 0),
    page: query.page,
    limit: query.limit,
  };
}

const emptyResult = (query: ProductSearchQuery): SearchResult => ({
  items: [],
  page: query.page,
  limit: query.limit,
  total: 0,
  facets: { categories: [], price: { min: null, max: null }, inStock: 0 },
});

/**
 * GET /products: search and browse the active catalog. User text only ever reaches SQL as
 * bound parameters, and the tsquery is built from sanitised words, so no input can make the
 * query fail. An unknown category slug matches nothing (a stale link is not an error).
 */
/** Facet rows by filter, per catalog state (state-caches.ts). */
export const facetCache = perDatabase<FacetRow>(5000);

/**
 * Totals and facets depend on the filters, not on the page or the sort, and they are the costly
 * part of a browse (they read every matching product). They are kept per catalog state: the key
 * carries the change sequence and time window that also make the ETag (cache.ts), so any catalog
 * or stock write starts afresh and nothing is older than the window.
 */
async function cachedFacets(db: DbOrTx, plan: SearchPlan, state?: string): Promise<FacetRow | undefined> {
  const cache = facetCache(db);
  const { sort: _sort, page: _page, limit: _limit, ...filters } = plan;
  const stateKey = state ?? (await catalogState(db));
  const key = JSON.stringify(filters);
  const hit = cache.get(stateKey, key);
  if (hit) return hit;
  const [row] = await queryRows<FacetRow>(db, facetsQuery(plan));
  if (row) cache.set(stateKey, key, row);
  return row;
}

/**
 * Row `i` holds the corrections of `words[i]`: none when some dictionary word begins with it,
 * else the most similar dictionary words. Each word has its own subqueries with the word as a
 * bound value, so the planner uses the prefix (text_pattern_ops) and trigram indexes, and the
 * similar words are looked up only for unknown words. Exported for the EXPLAIN test.
 */
export function correctionsQuery(words: string[]): SQL {
  const perWord = words.map(
    (word, i) => sql`select ${i}::int as i, array(
      select term from ${searchTerms}
      where not exists (select 1 from ${searchTerms} where term like ${word} || '%')
        and term % ${word}
      order by similarity(term, ${word}) desc, term
      limit ${MAX_CORRECTIONS}) as terms`,
  );
  return sql.join(perWord, sql` union all `);
}

/** Each typed word's corrections, per catalog state (state-caches.ts). */
export const correctionCache = perDatabase<string[]>(20_000);

/**
 * Typo tolerance, decided per word against the dictionary of words the catalog uses
 * (`search_terms`, kept by refreshProducts): a word that begins some dictionary word is taken as
 * typed (a prefix search, as the shopper may still be typing); a word long enough to judge that
 * begins none is a typo, and stands for the most trigram-similar dictionary words ("cofee" →
 * "coffee"). One round trip for all the words; answers are cached per catalog state.
 */
export async function typoCorrections(db: DbOrTx, words: string[], state?: string): Promise<Corrections> {
  const candidates = words.filter((w) => typoTolerant(w) && !/\d/.test(w));
  const corrections = new Map<string, string[]>();
  if (candidates.length === 0) return corrections;
  const cache = correctionCache(db);
  const stateKey = state ?? (await catalogState(db));
  const missing = candidates.filter((w) => {
    const hit = cache.get(stateKey, w);
    if (hit && hit.length > 0) corrections.set(w, hit);
    return hit === undefined;
  });
  if (missing.length === 0) return corrections;
  const rows = await queryRows<{ i: number; terms: string[] }>(db, correctionsQuery(missing));
  for (const row of rows) {
    const word = missing[row.i]!;
    cache.set(stateKey, word, row.terms);
    if (row.terms.length > 0) corrections.set(word, row.terms);
  }
  return corrections;
}

/** `state`: the catalog state already read for this request (cache.ts), so it is not read twice. */
export async function searchProducts(db: DbOrTx, query: ProductSearchQuery, state?: string): Promise<SearchResult> {
  let categoryIds: string[] | undefined;
  if (query.category) {
    categoryIds = await categoryWithDescendants(db, query.category.toLowerCase());
    if (!categoryIds) return emptyResult(query);
  }
  const words = query.q ? searchWords(query.q) : [];
  const corrections = words.length > 0 ? await typoCorrections(db, words, state) : undefined;
  const plan = searchPlan(query, categoryIds, corrections);
  if (plan.text && plan.text.words.length === 0) return emptyResult(query);
  const [ids, totals] = await Promise.all([
    queryRows<{ id: string }>(db, pageQuery(plan)),
    cachedFacets(db, plan, state),
  ]);
  const facetRows: CategoryFacet[] =
    typeof totals?.categories === 'string'
      ? (JSON.parse(totals.categories) as CategoryFacet[])
      : (totals?.categories ?? []);
  const items = await loadProducts(
    db,
    ids.map((r) => r.id),
    'public',
  );
  return {
    items,
    page: plan.page,
    limit: plan.limit,
    total: totals?.total ?? 0,
    facets: {
      categories: facetRows.map((r) => ({ slug: r.slug, name: r.name, count: r.count })),
      price: { min: totals?.price_min ?? null, max: totals?.price_max ?? null },
      inStock: totals?.in_stock ?? 0,
    },
  };
}

/**
 * The inventory screen's list: one row per variant with its stock (summed over locations in
 * variants.on_hand / reserved) and product name. Without a search it walks variants_sku_idx in SKU
 * order and stops at the page; with one, variants whose SKU starts with the text come first, then
 * the variants of products the full-text index matches (name, SKUs, tags, description).
 */
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { TOTAL_CAP, ftsQuery, indexedBy } from '../db/queries.js';
import type { Store } from '../db/store.js';

type LevelPage = ChannelOutput<'stock:levels'>;

const COLUMNS = `v.id AS variantId, v.sku, v.title, p.id AS productId, p.name AS productName, v.on_hand AS onHand,
  v.reserved, v.on_hand - v.reserved AS available, v.low_stock_threshold AS lowStockThreshold`;

/** A search matching most of the catalog ("a") would sort hundreds of thousands of rows: past this many products it stops. */
const MATCHED_PRODUCTS_MAX = 1000;

const statements = (store: Store, hint = indexedBy(store, 'variants_sku_idx')) =>
  store.cached(`handlers:stock-levels:${hint}`, () => {
    const q = (source: string) => store.sqlite.prepare(source);
    // `rank` 0: the SKU starts with the text; 1: the product matched the full-text search.
    const matches = `SELECT v.id AS id, 0 AS rank FROM variants v WHERE v.sku LIKE @prefix ESCAPE '\\'
      UNION ALL
      SELECT v.id, 1 FROM variants v WHERE v.product_id IN (
        SELECT p.id FROM products p WHERE p.rid IN (
          SELECT rowid FROM products_fts WHERE products_fts MATCH @match LIMIT ${MATCHED_PRODUCTS_MAX}))`;
    return {
      page: q(
        `SELECT ${COLUMNS} FROM variants v ${hint} JOIN products p ON p.id = v.product_id
         ORDER BY v.sku COLLATE NOCASE, v.id LIMIT @limit OFFSET @offset`,
      ),
      count: q(`SELECT count(*) FROM (SELECT 1 FROM variants LIMIT ${TOTAL_CAP + 1})`).pluck(),
      searchPage: q(
        `SELECT ${COLUMNS} FROM (SELECT id, min(rank) AS rank FROM (${matches}) GROUP BY id) m
         JOIN variants v ON v.id = m.id JOIN products p ON p.id = v.product_id
         ORDER BY m.rank, v.sku COLLATE NOCASE, v.id LIMIT @limit OFFSET @offset`,
      ),
      searchCount: q(`SELECT count(*) FROM (SELECT DISTINCT id FROM (${matches}) LIMIT ${TOTAL_CAP + 1})`).pluck(),
    };
  });

/** LIKE's own wildcards in what was typed are literal characters. */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function listLevels(store: Store, query: ChannelArgs<'stock:levels'>): LevelPage {
  const st = statements(store);
  const pageArgs = { limit: query.limit, offset: query.offset };
  let items: LevelPage['items'];
  let count: number;
  if (query.q === undefined) {
    items = st.page.all(pageArgs) as LevelPage['items'];
    count = st.count.get() as number;
  } else {
    // Text with nothing searchable ("--") still matches SKUs by prefix; the FTS side then matches nothing.
    const filter = { prefix: likePrefix(query.q), match: ftsQuery(query.q) ?? '""' };
    items = st.searchPage.all({ ...filter, ...pageArgs }) as LevelPage['items'];
    count = st.searchCount.get(filter) as number;
  }
  return { items, total: Math.min(count, TOTAL_CAP), totalCapped: count > TOTAL_CAP };
}

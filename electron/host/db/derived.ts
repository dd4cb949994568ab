/**
 * Upkeep of what the store derives locally from synced rows: each variant's stock sums (from
 * stock_levels), each product's price range, stock sums and stock state (from its variants), its
 * category links (product_categories) and its full-text row (products_fts).
 *
 * Explicit upkeep rather than triggers, because:
 * - a page touches a product several times (the product, then 2-3 variants, then their stock
 *   levels); collecting ids and refreshing each product once per page does a third of the work
 *   a per-row trigger would;
 * - the FTS row spans two tables (the product's text and its variants' SKUs) and rows arrive in
 *   any order (a variant before its product), which a refresh "from whatever is stored now"
 *   handles in one place, where per-table triggers would each need to handle the other half;
 * - the cost stays visible in one function the benchmark measures.
 * The rule that replaces the triggers' guarantee: any writer that changes products, variants or
 * stock_levels (applyPullPage, and the handlers' optimistic local writes) calls `refreshDerived`
 * with the ids it touched, inside its own transaction.
 *
 * Stock state of a product: `out_of_stock` when no variant has anything available (on hand minus
 * reserved), `low_stock` when some variant's available is at or below its threshold, else `in_stock`.
 *
 * A first download leaves the product index (category links and FTS rows) out of its pages
 * (`refreshDerived(..., { productIndex: false })`) and builds it for all products at once on its
 * last page (`rebuildProductIndex`): FTS5 then writes one large segment instead of a small one per
 * page that it merges again and again, and the links come from one INSERT ... SELECT. Stock sums
 * and product columns stay per page: that work overlaps the next page's request, while the final
 * rebuild holds up the download's end (bench:sync, 100k products, one session: about 28 s this
 * way, 30-32 s with those rebuilt at the end too, 30.6 s with nothing deferred). Both paths take
 * the FTS text from the same expressions (same SKU order), so they leave the same index.
 */
import type { Store } from './store.js';

/**
 * A variant's stock sums from its stock levels, and a product's columns from its variants: the
 * columns, and the SELECT over the source rows of the row whose id is `id` (an SQL expression).
 * The one definition of each: per-row upkeep here, the set-based recomputation below and the
 * snapshot's inserts (snapshot-apply.ts) all use it.
 */
export const VARIANT_STOCK = {
  columns: ['on_hand', 'reserved'],
  /** One scalar subquery per column (cheaper per row than a one-row SELECT of both). */
  values: (id: string) =>
    ['on_hand', 'reserved'].map((c) => `(SELECT coalesce(sum(${c}), 0) FROM stock_levels WHERE variant_id = ${id})`),
};
export const PRODUCT_DERIVED = {
  columns: ['variant_count', 'price_min_cents', 'price_max_cents', 'on_hand', 'available', 'stock_state', 'currency'],
  select: (id: string) => `SELECT count(*), min(price_cents), max(price_cents), coalesce(sum(on_hand), 0),
      coalesce(sum(max(on_hand - reserved, 0)), 0),
      CASE WHEN coalesce(sum(on_hand - reserved > 0), 0) = 0 THEN 'out_of_stock'
           WHEN coalesce(sum(on_hand - reserved <= low_stock_threshold), 0) > 0 THEN 'low_stock'
           ELSE 'in_stock' END,
      min(currency)
    FROM variants WHERE product_id = ${id}`,
};

const setVariantStock = (id: string) =>
  VARIANT_STOCK.columns.map((c, i) => `${c} = ${VARIANT_STOCK.values(id)[i]!}`).join(', ');
const setProductDerived = (id: string) => `(${PRODUCT_DERIVED.columns.join(', ')}) = (${PRODUCT_DERIVED.select(id)})`;

/** Recomputes every variant's stock sums and every product's derived columns (whole tables). */
export function recomputeAllDerived(store: Store): void {
  store.transaction(() => {
    store.sqlite.exec(`
      UPDATE variants SET ${setVariantStock('variants.id')};
      UPDATE products SET ${setProductDerived('products.id')};
    `);
  });
}

/** The FTS columns' text: SKUs joined in the variants index's order, tags from the JSON array. */
const skusOf = (productId: string) =>
  `(SELECT coalesce(group_concat(sku, ' '), '') FROM variants WHERE product_id = ${productId})`;
const tagsOf = (tags: string) =>
  `(SELECT coalesce(group_concat(value, ' '), '') FROM json_each(${tags}) WHERE type = 'text')`;

const statements = (store: Store) =>
  store.cached('derived', () => {
    const q = (sql: string) => store.sqlite.prepare(sql);
    return {
      variantStock: q(
        `UPDATE variants SET ${setVariantStock('variants.id')}
         WHERE id = ? RETURNING product_id`,
      ).pluck(),
      product: q(
        `UPDATE products SET ${setProductDerived('products.id')}
         WHERE id = ? RETURNING rid, name, description, tags, category_ids AS categoryIds`,
      ),
      clearCategories: q('DELETE FROM product_categories WHERE product_id = ?'),
      addCategories: q(
        `INSERT OR IGNORE INTO product_categories (category_id, product_id)
         SELECT value, ? FROM json_each(?) WHERE type = 'text'`,
      ),
      upsertFts: q(
        `INSERT OR REPLACE INTO products_fts (rowid, name, skus, description, tags)
         VALUES (?, ?, ${skusOf('?')}, ?, ${tagsOf('?')})`,
      ),
      deleteFts: q('DELETE FROM products_fts WHERE rowid = ?'),
    };
  });

/**
 * Recomputes derived data for the given variants (stock sums) and products (everything else);
 * with `productIndex: false`, their category links and FTS rows are left for rebuildProductIndex.
 * `stockVariantIds`: variants whose stock levels alone changed. Their sums and their products'
 * columns are recomputed, but not the products' index: stock is not searchable text, and at 100k
 * products rewriting an FTS row was half the cost of a local stock adjustment (2.0 → 0.9 ms).
 */
export function refreshDerived(
  store: Store,
  touched: { variantIds?: Iterable<string>; productIds?: Iterable<string>; stockVariantIds?: Iterable<string> },
  { productIndex = true }: { productIndex?: boolean } = {},
): void {
  const st = statements(store);
  // Refreshes each variant's stock sums and adds its product to `into`.
  const refreshVariants = (variantIds: Iterable<string> | undefined, into: Set<string>) => {
    for (const variantId of variantIds ?? []) {
      const productId = st.variantStock.get(variantId) as string | undefined;
      if (productId !== undefined) into.add(productId);
    }
  };
  const indexed = new Set(touched.productIds ?? []);
  refreshVariants(touched.variantIds, indexed);
  const productIds = new Set(indexed);
  refreshVariants(touched.stockVariantIds, productIds);
  for (const productId of productIds) {
    const p = st.product.get(productId) as
      { rid: number; name: string; description: string; tags: string; categoryIds: string } | undefined;
    // A deleted product's FTS row and links went with it (removeProductIndex).
    if (!p || !productIndex || !indexed.has(productId)) continue;
    st.clearCategories.run(productId);
    st.addCategories.run(productId, p.categoryIds);
    st.upsertFts.run(p.rid, p.name, productId, p.description, p.tags);
  }
}

/** Drops a product's FTS row and category links; call before or with the product's deletion. */
export function removeProductIndex(store: Store, productId: string, rid: number): void {
  const st = statements(store);
  st.deleteFts.run(rid);
  st.clearCategories.run(productId);
}

/**
 * Rebuilds every product's category links and FTS row from the stored rows, whatever was there
 * before: what `refreshDerived` leaves for each product. Runs inside the caller's transaction
 * (statements over whole tables, run once per download: not cached).
 */
export function rebuildProductIndex(store: Store): void {
  store.transaction(() => {
    store.sqlite.exec(`
      DELETE FROM product_categories;
      INSERT OR IGNORE INTO product_categories (category_id, product_id)
        SELECT j.value, p.id FROM products p, json_each(p.category_ids) j WHERE j.type = 'text';
      INSERT INTO products_fts (products_fts) VALUES ('delete-all');
      INSERT INTO products_fts (rowid, name, skus, description, tags)
        SELECT rid, name, ${skusOf('products.id')}, description, ${tagsOf('products.tags')} FROM products;
    `);
  });
}

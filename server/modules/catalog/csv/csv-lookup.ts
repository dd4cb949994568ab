import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AdminProduct } from '../../../../shared/api/catalog.schemas.js';
import type { DbOrTx } from '../../../db/client.js';
import { products, stockLevels, variants } from '../../../db/schema/index.js';
import { queryRows } from '../../../db/sql.js';
import { defaultLocationId } from '../../inventory/stock.service.js';
import { listCategories } from '../categories.service.js';
import { loadProducts } from '../product-view.js';
import type { ProductDraft } from './csv-group.js';

/** What the database already holds about the values a file mentions. */
export interface Lookup {
  categoryIdBySlug: Map<string, string>;
  /** Existing products the file's ids or handles point at, in the admin shape. */
  productsById: Map<string, AdminProduct>;
  productIdBySlug: Map<string, string>;
  /** Owners of the file's variant ids and SKUs. */
  variantById: Map<string, VariantOwner>;
  variantBySku: Map<string, VariantOwner>;
  /** On-hand at the default location of the matched products' variants (read without locks). */
  onHand: Map<string, number>;
}

export interface VariantOwner {
  id: string;
  productId: string;
  productSlug: string;
}

const CHUNK = 500;

async function inChunks<T, R>(items: T[], load: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await load(items.slice(i, i + CHUNK))));
  return out;
}

/** On-hand per variant at one location; a variant without a level row is absent (0). */
export async function onHandAt(
  db: DbOrTx,
  locationId: string,
  variantIds: string[],
  forUpdate = false,
): Promise<Map<string, number>> {
  const rows = await inChunks(variantIds, (chunk) => {
    const query = db
      .select({ variantId: stockLevels.variantId, onHand: stockLevels.onHand })
      .from(stockLevels)
      .where(and(eq(stockLevels.locationId, locationId), inArray(stockLevels.variantId, chunk)));
    return forUpdate ? query.for('update') : query;
  });
  return new Map(rows.map((r) => [r.variantId, r.onHand]));
}

const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];

/** One pass of batched queries (a few per 500 values), whatever the file's size. */
export async function loadLookup(tx: DbOrTx, drafts: ProductDraft[]): Promise<Lookup> {
  const ids = unique(drafts.map((d) => d.productId));
  const handles = unique(drafts.map((d) => d.handle.toLowerCase()));
  const allVariants = drafts.flatMap((d) => d.variants);
  const skus = unique(allVariants.map((v) => v.sku.trim()));
  const variantIds = unique(allVariants.map((v) => v.id));

  const categories = await listCategories(tx);
  const productCols = { id: products.id, slug: products.slug };
  const matched = [
    ...(await inChunks(ids, (c) => tx.select(productCols).from(products).where(inArray(products.id, c)))),
    ...(await inChunks(handles, (c) => tx.select(productCols).from(products).where(inArray(products.slug, c)))),
  ];
  const productIdBySlug = new Map(matched.map((p) => [p.slug, p.id]));
  const found = new Set(matched.map((p) => p.id));
  const existing = unique(
    drafts.map((d) => {
      if (d.productId && found.has(d.productId)) return d.productId;
      return productIdBySlug.get(d.handle.toLowerCase()) ?? '';
    }),
  );
  const loaded = await inChunks(existing, (c) => loadProducts(tx, c, 'admin'));

  const owner = { id: variants.id, productId: variants.productId, productSlug: products.slug, sku: variants.sku };
  const byId = await inChunks(variantIds, (chunk) =>
    tx
      .select(owner)
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(variants.id, chunk)),
  );
  // Joined through unnest rather than `sku in (...)`: with an IN list the planner picks the
  // trigram GIN index on sku, which costs ~1 s per 500 SKUs on Postgres; this uses the btree.
  const bySku = await inChunks(skus, (chunk) =>
    queryRows<VariantOwner & { sku: string }>(
      tx,
      sql`select v.id, v.product_id as "productId", p.slug as "productSlug", v.sku
          from unnest(array[${sql.join(
            chunk.map((s) => sql`${s}`),
            sql`, `,
          )}]::text[]) as wanted(sku)
          join ${variants} v on v.sku = wanted.sku
          join ${products} p on p.id = v.product_id`,
    ),
  );

  const onHand = await onHandAt(
    tx,
    await defaultLocationId(tx),
    loaded.flatMap((p) => p.variants.map((v) => v.id)),
  );
  return {
    onHand,
    categoryIdBySlug: new Map(categories.map((c) => [c.slug, c.id])),
    productsById: new Map(loaded.map((p) => [p.id, p])),
    productIdBySlug,
    variantById: new Map(byId.map((v) => [v.id, v])),
    variantBySku: new Map(bySku.map((v) => [v.sku, v])),
  };
}

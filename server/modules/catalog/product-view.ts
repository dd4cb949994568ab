import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { AdminProduct, Product } from '../../../shared/api/catalog.schemas.js';
import { isUuid } from '../../../shared/domain/ids.js';
import type { DbOrTx } from '../../db/client.js';
import { productImages, products, stockLevels, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { levelsForProducts } from '../inventory/stock.service.js';

type ProductRow = typeof products.$inferSelect;

/**
 * Loads products with their variants, images and stock, in the order of `ids`, in a fixed number
 * of queries whatever the count. Shoppers get the public shape (one statement, publicProducts);
 * staff also see cost, stock figures and versions (adminProducts).
 */
export async function loadProducts(db: DbOrTx, ids: string[], view: 'public'): Promise<Product[]>;
export async function loadProducts(db: DbOrTx, ids: string[], view: 'admin'): Promise<AdminProduct[]>;
export async function loadProducts(
  db: DbOrTx,
  ids: string[],
  view: 'public' | 'admin',
): Promise<Product[] | AdminProduct[]> {
  if (view === 'public') return publicProducts(db, sql`p.id = any(${uuidArray(ids)})`, ids);
  return adminProducts(db, ids);
}

const uuidArray = (ids: string[]) =>
  ids.length === 0
    ? sql`array[]::uuid[]`
    : sql`array[${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]`;

const isoTime = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The shopper's view of products, built by the database in one statement: the product page and
 * every search page are the hottest reads there are, and one round trip instead of four halves
 * their cost. Same shape as the admin path below minus staff fields (the response schema checks
 * it); variants and images in their display order; stock summed over locations, never negative.
 * `order`: the ids in the order wanted (a search's ranking); the rows come back in it.
 */
async function publicProducts(db: DbOrTx, where: SQL, order: string[] | undefined): Promise<Product[]> {
  const rows = await queryRows<{ id: string; product: Product }>(
    db,
    sql`select p.id, json_build_object(
      'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description, 'status', p.status,
      'categoryIds', p.category_ids, 'tags', p.tags, 'options', p.options,
      'variants', coalesce((
        select json_agg(json_build_object(
          'id', v.id, 'sku', v.sku, 'title', v.title, 'optionValues', v.option_values,
          'priceCents', v.price_cents, 'compareAtPriceCents', v.compare_at_price_cents, 'currency', v.currency,
          'available', s.available, 'inStock', s.available > 0) order by v.position, v.id)
        from ${variants} v cross join lateral (
          select greatest(coalesce(sum(l.on_hand), 0) - coalesce(sum(l.reserved), 0), 0)::int as available
          from ${stockLevels} l where l.variant_id = v.id) s
        where v.product_id = p.id), '[]'::json),
      'images', coalesce((
        select json_agg(json_build_object('id', i.id, 'url', i.url, 'alt', i.alt, 'width', i.width, 'height', i.height)
          order by i.position, i.id)
        from ${productImages} i where i.product_id = p.id), '[]'::json),
      'rating', json_build_object('average', p.rating_average::float8, 'count', p.rating_count),
      'priceRange', json_build_object('minCents', p.min_price_cents, 'maxCents', p.max_price_cents),
      'inStock', p.in_stock, 'version', p.version,
      'createdAt', ${isoTime(sql`p.created_at`)}, 'updatedAt', ${isoTime(sql`p.updated_at`)}
    ) as product
    from ${products} p where ${where}`,
  );
  const parsed = rows.map((r) => ({
    id: r.id,
    product: typeof r.product === 'string' ? (JSON.parse(r.product) as Product) : r.product,
  }));
  if (!order) return parsed.map((r) => r.product);
  const byId = new Map(parsed.map((r) => [r.id, r.product]));
  return order.map((id) => byId.get(id)).filter((p): p is Product => p !== undefined);
}

/** The staff view: four independent reads, assembled here. */
async function adminProducts(db: DbOrTx, ids: string[]): Promise<AdminProduct[]> {
  if (ids.length === 0) return [];
  const reads = [
    () => db.select().from(products).where(inArray(products.id, ids)),
    () =>
      db
        .select()
        .from(variants)
        .where(inArray(variants.productId, ids))
        .orderBy(asc(variants.position), asc(variants.id)),
    () =>
      db
        .select()
        .from(productImages)
        .where(inArray(productImages.productId, ids))
        .orderBy(asc(productImages.position), asc(productImages.id)),
    () => levelsForProducts(db, ids),
  ] as const;
  // The four reads are independent: in parallel on the pool, one after another in a transaction,
  // whose single connection cannot run queries side by side.
  const [rows, variantRows, imageRows, stock] =
    db instanceof PgTransaction
      ? [await reads[0](), await reads[1](), await reads[2](), await reads[3]()]
      : await Promise.all([reads[0](), reads[1](), reads[2](), reads[3]()]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is ProductRow => r !== undefined)
    .map((p) => {
      const vs = variantRows
        .filter((v) => v.productId === p.id)
        .map((v) => {
          const level = stock.get(v.id) ?? { onHand: 0, reserved: 0 };
          const available = Math.max(0, level.onHand - level.reserved);
          return {
            id: v.id,
            sku: v.sku,
            title: v.title,
            optionValues: v.optionValues,
            priceCents: v.priceCents,
            compareAtPriceCents: v.compareAtPriceCents,
            currency: v.currency,
            available,
            inStock: available > 0,
            costCents: v.costCents,
            barcode: v.barcode,
            weightGrams: v.weightGrams,
            lowStockThreshold: v.lowStockThreshold,
            onHand: level.onHand,
            reserved: level.reserved,
            position: v.position,
            version: v.version,
          };
        });
      return {
        id: p.id,
        slug: p.slug,
        name: p.name,
        description: p.description,
        status: p.status,
        categoryIds: p.categoryIds,
        tags: p.tags,
        options: p.options,
        variants: vs,
        images: imageRows
          .filter((i) => i.productId === p.id)
          .map((i) => ({ id: i.id, url: i.url, alt: i.alt, width: i.width, height: i.height })),
        rating: { average: Number(p.ratingAverage), count: p.ratingCount },
        priceRange: { minCents: p.minPriceCents, maxCents: p.maxPriceCents },
        inStock: p.inStock,
        version: p.version,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
      };
    });
}

/** One active product by id or slug, for shoppers, in one statement. */
export async function loadPublicProduct(db: DbOrTx, idOrSlug: string): Promise<Product | undefined> {
  const match = isUuid(idOrSlug) ? sql`p.id = ${idOrSlug}::uuid` : sql`p.slug = ${idOrSlug.toLowerCase()}`;
  const [product] = await publicProducts(db, sql`${match} and p.status = 'active'`, undefined);
  return product;
}

const productMatch = (idOrSlug: string): SQL =>
  isUuid(idOrSlug) ? eq(products.id, idOrSlug) : eq(products.slug, idOrSlug.toLowerCase());

/** Finds a product id by id or slug; `activeOnly` hides drafts and archived products from shoppers. */
export async function resolveProductId(db: DbOrTx, idOrSlug: string, activeOnly: boolean): Promise<string | undefined> {
  const [row] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(productMatch(idOrSlug), activeOnly ? eq(products.status, 'active') : undefined));
  return row?.id;
}

import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { AdminProduct, Product } from '../../../shared/api/catalog.schemas.js';
import { isUuid } from '../../../shared/domain/ids.js';
import type { DbOrTx } from '../../db/client.js';
import { productImages, products, variants } from '../../db/schema/index.js';
import { levelsForProducts } from '../inventory/stock.service.js';

type ProductRow = typeof products.$inferSelect;

/**
 * Loads products with their variants, images and stock in four queries whatever the count,
 * and returns them in the order of `ids`. Shoppers get the public shape; staff also see cost,
 * stock figures and versions. `rows`: the product rows when the caller already read them.
 */
export async function loadProducts(db: DbOrTx, ids: string[], view: 'public'): Promise<Product[]>;
export async function loadProducts(db: DbOrTx, ids: string[], view: 'admin'): Promise<AdminProduct[]>;
export async function loadProducts(
  db: DbOrTx,
  ids: string[],
  view: 'public' | 'admin',
): Promise<Product[] | AdminProduct[]> {
  return assemble(db, ids, undefined, view);
}

async function assemble(
  db: DbOrTx,
  ids: string[],
  knownRows: ProductRow[] | undefined,
  view: 'public' | 'admin',
): Promise<Product[] | AdminProduct[]> {
  if (ids.length === 0) return [];
  const reads = [
    () => (knownRows ? Promise.resolve(knownRows) : db.select().from(products).where(inArray(products.id, ids))),
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
          const base = {
            id: v.id,
            sku: v.sku,
            title: v.title,
            optionValues: v.optionValues,
            priceCents: v.priceCents,
            compareAtPriceCents: v.compareAtPriceCents,
            currency: v.currency,
            available,
            inStock: available > 0,
          };
          return view === 'public'
            ? base
            : {
                ...base,
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

/** One active product by id or slug, for shoppers: its row is read once, by the lookup itself. */
export async function loadPublicProduct(db: DbOrTx, idOrSlug: string): Promise<Product | undefined> {
  const [row] = await db
    .select()
    .from(products)
    .where(and(productMatch(idOrSlug), eq(products.status, 'active')));
  if (!row) return undefined;
  const [product] = (await assemble(db, [row.id], [row], 'public')) as Product[];
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

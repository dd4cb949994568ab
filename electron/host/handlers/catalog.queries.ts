/**
 * Catalog reads the handlers add to db/queries.ts: one product with its variants and images, and
 * the categories. Shapes are the contract's (the admin API's product, plus local stock sums).
 */
import type { z } from 'zod';
import type { categorySchema } from '../../../shared/api/catalog.schemas.js';
import type { ProductDetail } from '../../../shared/contract/backoffice.js';
import type { Store } from '../db/store.js';
import { num, orNull, parseJson as json, str } from './wire.js';

type Category = z.output<typeof categorySchema>;

const statements = (store: Store) =>
  store.cached('handlers:catalog', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      product: q(
        `SELECT data, version, price_min_cents AS priceMinCents, price_max_cents AS priceMaxCents, on_hand AS onHand,
           available, stock_state AS stockState FROM products WHERE id = ?`,
      ),
      variants: q(
        `SELECT data, version, on_hand AS onHand, reserved FROM variants WHERE product_id = ? ORDER BY position, id`,
      ),
      images: q('SELECT data FROM product_images WHERE product_id = ? ORDER BY position, id').pluck(),
      categories: q('SELECT data, version FROM categories ORDER BY position, name COLLATE NOCASE, id'),
      category: q('SELECT data, version FROM categories WHERE id = ?'),
    };
  });

interface ProductRow {
  data: string;
  version: number;
  priceMinCents: number | null;
  priceMaxCents: number | null;
  onHand: number;
  available: number;
  stockState: ProductDetail['stockState'];
}

function variantOf(row: { data: string; version: number; onHand: number; reserved: number }) {
  const d = json(row.data);
  const available = row.onHand - row.reserved;
  return {
    id: String(d.id),
    sku: String(d.sku),
    title: str(d.title),
    optionValues: (d.optionValues ?? {}) as Record<string, string>,
    priceCents: num(d.priceCents),
    compareAtPriceCents: orNull<number>(d.compareAtPriceCents),
    currency: str(d.currency, 'USD'),
    available,
    inStock: available > 0,
    costCents: orNull<number>(d.costCents),
    barcode: orNull<string>(d.barcode),
    weightGrams: orNull<number>(d.weightGrams),
    lowStockThreshold: num(d.lowStockThreshold, 5),
    onHand: row.onHand,
    reserved: row.reserved,
    position: num(d.position),
    version: row.version,
  };
}

export function productDetail(store: Store, id: string): ProductDetail | undefined {
  const st = statements(store);
  const row = st.product.get(id) as ProductRow | undefined;
  if (!row) return undefined;
  const d = json(row.data);
  const variants = (st.variants.all(id) as Parameters<typeof variantOf>[0][]).map(variantOf);
  const images = (st.images.all(id) as string[]).map(json).map((i) => ({
    id: String(i.id),
    url: String(i.url),
    alt: str(i.alt),
    width: num(i.width),
    height: num(i.height),
  }));
  return {
    id,
    slug: String(d.slug),
    name: String(d.name),
    description: str(d.description),
    status: d.status as ProductDetail['status'],
    categoryIds: (d.categoryIds ?? []) as string[],
    tags: (d.tags ?? []) as string[],
    options: (d.options ?? []) as ProductDetail['options'],
    images,
    rating: { average: Number(d.ratingAverage ?? 0), count: Number(d.ratingCount ?? 0) },
    priceRange: { minCents: row.priceMinCents, maxCents: row.priceMaxCents },
    inStock: row.available > 0,
    version: row.version,
    createdAt: String(d.createdAt),
    updatedAt: str(d.updatedAt, str(d.createdAt)),
    variants,
    stockState: row.stockState,
    onHand: row.onHand,
    available: row.available,
  };
}

function categoryOf(row: { data: string; version: number }): Category {
  const d = json(row.data);
  return {
    id: String(d.id),
    slug: String(d.slug),
    name: String(d.name),
    description: str(d.description),
    parentId: orNull<string>(d.parentId),
    position: num(d.position),
    version: row.version,
  };
}

/** Every category, flat, in display order (the UI builds the tree from parentId). */
export function listCategories(store: Store): Category[] {
  return (statements(store).categories.all() as { data: string; version: number }[]).map(categoryOf);
}

export function categoryById(store: Store, id: string): Category | undefined {
  const row = statements(store).category.get(id) as { data: string; version: number } | undefined;
  return row && categoryOf(row);
}

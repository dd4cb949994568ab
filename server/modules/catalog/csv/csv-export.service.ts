import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { AdminProduct } from '../../../../shared/api/catalog.schemas.js';
import type { DbOrTx } from '../../../db/client.js';
import { products } from '../../../db/schema/index.js';
import { defaultLocationId } from '../../inventory/stock.service.js';
import { listCategories } from '../categories.service.js';
import { loadProducts } from '../product-view.js';
import {
  centsToDecimal,
  columnsFor,
  guardFormula,
  isTextColumn,
  joinList,
  optionName,
  optionValue,
  type Column,
} from './csv-format.js';
import { onHandAt } from './csv-lookup.js';

export interface ExportOptions {
  status?: 'draft' | 'active' | 'archived' | undefined;
  /** Guard text cells against spreadsheet formulas (see csv-format.ts). */
  excel?: boolean;
  /** Products loaded per round trip; memory stays flat whatever the catalog's size. */
  pageSize?: number;
}

/** One CSV row per variant, cells keyed by column. Pure: everything it needs is passed in. */
export function productRows(
  product: AdminProduct,
  categorySlug: ReadonlyMap<string, string>,
  stock: ReadonlyMap<string, number>,
): Record<Column, string>[] {
  const money = (cents: number | null, currency: string) => (cents === null ? '' : centsToDecimal(cents, currency));
  return product.variants.map((v) => {
    const row: Record<string, string> = {
      product_id: product.id,
      handle: product.slug,
      name: product.name,
      description: product.description,
      status: product.status,
      categories: joinList(product.categoryIds.map((id) => categorySlug.get(id) ?? '').filter(Boolean)),
      tags: joinList(product.tags),
      variant_id: v.id,
      sku: v.sku,
      price: money(v.priceCents, v.currency),
      compare_at_price: money(v.compareAtPriceCents, v.currency),
      cost: money(v.costCents, v.currency),
      currency: v.currency,
      barcode: v.barcode ?? '',
      weight_grams: v.weightGrams === null ? '' : String(v.weightGrams),
      low_stock_threshold: String(v.lowStockThreshold),
      stock: String(stock.get(v.id) ?? 0),
    };
    product.options.forEach((o, i) => {
      row[optionName(i)] = o.name;
      row[optionValue(i)] = v.optionValues[o.name] ?? '';
    });
    return row;
  });
}

/**
 * The catalog as CSV records (header first), read a page of products at a time in id order
 * (UUIDv7: creation order), variants in position order. Not one transaction: on PGlite that
 * would hold the only connection for as long as a slow client takes to download.
 */
export async function* exportProductsCsv(db: DbOrTx, options: ExportOptions = {}): AsyncGenerator<string[]> {
  const statusFilter: SQL | undefined = options.status ? eq(products.status, options.status) : undefined;
  const [widest] = await db
    .select({ n: sql<number>`coalesce(max(jsonb_array_length(${products.options})), 0)::int` })
    .from(products)
    .where(statusFilter);
  const columns = columnsFor(Number(widest?.n ?? 0));
  yield columns;
  const categorySlug = new Map((await listCategories(db)).map((c) => [c.id, c.slug]));
  const locationId = await defaultLocationId(db);
  const pageSize = options.pageSize ?? 200;
  const guard = (column: Column, cell: string) => (options.excel && isTextColumn(column) ? guardFormula(cell) : cell);
  let after: string | undefined;
  for (;;) {
    const page = await db
      .select({ id: products.id })
      .from(products)
      .where(and(statusFilter, after ? gt(products.id, after) : undefined))
      .orderBy(asc(products.id))
      .limit(pageSize);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const loaded = await loadProducts(
      db,
      page.map((p) => p.id),
      'admin',
    );
    const stock = await onHandAt(
      db,
      locationId,
      loaded.flatMap((p) => p.variants.map((v) => v.id)),
    );
    for (const product of loaded) {
      for (const row of productRows(product, categorySlug, stock)) {
        yield columns.map((c) => guard(c, row[c] ?? ''));
      }
    }
    if (page.length < pageSize) return;
  }
}

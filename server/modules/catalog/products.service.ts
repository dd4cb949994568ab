import { and, asc, count, desc, eq, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type {
  AdminProduct,
  Product,
  ProductCreateInput,
  ProductPatchInput,
  VariantInput,
} from '../../../shared/api/catalog.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation, violatedConstraint } from '../../db/errors.js';
import { products, stockMovements, variants, type ProductOption } from '../../db/schema/index.js';
import { recordMovement } from '../inventory/stock.service.js';
import { assertCategoriesExist, categoryWithDescendants } from './categories.service.js';
import { refreshProducts } from './derived.js';
import { checkVariants, variantTitle } from './options.js';
import { loadProducts, loadPublicProduct } from './product-view.js';
import { toSlug, uniqueSlug } from './slugs.js';

const CONFLICTS: Record<string, string> = {
  products_slug_key: 'Another product already uses this slug',
  variants_sku_key: 'Another variant already uses this SKU',
  products_pkey: 'A product with this id already exists',
  variants_pkey: 'A variant with this id already exists',
};

/** Maps a unique violation to a 409 that says which value clashed. */
async function withConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', CONFLICTS[violatedConstraint(err) ?? ''] ?? 'A unique value is already taken');
    }
    throw err;
  }
}

function assertVariants(options: ProductOption[], list: VariantInput[]): void {
  const errors = checkVariants(options, list);
  if (errors.length > 0) throw new AppError('validation_failed', 'The variants do not fit the options', { errors });
}

const variantValues = (productId: string, options: ProductOption[], v: VariantInput, index: number) => ({
  ...(v.id ? { id: v.id } : {}),
  productId,
  sku: v.sku,
  title: v.title || variantTitle(options, v.optionValues),
  optionValues: v.optionValues ?? {},
  priceCents: v.priceCents,
  compareAtPriceCents: v.compareAtPriceCents ?? null,
  costCents: v.costCents ?? null,
  currency: v.currency ?? 'USD',
  barcode: v.barcode ?? null,
  weightGrams: v.weightGrams ?? null,
  lowStockThreshold: v.lowStockThreshold ?? 5,
  position: v.position ?? index,
});

export async function getAdminProduct(db: DbOrTx, id: string): Promise<AdminProduct> {
  const [product] = await loadProducts(db, [id], 'admin');
  if (!product) throw notFound('Product');
  return product;
}

export async function getPublicProduct(db: DbOrTx, idOrSlug: string): Promise<Product> {
  const product = await loadPublicProduct(db, idOrSlug);
  if (!product) throw notFound('Product');
  return product;
}

/** Creates a product with its variants (and any opening stock) in one transaction. */
export async function createProduct(db: Db, input: ProductCreateInput, actorId: string | null): Promise<AdminProduct> {
  const options = input.options ?? [];
  assertVariants(options, input.variants);
  return withConflicts(() =>
    db.transaction(async (tx) => {
      await assertCategoriesExist(tx, input.categoryIds ?? []);
      const slug = input.slug ?? (await uniqueSlug(tx, products, toSlug(input.name)));
      const [product] = await tx
        .insert(products)
        .values({
          ...(input.id ? { id: input.id } : {}),
          slug,
          name: input.name,
          description: input.description ?? '',
          status: input.status ?? 'draft',
          categoryIds: input.categoryIds ?? [],
          tags: input.tags ?? [],
          options,
        })
        .returning({ id: products.id });
      const productId = product!.id;
      const inserted = await tx
        .insert(variants)
        .values(input.variants.map((v, i) => variantValues(productId, options, v, i)))
        .returning({ id: variants.id, sku: variants.sku });
      for (const v of input.variants) {
        if (!v.initialStock) continue;
        const variantId = inserted.find((r) => r.sku === v.sku)!.id;
        await recordMovement(tx, {
          variantId,
          kind: 'received',
          onHandDelta: v.initialStock,
          reason: 'opening stock',
          actorId,
          reference: `product:${productId}`,
        });
      }
      await refreshProducts(tx, [productId]);
      return getAdminProduct(tx, productId);
    }),
  );
}

/**
 * Patches product fields; `variants`, when given, is the full desired list (update by id,
 * create without one, remove the rest). A variant with stock history is never removed.
 */
export async function updateProduct(db: Db, id: string, patch: ProductPatchInput): Promise<AdminProduct> {
  return withConflicts(() =>
    db.transaction(async (tx) => {
      const [current] = await tx.select().from(products).where(eq(products.id, id)).for('update');
      if (!current) throw notFound('Product');
      if (patch.categoryIds) await assertCategoriesExist(tx, patch.categoryIds);
      const options = patch.options ?? current.options;
      const existing = await tx.select().from(variants).where(eq(variants.productId, id));
      if (patch.variants) {
        assertVariants(options, patch.variants);
        await replaceVariants(tx, id, options, existing, patch.variants);
      } else if (patch.options) {
        const errors = checkVariants(options, existing);
        if (errors.length > 0) {
          throw new AppError('validation_failed', 'The new options do not fit the existing variants', { errors });
        }
      }
      const { variants: _ignored, ...fields } = patch;
      await tx
        .update(products)
        .set({ ...fields, updatedAt: sql`now()` })
        .where(eq(products.id, id));
      await refreshProducts(tx, [id]);
      return getAdminProduct(tx, id);
    }),
  );
}

async function replaceVariants(
  tx: DbOrTx,
  productId: string,
  options: ProductOption[],
  existing: (typeof variants.$inferSelect)[],
  wanted: VariantInput[],
): Promise<void> {
  const existingIds = new Set(existing.map((v) => v.id));
  const keep = wanted.filter((v) => v.id && existingIds.has(v.id)).map((v) => v.id!);
  const removed = existing.filter((v) => !keep.includes(v.id)).map((v) => v.id);
  if (removed.length > 0) {
    const [history] = await tx
      .select({ n: count() })
      .from(stockMovements)
      .where(inArray(stockMovements.variantId, removed));
    if ((history?.n ?? 0) > 0) {
      throw new AppError('conflict', 'A variant with stock history cannot be removed; set its stock to zero instead');
    }
    await tx.delete(variants).where(and(eq(variants.productId, productId), notInArray(variants.id, keep)));
  }
  // Park changing SKUs on a placeholder first, so two variants can swap SKUs in one edit.
  const renamed = wanted.filter((v) => v.id && existing.some((e) => e.id === v.id && e.sku !== v.sku));
  for (const v of renamed) {
    await tx
      .update(variants)
      .set({ sku: sql`'~renaming~' || ${variants.id}` })
      .where(eq(variants.id, v.id!));
  }
  for (const [i, v] of wanted.entries()) {
    const values = variantValues(productId, options, v, i);
    if (v.id && existingIds.has(v.id)) {
      const { id: _id, productId: _p, ...set } = values as typeof values & { id?: string };
      await tx
        .update(variants)
        .set({ ...set, updatedAt: sql`now()` })
        .where(eq(variants.id, v.id));
    } else {
      await tx.insert(variants).values(values);
    }
  }
}

export async function archiveProduct(db: Db, id: string): Promise<AdminProduct> {
  return updateProduct(db, id, { status: 'archived' });
}

export async function listAdminProducts(
  db: Db,
  query: { page: number; limit: number; q?: string; status?: 'draft' | 'active' | 'archived'; category?: string },
) {
  const filters: SQL[] = [];
  if (query.status) filters.push(eq(products.status, query.status));
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(
      or(
        ilike(products.name, like),
        sql`exists (select 1 from ${variants} v where v.product_id = ${products.id} and v.sku ilike ${like})`,
      )!,
    );
  }
  if (query.category) {
    const ids = await categoryWithDescendants(db, query.category);
    if (!ids) return { items: [], page: query.page, limit: query.limit, total: 0 };
    filters.push(
      sql`${products.categoryIds} && array[${sql.join(
        ids.map((c) => sql`${c}::uuid`),
        sql`, `,
      )}]`,
    );
  }
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ id: products.id })
      .from(products)
      .where(where)
      .orderBy(desc(products.updatedAt), asc(products.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ n: count() }).from(products).where(where),
  ]);
  const items = await loadProducts(
    db,
    rows.map((r) => r.id),
    'admin',
  );
  return { items, page: query.page, limit: query.limit, total: total?.n ?? 0 };
}

/**
 * What people do with what sync flagged: conflicts (rule 6: the overwritten value of a field,
 * which a person may restore) and oversells (rule 5: a level below zero). Resolving either is
 * recorded (who, when) and travels down to every device like any synced change (oversells) or
 * disappears from the open list (conflicts).
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { mutationArgs } from '../../../shared/sync/mutations.js';
import type { Db } from '../../db/client.js';
import { stockOversells, syncConflicts, variants } from '../../db/schema/index.js';
import { updateCategory } from '../catalog/categories.service.js';
import { updateProduct } from '../catalog/products.service.js';

const OPEN_LIMIT = 500;

export const listOpenConflicts = (db: Db) =>
  db
    .select()
    .from(syncConflicts)
    .where(isNull(syncConflicts.resolvedAt))
    .orderBy(desc(syncConflicts.createdAt))
    .limit(OPEN_LIMIT);

export const listOpenOversells = (db: Db) =>
  db
    .select()
    .from(stockOversells)
    .where(isNull(stockOversells.resolvedAt))
    .orderBy(desc(stockOversells.createdAt))
    .limit(OPEN_LIMIT);

/** The field patch a restore applies, checked by the same rules as a device's update. */
function restorePatch<T>(schema: z.ZodType<T>, field: string, value: unknown): T {
  const parsed = schema.safeParse({ [field]: value });
  if (!parsed.success) throw new AppError('conflict', `The overwritten ${field} can no longer be applied as it was`);
  return parsed.data;
}

/**
 * keep `client`: the value that won stays. keep `server`: the overwritten value is written back
 * through the catalog services (a new change that every device pulls).
 */
export async function resolveConflict(db: Db, id: string, keep: 'server' | 'client', userId: string) {
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(syncConflicts).where(eq(syncConflicts.id, id)).for('update');
    if (!c) throw notFound('Conflict');
    if (c.resolvedAt) throw new AppError('conflict', 'This conflict was already resolved');
    if (keep === 'server') {
      const txDb = tx as unknown as Db;
      if (c.tableName === 'products') {
        await updateProduct(
          txDb,
          c.rowId,
          restorePatch(mutationArgs['product.update'].shape.patch, c.field, c.serverValue),
        );
      } else if (c.tableName === 'categories') {
        await updateCategory(
          txDb,
          c.rowId,
          restorePatch(mutationArgs['category.update'].shape.patch, c.field, c.serverValue),
        );
      } else {
        const patch = restorePatch(mutationArgs['variant.update'].shape.patch, c.field, c.serverValue);
        const [v] = await tx.select().from(variants).where(eq(variants.id, c.rowId));
        if (!v) throw notFound('Variant');
        const list = await tx.select().from(variants).where(eq(variants.productId, v.productId));
        await updateProduct(txDb, v.productId, {
          variants: list.map((x) => ({
            id: x.id,
            sku: x.sku,
            title: x.title,
            optionValues: x.optionValues,
            priceCents: x.priceCents,
            compareAtPriceCents: x.compareAtPriceCents,
            costCents: x.costCents,
            currency: x.currency,
            barcode: x.barcode,
            weightGrams: x.weightGrams,
            lowStockThreshold: x.lowStockThreshold,
            position: x.position,
            ...(x.id === v.id ? patch : {}),
          })),
        });
      }
    }
    const [row] = await tx
      .update(syncConflicts)
      .set({ resolvedAt: sql`now()`, resolvedBy: userId, resolution: keep })
      .where(eq(syncConflicts.id, id))
      .returning();
    return row!;
  });
}

export async function resolveOversell(db: Db, id: string, userId: string) {
  const [row] = await db
    .update(stockOversells)
    .set({ resolvedAt: sql`now()`, resolvedBy: userId })
    .where(and(eq(stockOversells.id, id), isNull(stockOversells.resolvedAt)))
    .returning();
  if (row) return row;
  const [exists] = await db.select({ id: stockOversells.id }).from(stockOversells).where(eq(stockOversells.id, id));
  if (!exists) throw notFound('Oversell');
  throw new AppError('conflict', 'This oversell was already resolved');
}

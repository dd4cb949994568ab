/**
 * Stock reads: levels summed over locations, and the movement ledger page by page. Writes, which
 * keep levels and ledger in one transaction, are in stock.service.ts.
 */
import { and, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { movementSchema, MOVEMENT_KINDS } from '../../../shared/api/catalog.schemas.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { stockLevels, stockMovements, variants } from '../../db/schema/index.js';

export type MovementKind = (typeof MOVEMENT_KINDS)[number];
type MovementRow = typeof stockMovements.$inferSelect;
type Sums = Map<string, { onHand: number; reserved: number }>;

export const toMovement = (r: MovementRow): z.input<typeof movementSchema> => ({
  id: r.id,
  variantId: r.variantId,
  locationId: r.locationId,
  kind: r.kind,
  onHandDelta: r.onHandDelta,
  reservedDelta: r.reservedDelta,
  onHandAfter: r.onHandAfter,
  reason: r.reason,
  note: r.note,
  actorId: r.actorId,
  reference: r.reference,
  createdAt: r.createdAt.toISOString(),
});

/** Stock per variant over all locations, for the variants `where` selects (variants joined). */
async function sumLevels(db: DbOrTx, where: SQL): Promise<Sums> {
  const rows = await db
    .select({
      variantId: stockLevels.variantId,
      onHand: sql<number>`sum(${stockLevels.onHand})::int`,
      reserved: sql<number>`sum(${stockLevels.reserved})::int`,
    })
    .from(stockLevels)
    .innerJoin(variants, eq(variants.id, stockLevels.variantId))
    .where(where)
    .groupBy(stockLevels.variantId);
  return new Map(rows.map((r) => [r.variantId, { onHand: Number(r.onHand), reserved: Number(r.reserved) }]));
}

export async function levelsForVariants(db: DbOrTx, variantIds: string[]): Promise<Sums> {
  return variantIds.length === 0 ? new Map() : sumLevels(db, inArray(stockLevels.variantId, variantIds));
}

/** Stock per variant (all locations) for every variant of the given products, in one query. */
export async function levelsForProducts(db: DbOrTx, productIds: string[]): Promise<Sums> {
  return productIds.length === 0 ? new Map() : sumLevels(db, inArray(variants.productId, productIds));
}

export async function listMovements(
  db: Db,
  query: { page: number; limit: number; variantId?: string; kind?: MovementKind; from?: string; to?: string },
) {
  const filters: SQL[] = [];
  if (query.variantId) filters.push(eq(stockMovements.variantId, query.variantId));
  if (query.kind) filters.push(eq(stockMovements.kind, query.kind));
  if (query.from) filters.push(gte(stockMovements.createdAt, new Date(query.from)));
  // Stored times have microseconds but go out with milliseconds: `to` covers its whole millisecond,
  // so a createdAt read from this list and passed back as `to` still includes that movement.
  if (query.to) filters.push(lt(stockMovements.createdAt, new Date(Date.parse(query.to) + 1)));
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(stockMovements)
      .where(where)
      .orderBy(desc(stockMovements.createdAt), desc(stockMovements.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ n: count() }).from(stockMovements).where(where),
  ]);
  return { items: rows.map(toMovement), page: query.page, limit: query.limit, total: total?.n ?? 0 };
}

/** Stock writes: each movement goes into the ledger and the level in one transaction. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { stockLevels, stockLocations, stockMovements, variants } from '../../db/schema/index.js';
import { refreshInStock } from '../catalog/derived.js';
import { queryRows } from '../../db/sql.js';
import { crossedLow, enqueueLowStockAlert } from './low-stock-alert.js';
import { levelsForVariants, type MovementKind } from './stock.queries.js';

// The reads live in stock.queries.ts; callers reach them here as before.
export { levelsForProducts, levelsForVariants, listMovements, toMovement } from './stock.queries.js';
export type { MovementKind } from './stock.queries.js';

type MovementRow = typeof stockMovements.$inferSelect;

export interface MovementInput {
  variantId: string;
  locationId?: string | undefined;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta?: number;
  reason: string;
  note?: string | null | undefined;
  actorId?: string | null | undefined;
  reference?: string | null | undefined;
}

export interface Level {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStock: boolean;
  oversold: boolean;
}

export async function defaultLocationId(tx: DbOrTx): Promise<string> {
  const [row] = await tx
    .select({ id: stockLocations.id })
    .from(stockLocations)
    .where(eq(stockLocations.isDefault, true));
  if (!row) throw new Error('no default stock location: migrations did not run');
  return row.id;
}

const unknownVariant = (variantId: string) =>
  new AppError('validation_failed', 'Unknown variant', {
    errors: [{ path: 'body.variantId', message: `no variant with id ${variantId}` }],
  });

async function variantProduct(tx: DbOrTx, variantId: string) {
  const [v] = await tx
    .select({ productId: variants.productId, threshold: variants.lowStockThreshold })
    .from(variants)
    .where(eq(variants.id, variantId));
  if (!v) throw unknownVariant(variantId);
  return v;
}

/**
 * The one way stock changes: a ledger row and the level move together in the caller's
 * transaction. The level is updated with an atomic upsert (no read-modify-write), so concurrent
 * movements on one variant all count. On-hand may go negative (an offline sale); that is an
 * oversell for a person to resolve, never a refusal. A movement that makes the level low alerts
 * staff (low-stock-alert.ts).
 */
export async function recordMovement(
  tx: DbOrTx,
  input: MovementInput,
): Promise<{ movement: MovementRow; level: Level }> {
  const locationId = input.locationId ?? (await defaultLocationId(tx));
  if ((input.reservedDelta ?? 0) < 0) {
    const moved = await releaseMovement(tx, input, locationId);
    await afterMovements(tx, [moved]);
    return { movement: moved.movement, level: levelOf(moved) };
  }
  const [outcome] = await recordMovements(tx, [{ ...input, locationId }], { catchDataErrors: false });
  if (!outcome?.ok) throw unknownVariant(input.variantId);
  return outcome;
}

export type MovementOutcome =
  { ok: true; movement: MovementRow; level: Level } | { ok: false; code: string; message: string };

/**
 * Movements that add to or take from a level (reserved delta ≥ 0), applied in order in one round
 * trip (migration 0016, stock_apply_movements): a sync push applies thousands. One outcome per
 * input, in order; an unknown variant writes nothing. With `catchDataErrors`, a movement the
 * database refuses as data (a level out of range, an unknown location) is undone alone and answered
 * `invalid_arguments`; without, it is thrown as the statement would throw it.
 */
export async function recordMovements(
  tx: DbOrTx,
  inputs: readonly (MovementInput & { locationId: string })[],
  options: { catchDataErrors: boolean },
): Promise<MovementOutcome[]> {
  if (inputs.length === 0) return [];
  const planned = inputs.map((input) => ({
    id: newId(),
    variantId: input.variantId,
    locationId: input.locationId,
    kind: input.kind,
    onHandDelta: input.onHandDelta,
    reservedDelta: input.reservedDelta ?? 0,
    reason: input.reason,
    note: input.note ?? null,
    actorId: input.actorId ?? null,
    reference: input.reference ?? null,
  }));
  const moves = planned.map((movement) => ({ ...movement, levelId: newId() }));
  const rows = await queryRows<{
    o_product_id: string | null;
    o_threshold: number | null;
    o_on_hand: number | null;
    o_reserved: number | null;
    o_created_at: string | Date | null;
    o_error: string | null;
  }>(tx, sql`select * from stock_apply_movements(${JSON.stringify(moves)}::jsonb, ${options.catchDataErrors})`);
  const moved: Moved[] = [];
  const outcomes = planned.map((movement, i): MovementOutcome => {
    const row = rows[i];
    if (row?.o_error)
      return { ok: false, code: 'invalid_arguments', message: `the database refused it (${row.o_error})` };
    if (!row?.o_product_id) {
      const { code, message } = unknownVariant(movement.variantId);
      return { ok: false, code, message };
    }
    const m: Moved = {
      productId: row.o_product_id,
      threshold: row.o_threshold!,
      level: { onHand: row.o_on_hand!, reserved: row.o_reserved! },
      movement: { ...movement, onHandAfter: row.o_on_hand!, createdAt: new Date(row.o_created_at!) },
    };
    moved.push(m);
    return { ok: true, movement: m.movement, level: levelOf(m) };
  });
  await afterMovements(tx, moved);
  return outcomes;
}

type Moved = {
  productId: string;
  threshold: number;
  level: { onHand: number; reserved: number };
  movement: MovementRow;
};

const levelOf = ({ movement, level, threshold }: Moved): Level =>
  toLevel(movement.variantId, movement.locationId, level.onHand, level.reserved, threshold);

/**
 * What a movement sets off. The product's in-stock flag is "some level has stock": it can only
 * change when a level's availability crossed zero (most movements do not, and skip the product
 * update; those that did are refreshed together). A level that became low alerts staff.
 */
async function afterMovements(tx: DbOrTx, moved: readonly Moved[]): Promise<void> {
  const crossedZero: string[] = [];
  for (const { productId, threshold, level, movement } of moved) {
    const available = level.onHand - level.reserved;
    const availableDelta = movement.onHandDelta - movement.reservedDelta;
    if (available > 0 !== available - availableDelta > 0) crossedZero.push(productId);
    if (crossedLow(available, availableDelta, threshold)) {
      await enqueueLowStockAlert(tx, {
        variantId: movement.variantId,
        locationId: movement.locationId,
        movementId: movement.id,
        available,
        threshold,
      });
    }
  }
  await refreshInStock(tx, crossedZero);
}

/**
 * A release (negative reserved delta) updates the existing level: Postgres checks CHECK constraints
 * on an INSERT's proposed row before ON CONFLICT applies, so it cannot go through the upsert.
 */
async function releaseMovement(tx: DbOrTx, input: MovementInput, locationId: string): Promise<Moved> {
  const { productId, threshold } = await variantProduct(tx, input.variantId);
  const reservedDelta = input.reservedDelta ?? 0;
  const [level] = await tx
    .update(stockLevels)
    .set({
      onHand: sql`${stockLevels.onHand} + ${input.onHandDelta}`,
      reserved: sql`${stockLevels.reserved} + ${reservedDelta}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(stockLevels.variantId, input.variantId), eq(stockLevels.locationId, locationId)))
    .returning({ onHand: stockLevels.onHand, reserved: stockLevels.reserved });
  if (!level) throw new AppError('conflict', 'Nothing is reserved for this variant at this location');
  const [movement] = await tx
    .insert(stockMovements)
    .values({
      variantId: input.variantId,
      locationId,
      kind: input.kind,
      onHandDelta: input.onHandDelta,
      reservedDelta,
      reason: input.reason,
      note: input.note ?? null,
      actorId: input.actorId ?? null,
      reference: input.reference ?? null,
      onHandAfter: level.onHand,
    })
    .returning();
  return { productId, threshold, level, movement: movement! };
}

function toLevel(variantId: string, locationId: string, onHand: number, reserved: number, threshold: number): Level {
  const available = onHand - reserved;
  return {
    variantId,
    locationId,
    onHand,
    reserved,
    available,
    lowStock: available <= threshold,
    oversold: onHand < 0,
  };
}

const SIGNS: Record<string, 1 | -1 | 0> = { received: 1, return: 1, damage: -1, sale: -1, adjustment: 0 };

/** Received and returned stock must add, damage and sales must remove: a validation_failed AppError if not. */
export function checkAdjustment(input: { delta: number; reason: string }): void {
  const sign = SIGNS[input.reason] ?? 0;
  if (sign !== 0 && Math.sign(input.delta) !== sign) {
    throw new AppError('validation_failed', 'The delta does not fit the reason', {
      errors: [{ path: 'body.delta', message: `must be ${sign > 0 ? 'positive' : 'negative'} for ${input.reason}` }],
    });
  }
}

/** A manual adjustment (checkAdjustment). */
export async function adjustStock(
  db: Db,
  input: { variantId: string; delta: number; reason: keyof typeof SIGNS; note?: string; locationId?: string },
  actorId: string | null,
  reference?: string,
) {
  checkAdjustment(input);
  return db.transaction((tx) =>
    recordMovement(tx, {
      variantId: input.variantId,
      locationId: input.locationId,
      kind: input.reason as MovementKind,
      onHandDelta: input.delta,
      reason: input.reason,
      note: input.note,
      actorId,
      reference,
    }),
  );
}

/**
 * A stocktake. With `expected` (what the counter's screen showed), the correction is
 * counted − expected, so sales recorded since the count was taken are kept; without it the
 * level is set to `counted`. A count that changes nothing records no movement.
 */
export async function countStock(
  db: Db,
  input: { variantId: string; counted: number; expected?: number; note?: string; locationId?: string },
  actorId: string | null,
  reference?: string,
) {
  return db.transaction(async (tx) => {
    const { threshold } = await variantProduct(tx, input.variantId);
    const locationId = input.locationId ?? (await defaultLocationId(tx));
    // Lock a row even on a first count: FOR UPDATE on a missing row locks nothing, so two
    // simultaneous first counts would both add `counted`.
    await tx.insert(stockLevels).values({ variantId: input.variantId, locationId }).onConflictDoNothing();
    const [current] = await tx
      .select({ onHand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(and(eq(stockLevels.variantId, input.variantId), eq(stockLevels.locationId, locationId)))
      .for('update');
    const onHand = current?.onHand ?? 0;
    const delta = input.counted - (input.expected ?? onHand);
    if (delta === 0) {
      return { movement: null, level: toLevel(input.variantId, locationId, onHand, current?.reserved ?? 0, threshold) };
    }
    const note = [input.note, input.expected !== undefined && input.expected !== onHand ? `system had ${onHand}` : '']
      .filter(Boolean)
      .join('; ');
    return recordMovement(tx, {
      variantId: input.variantId,
      locationId,
      kind: 'count_correction',
      onHandDelta: delta,
      reason: `stocktake: counted ${input.counted}${input.expected !== undefined ? `, expected ${input.expected}` : ''}`,
      note: note || null,
      actorId,
      reference,
    });
  });
}

export async function getLevel(db: Db, variantId: string) {
  const [variant] = await db
    .select({ threshold: variants.lowStockThreshold })
    .from(variants)
    .where(eq(variants.id, variantId));
  if (!variant) throw notFound('Variant');
  const { threshold } = variant;
  const levels = await levelsForVariants(db, [variantId]);
  const l = levels.get(variantId) ?? { onHand: 0, reserved: 0 };
  return toLevel(variantId, await defaultLocationId(db), l.onHand, l.reserved, threshold);
}

export interface ReserveInput {
  variantId: string;
  quantity: number;
  reason: string;
  /** What holds the stock, e.g. `order:<id>`. */
  reference: string;
  actorId?: string | null;
}

/**
 * Reserves stock at the default location if, and only if, enough is available: one conditional
 * update (`reserved + q` where `on_hand - reserved >= q`), so concurrent checkouts can never
 * reserve more than is on hand. A reservation changes `reserved` only, and is recorded in the
 * ledger like any movement (level = sum of movements). Answers what was available when it is short.
 */
export async function reserveStock(
  tx: DbOrTx,
  input: ReserveInput,
): Promise<{ ok: true; level: Level } | { ok: false; available: number }> {
  const { productId, threshold } = await variantProduct(tx, input.variantId);
  const locationId = await defaultLocationId(tx);
  const at = and(eq(stockLevels.variantId, input.variantId), eq(stockLevels.locationId, locationId));
  const [level] = await tx
    .update(stockLevels)
    .set({ reserved: sql`${stockLevels.reserved} + ${input.quantity}`, updatedAt: sql`now()` })
    .where(and(at, sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${input.quantity}`))
    .returning({ onHand: stockLevels.onHand, reserved: stockLevels.reserved });
  if (!level) {
    const [current] = await tx
      .select({ available: sql<number>`(${stockLevels.onHand} - ${stockLevels.reserved})::int` })
      .from(stockLevels)
      .where(at);
    return { ok: false, available: Math.max(0, Number(current?.available ?? 0)) };
  }
  const movementId = newId();
  await tx.insert(stockMovements).values({
    id: movementId,
    variantId: input.variantId,
    locationId,
    kind: 'reservation',
    onHandDelta: 0,
    reservedDelta: input.quantity,
    reason: input.reason,
    actorId: input.actorId ?? null,
    reference: input.reference,
    onHandAfter: level.onHand,
  });
  const available = level.onHand - level.reserved;
  if (available > 0 !== available + input.quantity > 0) await refreshInStock(tx, [productId]);
  if (crossedLow(available, -input.quantity, threshold)) {
    await enqueueLowStockAlert(tx, { variantId: input.variantId, locationId, movementId, available, threshold });
  }
  return { ok: true, level: toLevel(input.variantId, locationId, level.onHand, level.reserved, threshold) };
}

/**
 * Locks the default-location levels of these variants (in id order, the lock order every
 * reservation uses) and answers what is available of each, for an all-or-nothing decision.
 */
export async function lockAvailable(tx: DbOrTx, variantIds: string[]): Promise<Map<string, number>> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0) return new Map();
  const locationId = await defaultLocationId(tx);
  const rows = await tx
    .select({ variantId: stockLevels.variantId, onHand: stockLevels.onHand, reserved: stockLevels.reserved })
    .from(stockLevels)
    .where(and(inArray(stockLevels.variantId, ids), eq(stockLevels.locationId, locationId)))
    .orderBy(stockLevels.variantId)
    .for('update');
  const found = new Map(rows.map((r) => [r.variantId, r.onHand - r.reserved]));
  return new Map(ids.map((id) => [id, Math.max(0, found.get(id) ?? 0)]));
}

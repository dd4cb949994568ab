import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MOVEMENT_KINDS } from '../../../shared/api/catalog.schemas.js';
import { newId } from '../../../shared/domain/ids.js';
import { variants } from './catalog.js';
import { syncVersion } from './sync-columns.js';
import { createdAt, updatedAt, users } from './users.js';

export const movementKindEnum = pgEnum('stock_movement_kind', MOVEMENT_KINDS);

export const stockLocations = pgTable(
  'stock_locations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    code: text('code').notNull(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('stock_locations_code_key').on(t.code),
    uniqueIndex('stock_locations_one_default')
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
  ],
);

/**
 * The level of one variant at one location. Written only by the stock service, in the same
 * transaction as the movement that changes it, so it always equals the ledger's sum.
 */
export const stockLevels = pgTable(
  'stock_levels',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id, { onDelete: 'restrict' }),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    version: syncVersion(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('stock_levels_variant_location_key').on(t.variantId, t.locationId),
    index('stock_levels_version_idx').on(t.version),
    check('stock_levels_reserved_nonnegative', sql`${t.reserved} >= 0`),
  ],
);

/** Append-only: a trigger refuses UPDATE and DELETE (migration 0001). */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id, { onDelete: 'restrict' }),
    kind: movementKindEnum('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull().default(0),
    reservedDelta: integer('reserved_delta').notNull().default(0),
    reason: text('reason').notNull(),
    note: text('note'),
    /** Who: a user, or null for the system (checkout, expiry). */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** What caused it: an order id, a sync mutation id, a transfer id, an import batch. */
    reference: text('reference'),
    /** Level after this movement, for reading the ledger without summing. */
    onHandAfter: integer('on_hand_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('stock_movements_variant_idx').on(t.variantId, t.createdAt),
    index('stock_movements_created_idx').on(t.createdAt),
    index('stock_movements_reference_idx').on(t.reference),
    check('stock_movements_nonzero', sql`${t.onHandDelta} <> 0 or ${t.reservedDelta} <> 0`),
  ],
);

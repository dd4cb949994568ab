import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../../shared/domain/ids.js';
import { variants } from './catalog.js';
import { stockLocations } from './stock.js';
import { syncVersion } from './sync-columns.js';
import { users } from './users.js';

/**
 * The sync module's storage (SYNC.md; server/modules/sync). The triggers that fill `sync_log`
 * are in the custom migration `sync_log`; code only reads it.
 */

/** A 64-bit transaction id (`pg_current_xact_id()`); read as a decimal string, it never wraps. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per synced row: its latest change position (`version`), the writing transaction and
 * whether it is gone. A pull walks this by (txid, version) below the oldest running transaction.
 * `field_versions` maps a column to the position of its last change (per-field merge, rule 6).
 */
export const syncLog = pgTable(
  'sync_log',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    txid: xid8('txid').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    fieldVersions: jsonb('field_versions').$type<Record<string, number>>().notNull().default({}),
    /**
     * The device (sync client id) whose push last wrote each field, null for any other writer: a
     * device's later edit of a field it wrote itself is not a conflict with itself.
     */
    fieldWriters: jsonb('field_writers').$type<Record<string, string | null>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] }), index('sync_log_position_idx').on(t.txid, t.version)],
);

/** A single row (id 1): the epoch names this database's history; a restored backup gets a new one. */
export const syncMeta = pgTable('sync_meta', {
  id: integer('id').primaryKey(),
  epoch: text('epoch').notNull(),
  rotatedAt: tsz('rotated_at').notNull().defaultNow(),
});

/** A back-office installation of one staff member; its mutations are numbered per device. */
export const syncDevices = pgTable(
  'sync_devices',
  {
    clientId: uuid('client_id').primaryKey().$defaultFn(newId),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    lastMutationSeq: bigint('last_mutation_seq', { mode: 'number' }).notNull().default(0),
    /**
     * The transaction that last advanced lastMutationSeq. A pull reports that seq only once this
     * transaction is below its snapshot horizon, i.e. once the mutation's effects are among the
     * rows it serves (the host stops rebasing a mutation exactly when its effect has arrived).
     */
    lastMutationTxid: xid8('last_mutation_txid')
      .notNull()
      .default(sql`'0'::xid8`),
    createdAt: tsz('created_at').notNull().defaultNow(),
    lastSeenAt: tsz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('sync_devices_user_idx').on(t.userId)],
);

/** Every processed mutation, written in the transaction of its effect (exactly once, rule 3). */
export const syncMutations = pgTable(
  'sync_mutations',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => syncDevices.clientId, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    mutationId: uuid('mutation_id').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<'applied' | 'rejected' | 'conflict'>().notNull(),
    /** The answer given: `{error?, conflicts?}`, repeated to a retry. */
    result: jsonb('result').$type<Record<string, unknown>>().notNull().default({}),
    /** The device's clock: informational only. */
    clientCreatedAt: tsz('client_created_at').notNull(),
    createdAt: tsz('created_at').notNull().defaultNow(),
    /** The transaction that applied it (and its effects): see syncDevices.lastMutationTxid. */
    txid: xid8('txid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.seq] }), uniqueIndex('sync_mutations_mutation_id_key').on(t.mutationId)],
);

/** A field edit that overwrote a concurrent one (rule 6): the losing value stays here for a person. */
export const syncConflicts = pgTable(
  'sync_conflicts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    field: text('field').notNull(),
    serverValue: jsonb('server_value').$type<unknown>(),
    clientValue: jsonb('client_value').$type<unknown>(),
    clientId: uuid('client_id').notNull(),
    mutationId: uuid('mutation_id').notNull(),
    createdAt: tsz('created_at').notNull().defaultNow(),
    resolvedAt: tsz('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolution: text('resolution').$type<'server' | 'client'>(),
  },
  (t) => [
    index('sync_conflicts_open_idx')
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * A stock level that went below zero (rule 5), written by a trigger on stock_levels whatever the
 * path (offline sale, adjustment, count). Synced down, so every device shows it until resolved.
 */
export const stockOversells = pgTable(
  'stock_oversells',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id, { onDelete: 'restrict' }),
    /** The level when it first went below zero. */
    level: integer('level').notNull(),
    resolvedAt: tsz('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    version: syncVersion(),
    createdAt: tsz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('stock_oversells_variant_idx').on(t.variantId),
    uniqueIndex('stock_oversells_open_key')
      .on(t.variantId, t.locationId)
      .where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * The sync protocol's wire shapes (SYNC.md "Wire shapes"), shared by the server's sync API and the
 * back-office host. A client's clock appears only in `createdAt`, which is informational: the
 * order of changes is the server's (rule 6 of the failure scenarios).
 */
import { z } from 'zod';

/**
 * The protocol this build speaks; the server also accepts the one before (SYNC.md rule 8).
 * 2: order_events travel down (TABLE_SINCE).
 */
export const PROTOCOL_VERSION = 2;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION, PROTOCOL_VERSION - 1].filter(
  (v) => v >= 1,
);

/** A pull page holds at most this many changes (SYNC.md rule 2). */
export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;
/** A push carries at most this many mutations; the host sends its outbox in batches of this size. */
export const MAX_PUSH_BATCH = 500;

/** The tables that travel down, in the order a page applies them (parents before children). */
export const SYNCED_TABLES = [
  'categories',
  'products',
  'variants',
  'product_images',
  'stock_locations',
  'stock_levels',
  'stock_movements',
  'stock_oversells',
  'customers',
  'orders',
  'order_items',
  'order_events',
  'reviews',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/**
 * The protocol version that first carried a table (1 when absent). A device speaking an older one is
 * never sent it: its pull answers would not parse (an unknown table), and its sync would stop.
 */
export const TABLE_SINCE: Partial<Record<SyncedTable, number>> = { order_events: 2 };

/** The tables a device speaking `protocolVersion` is sent. */
export const syncedTablesFor = (protocolVersion: number): readonly SyncedTable[] =>
  SYNCED_TABLES.filter((t) => (TABLE_SINCE[t] ?? 1) <= protocolVersion);

export const protocolVersionField = z.number().int().min(1);

export const mutationEnvelope = z.strictObject({
  /** Strictly increasing per client, without gaps (rule 3). */
  seq: z.number().int().min(1),
  /** The mutation's own id (UUIDv7 made on the device), kept in the server's record of it. */
  id: z.uuid(),
  name: z.string().min(1).max(64),
  args: z.unknown(),
  /** The version of the row the client edited (field patches); the server compares per field. */
  baseVersion: z.number().int().min(0).optional(),
  /** The device's clock when the change was made: shown to people, never used for ordering. */
  createdAt: z.iso.datetime({ offset: true }),
});
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

export const pushBody = z.strictObject({
  clientId: z.uuid(),
  protocolVersion: protocolVersionField,
  mutations: z.array(mutationEnvelope).min(1).max(MAX_PUSH_BATCH),
});
export type PushBody = z.infer<typeof pushBody>;

export const MUTATION_STATUSES = ['applied', 'duplicate', 'rejected', 'conflict'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

export const mutationConflict = z.object({
  field: z.string(),
  serverValue: z.unknown(),
  clientValue: z.unknown(),
});
export type MutationConflict = z.infer<typeof mutationConflict>;

/**
 * `rejected` codes besides the API's error codes (shared/domain/errors.ts: not_found,
 * validation_failed, conflict, invalid_order_transition, ...): `unknown_mutation`,
 * `invalid_arguments`, `product_archived` (rule 7: edited after an archive the device had not
 * seen), `needs_connection` (cancelling a paid order refunds it: online only), and `seq_gap` (the
 * batch stopped there: push again from `lastMutationSeq + 1`; the seq did not advance).
 */
export const mutationResult = z.object({
  seq: z.number().int(),
  status: z.enum(MUTATION_STATUSES),
  /** With status `duplicate`: what the first delivery was answered (its error and conflicts repeat too). */
  originalStatus: z.enum(['applied', 'rejected', 'conflict']).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Set with status `conflict`: the mutation was applied, and these fields overwrote a concurrent edit. */
  conflicts: z.array(mutationConflict).optional(),
  /** SYNC.md names a single conflict; the first of `conflicts`, for clients that read only one. */
  conflict: mutationConflict.optional(),
});
export type MutationResult = z.infer<typeof mutationResult>;

export const pushAnswer = z.object({
  results: z.array(mutationResult),
  lastMutationSeq: z.number().int().min(0),
});
export type PushAnswer = z.infer<typeof pushAnswer>;

export const pullQuery = z.strictObject({
  clientId: z.uuid(),
  protocolVersion: z.coerce.number().int().min(1),
  /** Opaque: what the previous page answered; absent on a first download. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export type PullQuery = z.infer<typeof pullQuery>;

export const change = z.object({
  table: z.enum(SYNCED_TABLES),
  op: z.enum(['upsert', 'delete']),
  id: z.string(),
  version: z.number().int(),
  row: z.record(z.string(), z.unknown()).optional(),
});
export type Change = z.infer<typeof change>;

export const pullAnswer = z.object({
  changes: z.array(change),
  cursor: z.string(),
  hasMore: z.boolean(),
  lastMutationSeq: z.number().int().min(0),
  epoch: z.string(),
  /**
   * Changes still to come after this page, answered only on the page that starts a download (no
   * cursor, or a restart after an epoch change): the first download's progress bar total.
   */
  remaining: z.number().int().min(0).optional(),
});
export type PullAnswer = z.infer<typeof pullAnswer>;

/**
 * The first download's snapshot (GET /api/v1/sync/snapshot): every live synced row in one stream
 * of JSON lines (application/x-ndjson), tables in SNAPSHOT_TABLES order, no tombstones (a fresh
 * replica has nothing to delete). Lines, each one JSON object:
 * - first `{"begin": SnapshotBegin}`;
 * - changes, each a `Change` with op `upsert`, in batches;
 * - after each batch `{"resume": SnapshotResume}`: apply the batch with its token in one
 *   transaction; a download cut after it asks again with `resume=<token>` and gets what follows;
 * - last `{"end": {"rows": n}}`: a stream without it was cut.
 * After the end, pull from `begin.cursor` as usual: that catches up whatever changed while the
 * snapshot was read (nothing committed after its start is skipped, SYNC.md rule 1).
 */
export const SNAPSHOT_TABLES: readonly SyncedTable[] = [
  'categories',
  'stock_locations',
  // Levels before their variants, variants before their products: a row's derived stock sums and
  // price range can then be computed as it is stored, from the rows before it
  // (electron/host/db/snapshot-apply.ts, snapshot-totals.ts).
  'stock_levels',
  'variants',
  'products',
  'product_images',
  'stock_movements',
  'stock_oversells',
  'customers',
  'orders',
  'order_items',
  'order_events',
  'reviews',
];

/** Rows per snapshot batch: one short read on the server, one transaction on the device. */
export const DEFAULT_SNAPSHOT_BATCH = 5000;
export const MAX_SNAPSHOT_BATCH = 20_000;

export const snapshotQuery = z.strictObject({
  clientId: z.uuid(),
  protocolVersion: z.coerce.number().int().min(1),
  /** A `resume` token of an earlier stream: continue after it. Absent: start a snapshot. */
  resume: z.string().max(400).optional(),
  /** Rows per batch (one resume token each). */
  limit: z.coerce.number().int().min(1).max(MAX_SNAPSHOT_BATCH).default(DEFAULT_SNAPSHOT_BATCH),
});
export type SnapshotQuery = z.infer<typeof snapshotQuery>;

export const snapshotBegin = z.object({
  epoch: z.string(),
  /** The pull cursor to continue with once the stream has ended (opaque). */
  cursor: z.string(),
  /** Rows this download serves in all (its progress bar's total), counted when it started. */
  total: z.number().int().min(0),
  /** Rows earlier streams of this download already served (0 unless resuming). */
  done: z.number().int().min(0),
});
export type SnapshotBegin = z.infer<typeof snapshotBegin>;

export const snapshotResume = z.object({
  token: z.string(),
  /** As in a pull answer: the device's last mutation whose effects the batch's rows show. */
  lastMutationSeq: z.number().int().min(0),
});
export type SnapshotResume = z.infer<typeof snapshotResume>;

/** One line of the stream (the OpenAPI document shows this as the answer's item). */
export const snapshotLine = z.union([
  z.strictObject({ begin: snapshotBegin }),
  change,
  z.strictObject({ resume: snapshotResume }),
  z.strictObject({ end: z.object({ rows: z.number().int().min(0) }) }),
]);
export type SnapshotLine = z.infer<typeof snapshotLine>;

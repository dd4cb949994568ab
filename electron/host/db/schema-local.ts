/**
 * The host's device-only tables (never synced): the outbox, sync bookkeeping, row pre-images,
 * conflicts and rejections for people to review, images waiting to upload, refunds in flight.
 * schema.ts re-exports them, so the store and drizzle-kit see one schema.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { type MEDIA_UPLOAD_STATUSES } from '../../../shared/contract/shapes.js';

/**
 * pending: not pushed yet (or its push failed); sent: pushed, answer not recorded; acked: the server
 * applied it, but no pull has shown its effect yet (the pull's lastMutationSeq is below it), so it is
 * still rebased over pulled rows and leaves the outbox when that pull comes.
 */
export const OUTBOX_STATUSES = ['pending', 'sent', 'acked'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Mutations made here and not yet acknowledged by the server (SYNC.md rules 3 and 4). */
export const outbox = sqliteTable(
  'outbox',
  {
    /** Strictly increasing without gaps: the next value is sync_state.last_local_seq + 1, taken in the enqueue transaction. */
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    name: text('name').notNull(),
    args: text('args', { mode: 'json' }).notNull(),
    baseVersion: integer('base_version'),
    createdAt: text('created_at').notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [check('outbox_status_valid', sql`${t.status} in ('pending', 'sent', 'acked')`)],
);

export interface StoredSession {
  user: { id: string; email: string; name: string; role: string };
  accessToken: string;
  refreshToken: string;
}

/** The one row of sync bookkeeping (id is always 1). */
export const syncState = sqliteTable(
  'sync_state',
  {
    id: integer('id').primaryKey(),
    clientId: text('client_id').notNull(),
    serverUrl: text('server_url'),
    /** The server's opaque pull position; null before the first page. */
    cursor: text('cursor'),
    epoch: text('epoch'),
    /** The highest mutation seq the server says it applied. */
    lastMutationSeq: integer('last_mutation_seq').notNull().default(0),
    /** The highest seq handed to an outbox entry (kept when entries leave the outbox). */
    lastLocalSeq: integer('last_local_seq').notNull().default(0),
    lastPullAt: text('last_pull_at'),
    lastPushAt: text('last_push_at'),
    lastError: text('last_error'),
    firstDownloadDone: integer('first_download_done').notNull().default(0),
    firstDownloadTotal: integer('first_download_total'),
    firstDownloadComplete: integer('first_download_complete', { mode: 'boolean' }).notNull().default(false),
    /**
     * The lastMutationSeq of the last applied pull page: mutations up to it are in the synced rows,
     * so they are never re-applied over them. Reset with the client id.
     */
    pulledMutationSeq: integer('pulled_mutation_seq').notNull().default(0),
    /** The server registered client_id for the signed-in user (a new id is registered after an epoch change). */
    deviceRegistered: integer('device_registered', { mode: 'boolean' }).notNull().default(false),
    /**
     * The staff session: `{user, accessToken, refreshToken}`, kept so it survives restarts. Under
     * Electron the tokens should be sealed with safeStorage before they land here (TODO issue 7).
     */
    session: text('session', { mode: 'json' }).$type<StoredSession>(),
  },
  (t) => [check('sync_state_single_row', sql`${t.id} = 1`)],
);

/**
 * The server's state of a synced row before the first local (optimistic) edit still waiting on it:
 * `data` null means the row did not exist (a local create). When the server rejects a mutation, the
 * rows it touched go back to this state and the remaining pending mutations are re-applied, so a
 * refused edit does not stay on screen as if it had happened. A base is current only while its row
 * still has `version` (a pulled row replaces both).
 */
export const rowBases = sqliteTable(
  'row_bases',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    version: integer('version').notNull(),
    data: text('data'),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
);

/** Fields where a push of ours overwrote, or lost to, a concurrent edit (SYNC.md rule 6), for a person to review. */
export const conflicts = sqliteTable(
  'conflicts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    serverValue: text('server_value', { mode: 'json' }),
    clientValue: text('client_value', { mode: 'json' }),
    mutationId: text('mutation_id').notNull(),
    mutationSeq: integer('mutation_seq').notNull(),
    at: text('at').notNull(),
    resolved: integer('resolved', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('conflicts_open_idx').on(t.resolved, t.id)],
);

/** Mutations the server answered `rejected` (SYNC.md rule 7): they left the outbox; the reason stays for the UI. */
export const rejections = sqliteTable(
  'rejections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mutationId: text('mutation_id').notNull(),
    mutationSeq: integer('mutation_seq').notNull(),
    name: text('name').notNull(),
    args: text('args', { mode: 'json' }).notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    at: text('at').notNull(),
    resolved: integer('resolved', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('rejections_open_idx').on(t.resolved, t.id)],
);

export type MediaUploadStatus = (typeof MEDIA_UPLOAD_STATUSES)[number];

/**
 * Product images waiting to reach the server (local only, never synced). The file itself lives in
 * `<dataDir>/media-queue/<id>.<ext>`; `seq` is the order they are sent in. A row leaves only when the
 * server stored the image, or when a person discards it: a refused upload stays `failed` with the reason.
 */
export const mediaUploads = sqliteTable(
  'media_uploads',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    productId: text('product_id').notNull(),
    fileName: text('file_name').notNull(),
    alt: text('alt'),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** A small WebP thumbnail (data: URL) for the UI. */
    preview: text('preview').notNull(),
    status: text('status').$type<MediaUploadStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('media_uploads_status_idx').on(t.status, t.seq),
    index('media_uploads_product_idx').on(t.productId, t.seq),
    check('media_uploads_status_valid', sql`${t.status} in ('pending', 'failed')`),
  ],
);

/**
 * The Idempotency-Key of each refund sent but not known to be finished, stored BEFORE the request:
 * the same refund asked again (after a timeout or a cut connection) reuses it, so the server
 * answers the first refund instead of making a second. `request` is the exact JSON body sent.
 */
export const refundAttempts = sqliteTable(
  'refund_attempts',
  {
    orderId: text('order_id').notNull(),
    request: text('request').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.request] })],
);

import { bigint } from 'drizzle-orm/pg-core';

/**
 * The server change position of a synced row (SYNC.md rule 1). A trigger sets it from the
 * global `sync_change_seq` on every insert and on every update that changes a synced column,
 * and deletes leave a tombstone with a fresh position (migration 0001). Code never sets it.
 */
export const syncVersion = () => bigint('version', { mode: 'number' }).notNull().default(0);

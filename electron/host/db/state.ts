/**
 * Sync bookkeeping the UI shows (SYNC.md rule 10) and the records a person acts on: conflicts,
 * rejections and oversells (synced from the server). Also the epoch reset (SYNC.md scenario 10): synced data and the
 * cursor go (synced oversells with them: the server sends its own again), the outbox (and its seq
 * counter), conflicts and rejections stay.
 */
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { SYNCED_TABLES } from '../../../shared/sync/protocol.js';
import { conflicts, rejections, stockMovements, stockOversells, syncState } from './schema.js';
import type { Store } from './store.js';

export type SyncState = typeof syncState.$inferSelect;

export function getSyncState(store: Store): SyncState {
  return store.db.select().from(syncState).where(eq(syncState.id, 1)).get()!;
}

export function setServerUrl(store: Store, serverUrl: string | null): void {
  store.db.update(syncState).set({ serverUrl }).where(eq(syncState.id, 1)).run();
}

/** The first download's progress (rows applied so far, estimated total), for the progress bar. */
export function firstDownloadProgress(store: Store): { done: number; total: number | null; complete: boolean } {
  const s = getSyncState(store);
  return { done: s.firstDownloadDone, total: s.firstDownloadTotal, complete: s.firstDownloadComplete };
}

export function resetForNewEpoch(store: Store, epoch: string): void {
  store.transaction(() => {
    for (const table of SYNCED_TABLES) store.sqlite.prepare(`DELETE FROM ${table}`).run();
    store.sqlite.prepare('DELETE FROM product_categories').run();
    store.sqlite.prepare('DELETE FROM sync_tombstones').run();
    store.sqlite.prepare("INSERT INTO products_fts (products_fts) VALUES ('delete-all')").run();
    store.db
      .update(syncState)
      .set({
        epoch,
        cursor: null,
        firstDownloadDone: 0,
        firstDownloadTotal: null,
        firstDownloadComplete: false,
      })
      .where(eq(syncState.id, 1))
      .run();
  });
}

export function listConflicts(store: Store, { open = true } = {}) {
  return store.db
    .select()
    .from(conflicts)
    .where(open ? eq(conflicts.resolved, false) : undefined)
    .orderBy(asc(conflicts.id))
    .all();
}

export function resolveConflict(store: Store, id: number): boolean {
  return (
    store.db
      .update(conflicts)
      .set({ resolved: true })
      .where(and(eq(conflicts.id, id), eq(conflicts.resolved, false)))
      .run().changes > 0
  );
}

export function listRejections(store: Store, { open = true } = {}) {
  return store.db
    .select()
    .from(rejections)
    .where(open ? eq(rejections.resolved, false) : undefined)
    .orderBy(asc(rejections.id))
    .all();
}

export function resolveRejection(store: Store, id: number): boolean {
  return (
    store.db
      .update(rejections)
      .set({ resolved: true })
      .where(and(eq(rejections.id, id), eq(rejections.resolved, false)))
      .run().changes > 0
  );
}

/** Oversells as the server last sent them; resolving one is a server action (no mutation exists for it yet). */
export function listOversells(store: Store, { open = true } = {}) {
  return store.db
    .select()
    .from(stockOversells)
    .where(open ? isNull(stockOversells.resolvedAt) : undefined)
    .orderBy(asc(stockOversells.createdAt), asc(stockOversells.id))
    .all();
}

/**
 * The store keeps recent stock movements only: drops those created before `before` and returns how
 * many went. The server keeps the whole ledger; a dropped movement never comes back (its version is old).
 */
export function pruneMovements(store: Store, before: Date): number {
  return store.db.delete(stockMovements).where(lt(stockMovements.createdAt, before.toISOString())).run().changes;
}

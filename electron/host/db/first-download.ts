/**
 * How the host writes a first download (issue 6 performance). Since the snapshot stream
 * (sync/snapshot.ts) it reads every row once, table by table, with the synced tables' secondary
 * indexes dropped until its end (below); the pages that follow only catch up. Besides, as for a
 * paged download (a server without the stream), deferring the product index
 * (apply.ts `deferProductIndex`) and asking for the next page while applying one (sync/cycle.ts):
 *
 * - WAL checkpoints are spaced out. At SQLite's default (a checkpoint whenever the WAL passes 1000
 *   pages, 4 MiB) a 100k-product download checkpoints over a hundred times: each copies back index
 *   pages the next pages change again and syncs both files. On bench/host.ts's data (100k
 *   products), checkpointing every 16k pages (64 MiB of WAL) took the pages' apply from about 15 s
 *   to about 9 s. A killed process loses nothing either way (commits are in the WAL). A power cut
 *   may lose more of the latest pages (the WAL is synced at checkpoints): their cursor goes with
 *   them, so the download fetches them again. The setting is per connection (a restart brings the
 *   default back); when the download ends the WAL is checkpointed and truncated.
 * - Pages are bigger when the caller did not choose a size: the server's maximum, so fewer
 *   requests (each has a fixed cost on the server), transactions and commits. Still bounded
 *   (SYNC.md rule 2); applying one holds the event loop for about a tenth of a second.
 *   bench:sync, 100k products: about 29.7 s in pages of 1000, 27.5 s in pages of 5000.
 */
import { MAX_PULL_LIMIT, SYNCED_TABLES } from '../../../shared/sync/protocol.js';
import type { Store } from './store.js';

/** WAL pages between automatic checkpoints while a first download runs (4 KiB pages: 64 MiB). */
export const BULK_CHECKPOINT_PAGES = 16_384;

/** The page size of a first download when the engine was given none (later pulls keep the default). */
export const FIRST_DOWNLOAD_PULL_LIMIT = MAX_PULL_LIMIT;

/**
 * Spaces out WAL checkpoints until the returned function is called (in a `finally`), which puts
 * the connection's previous setting back and checkpoints the WAL into the file, truncating it.
 */
export function beginBulkWrites(store: Store): () => void {
  const previous = Number(store.sqlite.pragma('wal_autocheckpoint', { simple: true }));
  store.sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  return () => {
    // Closed under us (the app quit mid-download): closing already checkpointed.
    if (!store.sqlite.open) return;
    store.sqlite.pragma(`wal_autocheckpoint = ${previous}`);
    // A checkpoint cannot run inside a transaction; the next commit then checkpoints as usual.
    if (!store.sqlite.inTransaction) store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  };
}

/**
 * Secondary indexes a snapshot download keeps while it loads when it computes variants' stock sums
 * and products' derived columns from stored rows as it inserts them (snapshot-apply.ts): through
 * these two. A download that sums them from its own rows (snapshot-totals.ts) keeps none.
 */
export const KEPT_FOR_DERIVED: ReadonlySet<string> = new Set(['stock_levels_variant_idx', 'variants_product_idx']);

/** Kept by every download: stock_levels_placeholder_idx covers no row a download writes (schema.ts). */
const NEVER_DROPPED: ReadonlySet<string> = new Set(['stock_levels_placeholder_idx']);

/** Where dropped index definitions wait (a table of this module's own, made when first needed). */
const BACKUP = 'bulk_dropped_indexes';

/**
 * Drops the synced tables' non-unique indexes but `keep` for a snapshot download
 * (restoreSyncedIndexes builds them again at its end), and builds again any of `keep` an earlier
 * run dropped (a download killed half-way, resumed another way). Keeping six indexes on products
 * and three on variants up to date row by row made the host's inserts about twice the cost of the
 * bare inserts; building each once from the loaded rows is a sort. Their definitions are kept in
 * the store itself, in the same transaction, so a download killed half-way still puts them back
 * when it ends, in whichever run. Until then the store answers the same, only slower (the progress
 * bar is up).
 */
export function dropSyncedIndexes(store: Store, keep: ReadonlySet<string> = KEPT_FOR_DERIVED): void {
  store.transaction(() => {
    store.sqlite.exec(`CREATE TABLE IF NOT EXISTS ${BACKUP} (name TEXT PRIMARY KEY, sql TEXT NOT NULL)`);
    const synced = SYNCED_TABLES.map((t) => `'${t}'`).join(', ');
    const indexes = store.sqlite
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
           AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (${synced})`,
      )
      .all() as { name: string; sql: string }[];
    const save = store.sqlite.prepare(`INSERT OR REPLACE INTO ${BACKUP} (name, sql) VALUES (?, ?)`);
    for (const { name, sql } of indexes) {
      if (keep.has(name) || NEVER_DROPPED.has(name)) continue;
      save.run(name, sql);
      store.sqlite.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
    }
    restoreFromBackup(store, (name) => keep.has(name));
  });
}

function restoreFromBackup(store: Store, which: (name: string) => boolean): void {
  const dropped = store.sqlite.prepare(`SELECT name, sql FROM ${BACKUP}`).all() as { name: string; sql: string }[];
  const forget = store.sqlite.prepare(`DELETE FROM ${BACKUP} WHERE name = ?`);
  for (const { name, sql } of dropped) {
    if (!which(name)) continue;
    store.sqlite.exec(sql.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    forget.run(name);
  }
}

/** Builds again every index dropSyncedIndexes dropped (none if it never ran). In the caller's transaction, if any. */
export function restoreSyncedIndexes(store: Store): void {
  const backup = store.sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${BACKUP}'`)
    .pluck()
    .get();
  if (!backup) return;
  store.transaction(() => restoreFromBackup(store, () => true));
}

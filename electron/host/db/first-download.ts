/**
 * How the host writes a first download (issue 6 performance), besides deferring the product index
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
import { MAX_PULL_LIMIT } from '../../../shared/sync/protocol.js';
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

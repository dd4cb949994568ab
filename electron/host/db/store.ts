/**
 * Opens the back-office host's local SQLite store: one better-sqlite3 connection, drizzle on top,
 * migrations applied on open. Plain Node (no 'electron' import), so tests and benches run it directly.
 *
 * Rules it keeps:
 * - WAL journal with synchronous=NORMAL: a killed process never loses a committed transaction and
 *   never sees half of one; a power cut may lose the last commits but leaves the file consistent.
 * - Every multi-statement write runs in `store.transaction` (BEGIN IMMEDIATE, so a second
 *   connection waits on busy_timeout instead of failing mid-transaction on a lock upgrade).
 * - Synced tables declare no foreign keys (rows arrive in the server's change order); enforcement
 *   is on for whatever local tables may declare them.
 * - Hot statements are prepared once per store (`store.cached`), never per call (NOTES.md: 8-10x).
 */
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { newId } from '../../../shared/domain/ids.js';
import * as schema from './schema.js';

/**
 * Resolved from this module's own location, which works from the source tree (tsx, vitest).
 * Packaging note: a bundled build must ship this folder unpacked (electron-builder `extraResources`
 * or `asarUnpack`) and pass its path as `migrationsFolder`.
 */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export type Db = BetterSQLite3Database<typeof schema>;

export interface Store {
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly db: Db;
  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when already inside one); a throw rolls all of it back. */
  transaction<T>(fn: () => T): T;
  /** A statement (drizzle's `.prepare()` or raw SQL) made once for this store under `key`. */
  cached<T>(key: string, make: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  migrationsFolder?: string;
  busyTimeoutMs?: number;
}

export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    sqlite.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 2 MiB): a 100k-product store is ~500 MiB and lists join it.
    sqlite.pragma('cache_size = -65536');
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder: options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER });
    sqlite.prepare('INSERT OR IGNORE INTO sync_state (id, client_id) VALUES (1, ?)').run(newId());

    const statements = new Map<string, unknown>();
    return {
      file,
      sqlite,
      db,
      transaction: <T>(fn: () => T): T =>
        sqlite.inTransaction ? sqlite.transaction(fn)() : sqlite.transaction(fn).immediate(),
      cached<T>(key: string, make: () => T): T {
        if (!statements.has(key)) statements.set(key, make());
        return statements.get(key) as T;
      },
      close: () => {
        statements.clear();
        if (sqlite.open) sqlite.close();
      },
    };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

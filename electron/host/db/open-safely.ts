/**
 * Opens the local store, and when its file turns out to be damaged, sets it aside and starts a fresh
 * one (issue: "a corrupted local database file → the host says so and offers a fresh download,
 * keeping a copy of the old file"). The server holds everything synced, so a fresh store loses only
 * what was never pushed; the damaged file is kept, never deleted, so support can still dig it out.
 *
 * Only damage is recovered: SQLite's "not a database" and "malformed" errors, or a quick_check that
 * is not clean when the file is first looked at. Anything else (permissions, a full disk, a migration bug) is thrown
 * as it came, because replacing the file would not fix it and would hide the real fault.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors.js';
import { openStore, type OpenStoreOptions, type Store } from './store.js';

export interface OpenSafelyOptions extends OpenStoreOptions {
  /** Names the backup; tests pass a fixed clock. */
  now?: () => Date;
}

export interface Recovery {
  /** What was wrong, for the host to show (and log) before it offers the fresh download. */
  reason: string;
  /** The damaged file, moved aside; its -wal, -shm and -journal (when present) sit beside it with those suffixes. */
  backupPath: string;
}

export interface SafeOpenResult {
  store: Store;
  recovered: Recovery | null;
}

export interface StoreCheck {
  ok: boolean;
  problems: string[];
}

// SQLite reports damage as NOTADB or one of the CORRUPT family (SQLITE_CORRUPT_INDEX, ..._VTAB, ...).
const DAMAGE = /^SQLITE_(NOTADB|CORRUPT)/;
// quick_check stops after this many findings: enough to explain, cheap on a badly damaged file.
const MAX_PROBLEMS = 20;
// -wal first: a crash mid-move must never leave an old WAL beside the fresh file, where SQLite would replay it.
const SIBLINGS = ['-wal', '-shm', '-journal'];

/** The SQLite error code of `error` or of an error it wraps (drizzle may wrap driver errors). */
function sqliteCode(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return null;
}

const isDamage = (error: unknown): boolean => DAMAGE.test(sqliteCode(error) ?? '');

type Sqlite = Store['sqlite'];

const damaged = (details: string[]) => `the local database is damaged: ${details.join('; ')}`;

const describe = (error: unknown) => `${(error as Error).message} (${sqliteCode(error)})`;

/**
 * PRAGMA quick_check's findings ([] when clean): page and b-tree structure, O(file size) but without
 * the index cross-check of integrity_check, so it is fit for every start. On a badly damaged file the
 * check itself fails part-way: the findings so far are kept and the failure is the last one.
 */
function quickCheck(sqlite: Sqlite): string[] {
  const findings: string[] = [];
  try {
    const rows = sqlite.prepare(`PRAGMA quick_check(${MAX_PROBLEMS})`).pluck().iterate() as Iterable<string>;
    for (const line of rows) if (line !== 'ok') findings.push(line);
  } catch (error) {
    if (!isDamage(error)) throw error;
    findings.push(describe(error));
  }
  return findings;
}

/** Checks an open store's structure; damage is reported, anything else (a closed store) thrown. */
export function checkStore(store: Store): StoreCheck {
  const problems = quickCheck(store.sqlite);
  return { ok: problems.length === 0, problems };
}

/** Opens the store, or sets a damaged file aside and opens a fresh one in its place. */
export function openStoreSafely(file: string, options: OpenSafelyOptions = {}): SafeOpenResult {
  const parsed = z.string().min(1).safeParse(file);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'the local database needs a file path', {
      errors: [{ path: 'file', message: parsed.error.issues[0]?.message ?? 'invalid' }],
    });
  }
  const { now = () => new Date(), ...storeOptions } = options;
  let reason = existsSync(file) ? probe(file) : null;
  if (reason === null) {
    try {
      return { store: openStore(file, storeOptions), recovered: null };
    } catch (error) {
      // Damage the probe could not see. openStore has closed its connection read-write by now, which
      // may have folded the -wal into the file: the backup still holds everything, in one file.
      if (!isDamage(error)) throw error;
      reason = damaged([describe(error)]);
    }
  }
  const backupPath = moveAside(file, now());
  return { store: openStore(file, storeOptions), recovered: { reason, backupPath } };
}

/**
 * Why the file is damaged, or null when it is sound. Read-only on purpose: closing a read-write
 * connection checkpoints and deletes the -wal and -shm (SQLite even does so beside a file that is
 * not a database), which would destroy what the backup promises to keep. A read-only one leaves the
 * file and its -wal as they are; it may rebuild the -shm, a cache of the WAL's index with nothing durable.
 */
function probe(file: string): string | null {
  let sqlite: Sqlite;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    if (!isDamage(error)) throw error;
    return damaged([describe(error)]);
  }
  try {
    const problems = quickCheck(sqlite);
    return problems.length === 0 ? null : damaged(problems);
  } finally {
    sqlite.close();
  }
}

/** Renames the file and its siblings to `<file>.corrupt-<timestamp>[-n]`, never over an existing file. */
function moveAside(file: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const taken = (name: string) => [name, ...SIBLINGS.map((suffix) => name + suffix)].some((p) => existsSync(p));
  let backup = `${file}.corrupt-${stamp}`;
  for (let n = 2; taken(backup); n++) backup = `${file}.corrupt-${stamp}-${n}`;
  try {
    for (const suffix of SIBLINGS) if (existsSync(file + suffix)) renameSync(file + suffix, backup + suffix);
    renameSync(file, backup);
  } catch (error) {
    throw new AppError('internal', `could not move the damaged local database aside to ${backup}`, { cause: error });
  }
  return backup;
}

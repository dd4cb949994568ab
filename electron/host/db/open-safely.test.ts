import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { applyPullPage } from './apply.js';
import { checkStore, openStoreSafely } from './open-safely.js';
import { openStore, type Store } from './store.js';
import { page, productChanges } from './testkit.js';

const NOW = new Date('2026-01-02T03:04:05.678Z');
const STAMP = '2026-01-02T03-04-05-678Z';
const PRODUCTS = 1500;
const now = () => NOW;

let dir = '';
let file = '';
const open: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-open-safely-'));
  file = path.join(dir, 'store.db');
});
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const keep = <T extends { store: Store }>(result: T): T => (open.push(result.store), result);
const count = (store: Store, table: string) =>
  store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** A store with enough rows for thousands of pages, closed cleanly (no WAL left). */
function healthyStore(): void {
  const store = openStore(file);
  const changes = [];
  for (let n = 0; n < PRODUCTS; n++) changes.push(...productChanges(n, 3, 1));
  applyPullPage(store, page(changes, 'c1'));
  store.close();
}

/** Overwrites `length` bytes at `offset` with a fixed non-zero pattern (deterministic garbage). */
function scribble(offset: number, length: number): Buffer {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  closeSync(fd);
  return readFileSync(file);
}

/** Pseudo-random bytes from a fixed seed, so every run corrupts the same way. */
function garbage(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0, x = seed; i < length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return bytes;
}

function expectFreshStore(store: Store): void {
  expect(count(store, 'products')).toBe(0);
  expect(count(store, 'sync_state')).toBe(1);
  expect(checkStore(store)).toEqual({ ok: true, problems: [] });
  store.transaction(() => store.sqlite.prepare("UPDATE sync_state SET cursor = 'c9' WHERE id = 1").run());
}

describe('openStoreSafely', () => {
  it('opens a healthy store as it is: no recovery, data kept, nothing moved', () => {
    healthyStore();
    const { store, recovered } = keep(openStoreSafely(file, { now }));
    expect(recovered).toBeNull();
    expect(count(store, 'products')).toBe(PRODUCTS);
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('creates a store where there is no file yet', () => {
    const { store, recovered } = keep(openStoreSafely(file));
    expect(recovered).toBeNull();
    expectFreshStore(store);
  });

  it('sets aside a file of random bytes with its -wal and -shm, and opens a fresh store', () => {
    const original = garbage(64 * 1024, 1);
    writeFileSync(file, original);
    writeFileSync(`${file}-wal`, garbage(4096, 2));
    writeFileSync(`${file}-shm`, garbage(32768, 3));
    const { store, recovered } = keep(openStoreSafely(file, { now }));
    expect(recovered).toEqual({
      reason: expect.stringContaining('SQLITE_NOTADB'),
      backupPath: `${file}.corrupt-${STAMP}`,
    });
    expect(readFileSync(recovered!.backupPath).equals(original)).toBe(true);
    expect(readFileSync(`${recovered!.backupPath}-wal`).equals(garbage(4096, 2))).toBe(true);
    // The -shm is only an index of the WAL that any reader may rebuild: kept, but not byte for byte.
    expect(statSync(`${recovered!.backupPath}-shm`).isFile()).toBe(true);
    expectFreshStore(store);
  });

  it('sets aside a store whose middle pages are garbage, keeping the damaged bytes exactly', () => {
    healthyStore();
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(1024 * 1024);
    const corrupted = scribble(Math.floor(size / 2 / 4096) * 4096, 8192);
    const { store, recovered } = keep(openStoreSafely(file, { now }));
    // quick_check's own findings are reported, not just SQLite's final "malformed".
    expect(recovered?.reason).toMatch(/^the local database is damaged: .*btreeInitPage/s);
    expect(recovered?.backupPath).toBe(`${file}.corrupt-${STAMP}`);
    expect(readFileSync(recovered!.backupPath).equals(corrupted)).toBe(true);
    expectFreshStore(store);
  });

  it('sets aside a store whose schema page is garbage (opening itself fails as malformed)', () => {
    healthyStore();
    const corrupted = scribble(100, 4096 - 100);
    const { store, recovered } = keep(openStoreSafely(file, { now }));
    expect(recovered?.reason).toMatch(/SQLITE_CORRUPT/);
    expect(readFileSync(recovered!.backupPath).equals(corrupted)).toBe(true);
    expectFreshStore(store);
  });

  it('never overwrites an earlier backup taken at the same instant', () => {
    const earlier = `${file}.corrupt-${STAMP}`;
    writeFileSync(earlier, 'first');
    writeFileSync(file, garbage(8192, 4));
    const { recovered } = keep(openStoreSafely(file, { now }));
    expect(recovered?.backupPath).toBe(`${earlier}-2`);
    expect(readFileSync(earlier, 'utf8')).toBe('first');
    expect(readFileSync(`${earlier}-2`).equals(garbage(8192, 4))).toBe(true);
  });

  it('rethrows an unrelated failure (the path is a directory) and moves nothing', () => {
    mkdirSync(file);
    // SQLite names it a read or open failure depending on the step that meets the directory: not damage.
    expect(() => openStoreSafely(file, { now })).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^SQLITE_(CANTOPEN|IOERR)/) }),
    );
    expect(statSync(file).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual(['store.db']);
  });

  it('rethrows a migration failure on a healthy file and leaves the file where it is', () => {
    healthyStore();
    const before = readFileSync(file);
    const missing = path.join(dir, 'no-migrations-here');
    expect(() => openStoreSafely(file, { now, migrationsFolder: missing })).toThrow();
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it.each([
    ['an empty path', ''],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s as the file with validation_failed', (_name, bad) => {
    let caught: unknown;
    try {
      openStoreSafely(bad as string);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('validation_failed');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('checkStore', () => {
  it('is ok for a healthy store and lists problems for a damaged one', () => {
    healthyStore();
    const healthy = openStore(file);
    expect(checkStore(healthy)).toEqual({ ok: true, problems: [] });
    healthy.close();

    scribble(Math.floor(statSync(file).size / 2 / 4096) * 4096, 8192);
    const damaged = openStore(file);
    open.push(damaged);
    const check = checkStore(damaged);
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
    expect(check.problems.length).toBeLessThanOrEqual(20);
    expect(check.problems.every((p) => typeof p === 'string' && p !== 'ok')).toBe(true);
  });

  it('throws, rather than calling a store damaged, when the store is closed', () => {
    const store = openStore(file);
    store.close();
    expect(() => checkStore(store)).toThrow(/not open/);
  });
});

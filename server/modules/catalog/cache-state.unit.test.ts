import { describe, expect, it } from 'vitest';
import type { DbOrTx } from '../../db/client.js';
import { CatalogCache } from './cache.js';

/**
 * A fake database whose `execute` answers the catalog-state query with the current value of
 * `seq`, counting reads; `hold` keeps a read pending until released.
 */
function fakeDb() {
  const db = {
    seq: 1,
    reads: 0,
    held: undefined as (() => void) | undefined,
    hold: false,
    async execute() {
      db.reads += 1;
      const value = db.seq;
      if (db.hold) await new Promise<void>((resolve) => (db.held = resolve));
      return { rows: [{ state: `${value}:t:1` }] };
    },
  };
  return db;
}

const cacheOn = (db: ReturnType<typeof fakeDb>, stateTtlMs: number) =>
  new CatalogCache(db as unknown as DbOrTx, { stateTtlMs, responseBytes: 1024 });

describe('CatalogCache.state', () => {
  it('reads once per TTL and shares one read among concurrent callers', async () => {
    const db = fakeDb();
    const cache = cacheOn(db, 60_000);
    const states = await Promise.all([cache.state(), cache.state(), cache.state()]);
    expect(states).toEqual(['1:t:1', '1:t:1', '1:t:1']);
    expect(db.reads).toBe(1);
    db.seq = 2;
    expect(await cache.state()).toBe('1:t:1');
    expect(db.reads).toBe(1);
  });

  it('reads again once the TTL has passed, and every time with a TTL of 0', async () => {
    const db = fakeDb();
    const cache = cacheOn(db, 20);
    await cache.state();
    db.seq = 2;
    await new Promise((r) => setTimeout(r, 30));
    expect(await cache.state()).toBe('2:t:1');
    const uncached = cacheOn(db, 0);
    await uncached.state();
    await uncached.state();
    expect(db.reads).toBe(4);
  });

  it('after invalidate reads again, and never keeps a read that started before the invalidation', async () => {
    const db = fakeDb();
    const cache = cacheOn(db, 60_000);
    db.hold = true;
    const early = cache.state(); // reads seq 1, then waits
    await Promise.resolve();
    db.seq = 2; // a write commits...
    cache.invalidate(); // ...and invalidates while the early read is pending
    db.hold = false;
    const release = db.held!;
    const late = cache.state(); // must not join the early read
    release();
    expect(await early).toBe('1:t:1');
    expect(await late).toBe('2:t:1');
    expect(await cache.state()).toBe('2:t:1');
    expect(db.reads).toBe(2);
  });

  it('keeps responses within the byte budget and has none when the budget is 0', () => {
    const db = fakeDb();
    const cache = cacheOn(db, 1000);
    cache.responses!.set('a', { body: 'x'.repeat(600), type: 'application/json' });
    cache.responses!.set('b', { body: 'y'.repeat(600), type: 'application/json' });
    expect(cache.responses!.get('a')).toBeUndefined();
    expect(cache.responses!.get('b')?.body).toHaveLength(600);
    expect(new CatalogCache(db as unknown as DbOrTx, { stateTtlMs: 0, responseBytes: 0 }).responses).toBeUndefined();
  });
});

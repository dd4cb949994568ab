import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import type { DbOrTx } from '../../db/client.js';
import { CatalogCache, invalidateOnWrite, type CachedBody, type SharedCatalog } from './cache.js';

/** A database that answers the state query with `seq`, counting reads. */
function fakeDb() {
  const db = {
    seq: 1,
    reads: 0,
    async execute() {
      db.reads += 1;
      return { rows: [{ state: `${db.seq}:t:1` }] };
    },
  };
  return db;
}

/** A shared layer in memory that records what it is asked; `announce` waits for `release()`. */
function fakeShared() {
  const shared = {
    entries: new Map<string, CachedBody>(),
    gets: [] as string[],
    announcements: 0,
    listener: undefined as (() => void) | undefined,
    release: undefined as (() => void) | undefined,
    async get(etag: string) {
      shared.gets.push(etag);
      return shared.entries.get(etag);
    },
    set(etag: string, entry: CachedBody) {
      shared.entries.set(etag, entry);
    },
    announce() {
      shared.announcements += 1;
      return new Promise<void>((resolve) => (shared.release = resolve));
    },
    subscribe(listener: () => void) {
      shared.listener = listener;
    },
  };
  return shared;
}

const entry = (body: string): CachedBody => ({ body, type: 'application/json' });
const cacheWith = (shared: SharedCatalog, responseBytes = 1024, db = fakeDb()) =>
  new CatalogCache(db as unknown as DbOrTx, { stateTtlMs: 60_000, responseBytes, shared });

describe('CatalogCache with a shared layer', () => {
  it('looks in memory first, then in the shared layer, and keeps a shared hit in memory', async () => {
    const shared = fakeShared();
    const cache = cacheWith(shared);
    shared.entries.set('a', entry('from another instance'));
    expect((await cache.lookup('a', true))?.body).toBe('from another instance');
    expect((await cache.lookup('a', true))?.body).toBe('from another instance');
    expect(shared.gets).toEqual(['a']);
    expect(await cache.lookup('missing', true)).toBeUndefined();
    expect(shared.gets).toEqual(['a', 'missing']);
  });

  it('does not ask the shared layer when told not to, nor when the response cache is off', async () => {
    const shared = fakeShared();
    shared.entries.set('a', entry('x'));
    expect(await cacheWith(shared).lookup('a', false)).toBeUndefined();
    expect(await cacheWith(shared, 0).lookup('a', true)).toBeUndefined();
    expect(shared.gets).toEqual([]);
  });

  it('shares only what it is told to share', () => {
    const shared = fakeShared();
    const cache = cacheWith(shared);
    cache.keep('public', entry('p'), true);
    cache.keep('signed-in', entry('s'), false);
    expect([...shared.entries.keys()]).toEqual(['public']);
    expect(cache.responses!.get('signed-in')?.body).toBe('s');
  });

  it("reads the state again when another instance's announcement arrives", async () => {
    const db = fakeDb();
    const shared = fakeShared();
    const cache = cacheWith(shared, 1024, db);
    expect(await cache.state()).toBe('1:t:1');
    db.seq = 2;
    expect(await cache.state()).toBe('1:t:1');
    shared.listener!();
    expect(await cache.state()).toBe('2:t:1');
    expect(db.reads).toBe(2);
  });
});

describe('invalidateOnWrite with a shared layer', () => {
  function appWith(shared: ReturnType<typeof fakeShared>) {
    const app = express();
    app.use(invalidateOnWrite(cacheWith(shared)));
    app.post('/ok', (_req, res) => void res.status(201).json({ ok: true }));
    app.post('/refused', (_req, res) => void res.status(409).json({ ok: false }));
    app.get('/read', (_req, res) => void res.json({ ok: true }));
    return supertest(app);
  }

  it('ends a successful write only once the other instances have been told', async () => {
    const shared = fakeShared();
    let received = false;
    const response = appWith(shared)
      .post('/ok')
      .then((res) => {
        received = true;
        return res;
      });
    for (let i = 0; i < 500 && !shared.release; i++) await new Promise((r) => setTimeout(r, 5));
    expect(shared.announcements).toBe(1);
    expect(received).toBe(false);
    shared.release!();
    expect((await response).status).toBe(201);
  });

  it('announces neither a refused write nor a read', async () => {
    const shared = fakeShared();
    const request = appWith(shared);
    await request.post('/refused').expect(409);
    await request.get('/read').expect(200);
    expect(shared.announcements).toBe(0);
  });
});

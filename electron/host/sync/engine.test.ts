/**
 * The engine's reactions to what a server can answer, with a scripted fetch (the end-to-end
 * scenarios run it against a real server): sign-in rules, a refused session, an old protocol,
 * a network that comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueMutation } from '../db/outbox.js';
import { getSyncState } from '../db/state.js';
import { openStore, type Store } from '../db/store.js';
import { PUSH_BATCH_BYTES } from './cycle.js';
import { createSyncEngine, type SyncEngine } from './engine.js';

const SERVER = 'http://server.test';
const user = (role: string) => ({
  id: '0190f0f0-0000-7000-8000-0000000000aa',
  email: 'staff@example.com',
  name: 'Staff',
  role,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, code: string, detail = code) => json(status, { title: code, status, detail, code });
const page = { changes: [], cursor: 'c1', hasMore: false, lastMutationSeq: 0, epoch: 'e1' };

type Route = (path: string, body: unknown) => Response | Promise<Response>;

let dir: string;
let store: Store;
let engine: SyncEngine;
let route: Route;
let seen: string[];

function start(extra: { liveEvents?: boolean; pollIntervalMs?: number } = {}): SyncEngine {
  engine = createSyncEngine({
    store,
    rebase: () => undefined,
    liveEvents: false,
    ...extra,
    backoff: { baseMs: 10, maxMs: 20, minMs: 5 },
    fetch: (async (input: string, init: RequestInit) => {
      const url = new URL(input);
      seen.push(`${init.method} ${url.pathname}`);
      return route(url.pathname, init.body ? JSON.parse(init.body as string) : undefined);
    }) as typeof fetch,
  });
  return engine;
}

const signedIn =
  (role = 'staff'): Route =>
  (p, body) => {
    if (p === '/api/v1/auth/login')
      return json(200, { user: user(role), accessToken: 'a1', refreshToken: 'r1', expiresIn: 900 });
    if (p === '/api/v1/sync/devices')
      return json(201, { clientId: (body as { clientId: string }).clientId, name: 'x', lastMutationSeq: 0 });
    if (p === '/api/v1/sync/pull') return json(200, page);
    if (p === '/api/v1/sync/push') {
      const mutations = (body as { mutations: { seq: number }[] }).mutations;
      return json(200, {
        results: mutations.map((m) => ({ seq: m.seq, status: 'applied' })),
        lastMutationSeq: mutations.at(-1)!.seq,
      });
    }
    return problem(404, 'not_found');
  };

const queueSale = () =>
  enqueueMutation(store, {
    name: 'stock.adjust',
    args: { variantId: '0190f0f0-0000-7000-8000-000000000001', delta: -1, reason: 'sale' },
  });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-engine-'));
  store = openStore(path.join(dir, 'b.db'));
  seen = [];
  route = signedIn();
});
afterEach(async () => {
  await engine?.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync engine', () => {
  it('does nothing while signed out, and says so', async () => {
    start();
    expect((await engine.syncNow()).state).toBe('signed_out');
    expect(seen).toEqual([]);
  });

  it('refuses a customer account at sign-in, and a sign-in without a server URL', async () => {
    start();
    await expect(engine.login({ email: 'c@example.com', password: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    route = signedIn('customer');
    await expect(engine.login({ serverUrl: SERVER, email: 'c@example.com', password: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(engine.session()).toBeNull();
    await expect(
      engine.login({ serverUrl: 'ftp://server.test', email: 'c@example.com', password: 'x' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('passes the server refusal of a sign-in through with its code', async () => {
    start();
    route = () => problem(401, 'invalid_credentials', 'Wrong e-mail or password');
    await expect(engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'bad' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'Wrong e-mail or password',
    });
  });

  it('signs out when the session cannot be refreshed, keeping the queue for the next sign-in', async () => {
    start();
    await engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'p' });
    await engine.syncNow();
    queueSale();
    route = () => problem(401, 'invalid_token');
    const status = await engine.syncNow();
    expect(status).toMatchObject({ state: 'signed_out', user: null, pending: 1 });
    expect(status.lastError).toMatch(/sign in again/);
    expect(seen).toContain('POST /api/v1/auth/refresh');
    route = signedIn();
    await engine.login({ email: 's@example.com', password: 'p' });
    expect((await engine.syncNow()).pending).toBe(0);
  });

  it('shows a server that needs a newer back-office as an error, not as offline', async () => {
    start();
    await engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'p' });
    route = () => problem(426, 'unsupported_protocol_version', 'This server speaks sync protocol 2 and 3');
    const status = await engine.syncNow();
    expect(status).toMatchObject({ state: 'error', online: true });
    expect(status.lastError).toMatch(/protocol 2 and 3/);
  });

  it('keeps push bodies under the server limit, and halves a batch the server still finds too large', async () => {
    start();
    await engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'p' });
    await engine.syncNow();
    for (let i = 0; i < 1200; i++) queueSale();
    const sizes: number[] = [];
    const strict = signedIn();
    route = (p, body) => {
      if (p !== '/api/v1/sync/push') return strict(p, body);
      const size = JSON.stringify(body).length;
      sizes.push(size);
      // A server with a smaller limit than ours: 40 kB.
      return size > 40_000 ? problem(413, 'payload_too_large') : strict(p, body);
    };
    expect(await engine.syncNow()).toMatchObject({ pending: 0, lastError: null });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PUSH_BATCH_BYTES + 1024);
    expect(sizes.some((n) => n > 40_000)).toBe(true);
    expect(getSyncState(store).lastMutationSeq).toBe(1200);
  });

  it('goes offline as soon as the event stream breaks with the server gone, not at the next timer', async () => {
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    let down = false;
    start({ liveEvents: true, pollIntervalMs: 600_000 });
    route = (p, body) => {
      if (down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      if (p === '/api/v1/sync/events')
        return new Response(new ReadableStream<Uint8Array>({ start: (c) => void (stream = c) }), {
          headers: { 'content-type': 'text/event-stream' },
        });
      return signedIn()(p, body);
    };
    await engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'p' });
    engine.start();
    await engine.syncNow();
    await expect.poll(() => stream).toBeDefined();
    expect(engine.status()).toMatchObject({ online: true, state: 'idle' });
    down = true;
    stream!.error(new TypeError('terminated'));
    await expect.poll(() => engine.status().state, { timeout: 2000 }).toBe('offline');
    expect(engine.status().online).toBe(false);
  });

  it('is offline while the server cannot be reached, retries by itself, and recovers', async () => {
    start();
    await engine.login({ serverUrl: SERVER, email: 's@example.com', password: 'p' });
    await engine.syncNow();
    engine.start();
    queueSale();
    let down = true;
    route = (p, body) => {
      if (down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return signedIn()(p, body);
    };
    const offline = await engine.syncNow();
    expect(offline).toMatchObject({ state: 'offline', online: false, pending: 1 });
    const attempts = seen.length;
    // Every retry starts a phase; none of them may say "online", or anything but offline, before the server answers.
    const shown: boolean[] = [];
    const record = () => shown.push(engine.status().online || engine.status().state !== 'offline');
    engine.on('status', record);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.length).toBeGreaterThan(attempts);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((online) => !online)).toBe(true);
    engine.off('status', record);
    down = false;
    for (let i = 0; i < 100 && engine.status().pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(engine.status()).toMatchObject({ online: true, pending: 0, lastError: null, state: 'idle' });
    expect(getSyncState(store).lastPushAt).not.toBeNull();
  });
});

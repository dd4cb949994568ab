import http from 'node:http';
import net from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type NexusApp } from './app.js';
import { openDatabase, type Database } from './db/client.js';
import { notifications } from './db/schema/index.js';
import { createLogger } from './logger.js';
import { enqueueEmail } from './modules/notifications/outbox.js';
import type { MailTransport } from './modules/notifications/transport.js';
import { listen, type RunningServer } from './runtime.js';
import { createTestDatabase, TEST_DB, testConfig, type TestDatabase } from './test/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves with the error code of a fresh TCP connection attempt ('connected' if it succeeds). */
const tryConnect = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

const portOf = (running: RunningServer) => Number(new URL(running.url).port);

describe(`graceful shutdown of a running app (${TEST_DB})`, () => {
  let testDb: TestDatabase;
  let appDb: Database;
  const events: string[] = [];
  let statusAtClose: Record<string, string | undefined> = {};

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // On Postgres the app gets its own pool, so the harness can still drop the database afterwards.
    appDb = TEST_DB === 'postgres' ? await openDatabase({ url: testDb.url!, poolMax: 4 }) : testDb;
  });
  afterAll(async () => {
    if (appDb !== testDb) await appDb.close().catch(() => undefined);
    await testDb?.destroy();
  });

  it('drains requests, background work and the outbox, refuses new connections, then closes the database', async () => {
    const sendEntered = deferred();
    const releaseSend = deferred();
    const releaseBackground = deferred();
    const transport: MailTransport = {
      description: 'blocking',
      async send() {
        sendEntered.resolve();
        await releaseSend.promise;
        events.push('mail sent');
      },
      close: () => void events.push('transport closed'),
    };
    const database: Database = {
      ...appDb,
      async close() {
        // What the outbox and background work wrote must already be in the database when it closes.
        const rows = await appDb.db.select().from(notifications);
        statusAtClose = Object.fromEntries(rows.map((r) => [r.idempotencyKey, r.status]));
        events.push('database closed');
        await appDb.close();
      },
    };
    const nexus = createApp({
      config: testConfig(),
      database,
      logger: createLogger('silent'),
      mailTransport: transport,
    });
    nexus.lifecycle.migrated = true;
    const outer = express();
    outer.get('/slow', async (_req, res) => {
      await sleep(500);
      res.json({ slow: 'done' });
    });
    outer.use(nexus.app);
    const stopOutbox = vi.spyOn(nexus.outbox, 'stop');

    const running = await listen({ ...nexus, app: outer }, 0, '127.0.0.1', 10_000);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.url}/api/health`)).status).toBe(200);

    const welcome = {
      key: 'shutdown:1',
      template: 'welcome' as const,
      to: 'a@example.com',
      data: { name: 'A', shopUrl: 'https://shop' },
    };
    await enqueueEmail(appDb.db, welcome);
    nexus.outbox.start();
    await sendEntered.promise; // a send is in flight

    // Work a request started but did not await (as a password reset does).
    nexus.ctx.background.run('test', async () => {
      await releaseBackground.promise;
      await enqueueEmail(appDb.db, { ...welcome, key: 'shutdown:2' });
      events.push('background done');
    });
    const slow = fetch(`${running.url}/slow`);
    await sleep(100); // the slow request has reached the server
    const shutdown = running.shutdown();
    expect(running.shutdown()).toBe(shutdown); // idempotent
    let finished = false;
    void shutdown.then(() => (finished = true));

    expect(nexus.lifecycle.shuttingDown).toBe(true);
    expect(await tryConnect(portOf(running))).toBe('ECONNREFUSED');

    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slow: 'done' });

    await sleep(100);
    expect(finished).toBe(false); // still waiting for the e-mail in flight
    expect(events).toEqual([]);
    releaseSend.resolve();
    await vi.waitFor(() => expect(events).toEqual(['mail sent']));
    await sleep(100);
    expect(finished).toBe(false); // still waiting for the background task
    releaseBackground.resolve();
    const released = Date.now();
    await shutdown;
    // Nothing left to wait for: done at once, not after a keep-alive timeout or the 10 s window.
    expect(Date.now() - released).toBeLessThan(1000);

    expect(stopOutbox).toHaveBeenCalledTimes(1);
    expect(events).toEqual(['mail sent', 'background done', 'transport closed', 'database closed']);
    // The e-mail enqueued by the background task stays pending for the next instance to send.
    expect(statusAtClose).toEqual({ 'shutdown:1': 'sent', 'shutdown:2': 'pending' });
    await expect(appDb.ping()).rejects.toThrow();
    expect(await tryConnect(portOf(running))).toBe('ECONNREFUSED');
    expect(running.server.listening).toBe(false);
  });
});

describe('shutdown drain window', () => {
  /** A NexusApp stand-in with no database: this checks only what listen() does with its parts. */
  function fakeNexus(events: string[]) {
    const app = express();
    app.get('/hang', () => {
      // never answers
    });
    app.get('/ok', (_req, res) => void res.send('ok'));
    return {
      app,
      lifecycle: { migrated: true, shuttingDown: false },
      outbox: { stop: async () => void events.push('outbox stopped') },
      mailTransport: { close: () => void events.push('transport closed') },
      ctx: {
        background: { drain: async () => void events.push('background drained') },
        database: { close: async () => void events.push('database closed') },
      },
    } as unknown as NexusApp;
  }

  it('cuts requests still running after the drain window, so shutdown always ends', async () => {
    const events: string[] = [];
    const running = await listen(fakeNexus(events), 0, '127.0.0.1', 300);
    const hanging = fetch(`${running.url}/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await sleep(100);
    const started = Date.now();
    await running.shutdown();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
    expect(await hanging).toBe('cut');
    expect(events).toEqual(['background drained', 'outbox stopped', 'transport closed', 'database closed']);
  });

  it('keeps idle connections open longer than a load balancer does, and says so', async () => {
    const keepAliveHeader = (url: string) =>
      new Promise<string | undefined>((resolve, reject) => {
        http
          .get(`${url}/ok`, { agent: new http.Agent({ keepAlive: true }) }, (res) => {
            res.resume();
            res.once('end', () => resolve(res.headers['keep-alive'] as string | undefined));
          })
          .once('error', reject);
      });
    const byDefault = await listen(fakeNexus([]), 0, '127.0.0.1', 1000);
    const chosen = await listen(fakeNexus([]), 0, '127.0.0.1', 1000, 7000);
    try {
      expect(await keepAliveHeader(byDefault.url)).toBe('timeout=65');
      expect(byDefault.server.headersTimeout).toBeGreaterThan(65_000);
      expect(await keepAliveHeader(chosen.url)).toBe('timeout=7');
    } finally {
      await Promise.all([byDefault.shutdown(), chosen.shutdown()]);
    }
  });

  it('closes idle keep-alive connections at once instead of waiting for the window', async () => {
    const events: string[] = [];
    const running = await listen(fakeNexus(events), 0, '127.0.0.1', 10_000);
    const res = await fetch(`${running.url}/ok`); // leaves an idle keep-alive connection
    expect(await res.text()).toBe('ok');
    const started = Date.now();
    await running.shutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toHaveLength(4);
  });

  it('closes the keep-alive connection of a request that finishes during the drain', async () => {
    const events: string[] = [];
    const nexus = fakeNexus(events);
    const outer = express();
    outer.get('/slow', (_req, res) => void setTimeout(() => res.send('slow'), 300));
    outer.use(nexus.app);
    const running = await listen({ ...nexus, app: outer }, 0, '127.0.0.1', 10_000);
    const slow = fetch(`${running.url}/slow`).then((r) => r.text());
    await sleep(100);
    const started = Date.now();
    await running.shutdown();
    expect(await slow).toBe('slow');
    // The client would keep the connection for 4 s, the server's keep-alive timeout is 5 s.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a port already in use instead of hanging', async () => {
    const events: string[] = [];
    const first = await listen(fakeNexus(events), 0, '127.0.0.1', 100);
    try {
      await expect(listen(fakeNexus(events), portOf(first), '127.0.0.1', 100)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.shutdown();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { syncEventsOf } from './sync.routes.js';

async function serve(app: TestApp) {
  const server = http.createServer(app.nexus.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** An open event stream that keeps what arrived and waits for the next poke. */
async function openStream(url: string, auth: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/sync/events`, { headers: auth, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    } catch {
      // aborted
    }
    ended = true;
  })();
  const pokes = () => text.split('event: poke').length - 1;
  async function waitFor(check: () => boolean, ms: number) {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return check();
  }
  return {
    res,
    pokes,
    text: () => text,
    ended: () => ended,
    waitFor,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe(`sync events (${TEST_DB})`, () => {
  let app: TestApp;
  let cart: Awaited<ReturnType<typeof cartKit>>;
  let url: string;
  let server: http.Server;
  beforeAll(async () => {
    app = await createTestApp();
    cart = await cartKit(app);
    ({ server, url } = await serve(app));
  });
  afterAll(async () => {
    await syncEventsOf(app.nexus.ctx).close();
    await new Promise((r) => server.close(r));
    await app.close();
  });

  it('pokes a connected device within a second of a change made through the admin API, coalesced', async () => {
    const stream = await openStream(url, cart.staff);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    await stream.waitFor(() => stream.text().includes(': connected'), 1000);
    expect(stream.pokes()).toBe(0);
    const p = await cart.product();
    const started = Date.now();
    await cart.patchProduct(p.id, { name: 'Poked' });
    expect(await stream.waitFor(() => stream.pokes() > 0, 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // A burst of changes gives few pokes (at most one per 100 ms), not one per change.
    const before = stream.pokes();
    const burstStart = Date.now();
    for (let i = 0; i < 10; i++) await cart.patchProduct(p.id, { name: `Burst ${i}` });
    await new Promise((r) => setTimeout(r, 250));
    const elapsed = Date.now() - burstStart;
    expect(stream.pokes() - before).toBeGreaterThan(0);
    expect(stream.pokes() - before).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    await stream.close();
  });

  it('needs staff: customers 403, anonymous 401', async () => {
    const customer = await userWithRole(app, 'customer');
    expect((await fetch(`${url}/api/v1/sync/events`, { headers: customer.auth })).status).toBe(403);
    expect((await fetch(`${url}/api/v1/sync/events`)).status).toBe(401);
  });

  it('ends open streams when the server stops listening', async () => {
    const own = await serve(app);
    const stream = await openStream(own.url, cart.staff);
    await stream.waitFor(() => stream.text().includes(': connected'), 1000);
    const closed = new Promise((r) => own.server.close(r));
    expect(await stream.waitFor(() => stream.ended(), 2000)).toBe(true);
    own.server.closeIdleConnections();
    await closed;
  });

  it.skipIf(TEST_DB !== 'postgres')('pokes a device on another instance of the same database', async () => {
    const other = await openDatabase({ url: app.database.url!, poolMax: 2 });
    const b = await createTestApp({ database: { ...other, destroy: () => other.close() } });
    const served = await serve(b);
    try {
      const stream = await openStream(served.url, cart.staff);
      await stream.waitFor(() => stream.text().includes(': connected'), 1000);
      await new Promise((r) => setTimeout(r, 100)); // the LISTEN is in place
      const p = await cart.product();
      await cart.patchProduct(p.id, { name: 'Across instances' });
      expect(await stream.waitFor(() => stream.pokes() > 0, 1000)).toBe(true);
      await stream.close();
    } finally {
      await syncEventsOf(b.nexus.ctx).close();
      await new Promise((r) => served.server.close(r));
      await b.close();
    }
  });
});

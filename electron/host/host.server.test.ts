/**
 * The back-office host as a person uses it, under plain Node against a real server over HTTP
 * (issue 6 "done when"): sign in through the contract's channels, download, see a server edit
 * live, work offline across a restart, catch up; and a damaged store file replaced and kept.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB } from '../../server/test/harness.js';
import { createBackofficeHost, type BackofficeHost } from './host.js';
import { address } from '../../server/modules/checkout/checkout.testkit.js';
import type { HostEvent } from '../../shared/contract/backoffice.js';
import { readSession } from './sync/session.js';
import { expectConverged, type SyncServer, startSyncServer, type TestHost } from './sync/testing/e2e.js';
import { type FaultProxy, startFaultProxy } from './sync/testing/fault-proxy.js';

let server: SyncServer;
let proxy: FaultProxy;
let dataDir: string;
const open: BackofficeHost[] = [];

beforeAll(async () => {
  server = await startSyncServer();
  proxy = await startFaultProxy({ target: server.url });
  dataDir = mkdtempSync(path.join(tmpdir(), 'nexus-backoffice-'));
});
afterAll(async () => {
  for (const h of open) await h.close().catch(() => undefined);
  await proxy.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): BackofficeHost {
  const host = createBackofficeHost({
    dataDir,
    engine: { pollIntervalMs: 60_000, requestTimeoutMs: 3000, backoff: { baseMs: 20, maxMs: 200, minMs: 10 } },
  });
  open.push(host);
  return host;
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The replica check of the sync tests, on this host's store. */
const asTestHost = (h: BackofficeHost, name: string) =>
  ({
    name,
    store: h.store,
    settle: async () => {
      await h.engine.syncNow();
      return h.engine.status();
    },
  }) as unknown as TestHost;

describe(`back-office host under plain node (${TEST_DB})`, () => {
  it('signs in, downloads, shows server edits live, works offline across a restart and catches up', async () => {
    const p = await server.catalog.product({ stock: [12], name: 'Trail lantern' });
    const v = p.variants[0]!;
    // An order placed before the first download is part of it, not news.
    const earlier = await server.catalog.guestCartWith([[v, 1]]);
    await server.catalog
      .checkout(earlier.headers, { email: 'early@example.com', shippingAddress: address() })
      .expect(201);
    let host = start();
    const events: HostEvent[] = [];
    host.onEvent((event) => events.push(event));
    expect(await host.call('auth:session', {})).toBeNull();
    const user = await host.call('auth:login', {
      serverUrl: proxy.url,
      email: server.staff.user.email,
      password: server.staff.password,
    });
    expect(user).toMatchObject({ email: server.staff.user.email, role: 'staff' });
    await eventually(async () => {
      const found = (await host.call('catalog:search', { q: 'lantern' })) as { items: { id: string }[] };
      return found.items.some((i) => i.id === p.id);
    }, 'the first download');
    expect(host.engine.status()).toMatchObject({ online: true, pending: 0, lastError: null });
    expect(events.some((e) => e.type === 'status' && e.status.state === 'downloading')).toBe(true);
    expect(events.filter((e) => e.type === 'orderArrived')).toEqual([]);

    // A storefront order reaches the host live and is announced once, for the "new order" toast.
    const guest = await server.catalog.guestCartWith([[v, 2]]);
    const placed = await server.catalog
      .checkout(guest.headers, { email: 'shopper@example.com', shippingAddress: address() })
      .expect(201);
    const placedOrder = (placed.body as { order: { id: string; number: string } }).order;
    await eventually(() => events.some((e) => e.type === 'orderArrived'), 'the new order event');
    const arrived = events.filter((e) => e.type === 'orderArrived');
    expect(arrived).toEqual([
      {
        type: 'orderArrived',
        orders: [
          expect.objectContaining({ id: placedOrder.id, number: placedOrder.number, email: 'shopper@example.com' }),
        ],
      },
    ]);
    expect(events.some((e) => e.type === 'changed' && e.tables.includes('orders'))).toBe(true);

    // Live: a server edit reaches the store through the event stream (no timer: it is a minute).
    await server.catalog.patchProduct(p.id, { name: 'Trail lantern XL' });
    await eventually(async () => {
      const detail = (await host.call('catalog:get', { id: p.id })) as { name: string };
      return detail.name === 'Trail lantern XL';
    }, 'the live edit');

    // A product created here reaches the server and stays after the next pulls.
    const made = (await host.call('catalog:createProduct', {
      name: 'Camp stool',
      variants: [{ sku: 'STOOL-1', priceCents: 2500 }],
    })) as { id: string; variants: { id: string }[] };
    await eventually(() => host.engine.status().pending === 0, 'the create to be pushed');
    await host.engine.syncNow();
    await host.engine.syncNow();
    expect(await host.call('catalog:get', { id: made.id })).toMatchObject({ id: made.id, name: 'Camp stool' });
    const stool = await server.app.request.get(`/api/v1/admin/products/${made.id}`).set(server.staff.auth).expect(200);
    expect((stool.body as { variants: { id: string }[] }).variants.map((x) => x.id)).toEqual(
      made.variants.map((x) => x.id),
    );

    // Offline: writes still work, queue up, and survive a restart.
    proxy.setFaults({ down: true });
    const level = (await host.call('stock:adjust', { variantId: v, delta: -2, reason: 'sale' })) as { onHand: number };
    expect(level.onHand).toBe(10);
    await host.call('catalog:updateProduct', { productId: p.id, patch: { description: 'Written offline' } });
    await eventually(() => host.engine.status().state === 'offline', 'the offline state');
    expect(host.engine.status()).toMatchObject({ online: false, pending: 2 });
    expect(host.engine.status().lastError).toMatch(/Offline/);
    await host.close();

    host = start();
    expect(await host.call('auth:session', {})).toMatchObject({ email: server.staff.user.email });
    expect(host.unsyncedCount()).toBe(2);
    expect(await server.catalog.level(v)).toMatchObject({ on_hand: 12 });

    proxy.setFaults({});
    await eventually(() => host.engine.status().pending === 0, 'the queue to drain');
    expect(await server.catalog.level(v)).toMatchObject({ on_hand: 10 });
    const onServer = await server.app.request.get(`/api/v1/admin/products/${p.id}`).set(server.staff.auth).expect(200);
    expect(onServer.body).toMatchObject({ name: 'Trail lantern XL', description: 'Written offline' });
    await expectConverged(server, asTestHost(host, 'backoffice'));

    // Signing out revokes the session on the server too.
    const { refreshToken } = readSession(host.store)!;
    expect(await host.call('auth:logout', {})).toEqual({ ok: true });
    expect(await host.call('auth:session', {})).toBeNull();
    await server.app.request.post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
    await host.close();
  });

  it('replaces a damaged store file, keeps the damaged copy, says so, and downloads again after sign-in', async () => {
    const file = path.join(dataDir, 'backoffice.db');
    expect(existsSync(file)).toBe(true);
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(file, garbage);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });

    const host = start();
    expect(host.recovered).not.toBeNull();
    const settings = (await host.call('settings:get', {})) as {
      storeRecovery: { reason: string; backupPath: string } | null;
    };
    expect(settings.storeRecovery?.reason).toBeTruthy();
    expect(readFileSync(settings.storeRecovery!.backupPath)).toEqual(garbage);
    expect(await host.call('auth:session', {})).toBeNull();

    await host.call('auth:login', {
      serverUrl: proxy.url,
      email: server.staff.user.email,
      password: server.staff.password,
    });
    await eventually(
      () => host.engine.status().progress === null && host.engine.status().lastSyncAt !== null,
      'the download',
    );
    await expectConverged(server, asTestHost(host, 'recovered'));
  });
});

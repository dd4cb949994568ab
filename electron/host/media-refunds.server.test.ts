/**
 * The back-office host's online-only and queued-upload features against a real server over HTTP
 * (through a fault proxy), on both databases: product images queued offline reach the product on
 * the server and come back by sync; refunds happen only online, exactly once even when an answer
 * is lost, and the local order follows.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrdersKit } from '../../server/modules/orders/admin-orders.testkit.js';
import { createTestApp, TEST_DB, type TestApp } from '../../server/test/harness.js';
import {
  backoffice,
  type ChannelName,
  type ChannelOutput,
  type HostEvent,
  refundableCents,
} from '../../shared/contract/backoffice.js';
import { createBackofficeHost, type BackofficeHost } from './host.js';
import { b64, makeImage } from './media/testkit.js';
import { type SyncServer, startSyncServer } from './sync/testing/e2e.js';
import { type FaultProxy, startFaultProxy } from './sync/testing/fault-proxy.js';

let app: TestApp;
let server: SyncServer;
let kit: Awaited<ReturnType<typeof adminOrdersKit>>;
let proxy: FaultProxy;
let dataDir: string;
let host: BackofficeHost;
const events: HostEvent[] = [];

beforeAll(async () => {
  app = await createTestApp();
  server = await startSyncServer(app);
  // After the sync server's kit: refunds go through the built-in test provider, not a fake.
  kit = await adminOrdersKit(app);
  proxy = await startFaultProxy({ target: server.url });
  dataDir = mkdtempSync(path.join(tmpdir(), 'nexus-media-refunds-'));
  host = createBackofficeHost({
    dataDir,
    engine: { pollIntervalMs: 60_000, requestTimeoutMs: 3000, backoff: { baseMs: 20, maxMs: 200, minMs: 10 } },
  });
  host.onEvent((event) => events.push(event));
  await host.call('auth:login', {
    serverUrl: proxy.url,
    email: server.staff.user.email,
    password: server.staff.password,
  });
});
afterAll(async () => {
  await host?.close();
  await proxy?.close();
  await server?.close();
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A channel call with its output checked against the contract. */
async function call<K extends ChannelName>(name: K, input: unknown): Promise<ChannelOutput<K>> {
  return backoffice[name].output.parse(await host.call(name, input)) as ChannelOutput<K>;
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const has = (channel: 'catalog:get' | 'orders:get', id: string) =>
  host.call(channel, { id }).then(
    () => true,
    () => false,
  );

describe(`product images queued offline (${TEST_DB})`, () => {
  it('reach the product on the server when it is back, and come back by sync; a refused one stays, failed', async () => {
    const lamp = await server.catalog.product({ stock: [3], name: 'Desk lamp' });
    const doomed = await server.catalog.product({ stock: [0], name: 'Soon gone' });
    await host.call('sync:now', {});
    await eventually(async () => (await has('catalog:get', lamp.id)) && has('catalog:get', doomed.id), 'products');

    proxy.setFaults({ down: true });
    const photo = await makeImage('jpeg', 64, 48);
    const queued = await call('media:upload', {
      productId: lamp.id,
      fileName: 'lamp.jpg',
      base64: b64(photo),
      alt: 'Lamp on a desk',
    });
    expect(queued).toMatchObject({ status: 'pending', mimeType: 'image/jpeg', width: 64, height: 48 });
    const refused = await call('media:upload', {
      productId: doomed.id,
      fileName: 'gone.png',
      base64: b64(await makeImage()),
    });
    // Meanwhile the product goes on the server: its upload can only be refused.
    await app.nexus.ctx.db.execute(sql`delete from products where id = ${doomed.id}::uuid`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await call('media:pending', {})).toMatchObject({ pending: 2, failed: 0 });
    expect((await call('media:pending', {})).items.map((i) => i.id)).toEqual([queued.id, refused.id]);

    proxy.setFaults({});
    await eventually(async () => (await call('media:pending', {})).pending === 0, 'the queue to drain');
    const left = await call('media:pending', {});
    expect(left.items).toEqual([
      expect.objectContaining({
        id: refused.id,
        status: 'failed',
        lastError: expect.stringMatching(/The server refused the image: Product not found \(not_found\)/),
      }),
    ]);
    expect(readdirSync(path.join(dataDir, 'media-queue'))).toEqual([`${refused.id}.png`]);

    const onServer = await app.request.get(`/api/v1/admin/products/${lamp.id}`).set(server.staff.auth).expect(200);
    const images = (onServer.body as { images: { id: string; alt: string; width: number; url: string }[] }).images;
    expect(images).toEqual([expect.objectContaining({ alt: 'Lamp on a desk', width: 64 })]);
    await eventually(async () => (await call('catalog:get', { id: lamp.id })).images.length === 1, 'the image by sync');
    expect((await call('catalog:get', { id: lamp.id })).images[0]).toMatchObject({
      id: images[0]!.id,
      url: images[0]!.url,
    });
    expect(events.some((e) => e.type === 'changed' && e.tables.includes('media_uploads'))).toBe(true);

    expect(await call('media:discard', { id: refused.id })).toEqual({ ok: true });
    expect(await call('media:pending', {})).toEqual({ items: [], pending: 0, failed: 0 });
  });

  it('is stored once when the server’s answer is lost: the retry finds the image the first attempt stored', async () => {
    const mug = await server.catalog.product({ stock: [2], name: 'Mug' });
    await host.call('sync:now', {});
    await eventually(() => has('catalog:get', mug.id), 'the product');
    let posts = 0;
    proxy.setFaults({
      dropResponse: 1,
      match: (method, p) => method === 'POST' && p.endsWith('/images') && posts++ === 0,
    });
    const queued = await call('media:upload', {
      productId: mug.id,
      fileName: 'mug.png',
      base64: b64(await makeImage()),
    });
    await eventually(async () => (await call('media:pending', {})).pending === 0, 'the queue to drain');
    proxy.setFaults({});
    expect(posts).toBeGreaterThanOrEqual(2);
    const onServer = await app.request.get(`/api/v1/admin/products/${mug.id}`).set(server.staff.auth).expect(200);
    expect((onServer.body as { images: { id: string }[] }).images.map((i) => i.id)).toEqual([queued.id]);
  });
});

describe(`refunds (${TEST_DB})`, () => {
  it('are refused offline with nothing queued, made once online even when the answer is lost, and the order follows', async () => {
    const { order } = await kit.paid();
    await host.call('sync:now', {});
    await eventually(() => has('orders:get', order.id), 'the paid order');
    const body = { orderId: order.id, amountCents: 500, reason: 'Scratched on arrival', restock: false };

    proxy.setFaults({ down: true });
    await expect(host.call('orders:refund', body)).rejects.toMatchObject({
      code: 'needs_connection',
      message: expect.stringMatching(/^Refunds need a connection to the server: /),
    });
    expect(host.engine.status().pending).toBe(0);
    expect(await kit.refundRows(order.id)).toEqual([]);

    // The server refunds, then the proxy loses its answer (twice: the host tries once more at once).
    proxy.setFaults({ dropResponse: 1, match: (method, p) => method === 'POST' && p.endsWith('/refunds') });
    await expect(host.call('orders:refund', body)).rejects.toMatchObject({ code: 'needs_connection' });
    expect(await kit.refundRows(order.id)).toEqual([{ status: 'succeeded', amount_cents: 500 }]);

    proxy.setFaults({});
    const outcome = await call('orders:refund', body);
    expect(outcome).toMatchObject({ status: 'partially_refunded', refundedCents: 500, refund: { amountCents: 500 } });
    expect(await kit.providerRefunds(order.id)).toHaveLength(1);
    expect(await kit.refundRows(order.id)).toHaveLength(1);

    await eventually(
      async () => (await call('orders:get', { id: order.id })).refundedCents === 500,
      'the order by sync',
    );
    const local = await call('orders:get', { id: order.id });
    expect(local.status).toBe('partially_refunded');
    expect(refundableCents(local)).toBe(order.totalCents - 500);

    const tooMuch = host.call('orders:refund', { ...body, amountCents: order.totalCents });
    await expect(tooMuch).rejects.toMatchObject({
      code: 'refund_exceeds_paid',
      message: expect.stringMatching(/At most/),
    });

    await call('orders:refund', { ...body, amountCents: order.totalCents - 500, reason: 'Returned' });
    await eventually(async () => (await call('orders:get', { id: order.id })).status === 'refunded', 'the full refund');
    expect(refundableCents(await call('orders:get', { id: order.id }))).toBe(0);
    expect(await kit.providerRefunds(order.id)).toHaveLength(2);
  });
});

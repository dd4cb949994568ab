/**
 * SYNC.md failure scenarios 1, 3, 4, 5, 6 and 7, end to end: back-office hosts (SQLite store and
 * sync engine) talking real HTTP to a real server instance, on PGlite and on Postgres.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/sql.js';
import { TEST_DB } from '../../../server/test/harness.js';
import { newId } from '../../../shared/domain/ids.js';
import { listConflicts, listOversells, listRejections } from '../db/state.js';
import { readSession, saveTokens } from './session.js';
import { expectConverged, startHost, startSyncServer, type SyncServer, type TestHost } from './testing/e2e.js';

let server: SyncServer;
const hosts: TestHost[] = [];

beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await server.close();
});

async function host(name: string, options: Parameters<typeof startHost>[1] = {}) {
  const h = await startHost(server, { name, ...options });
  hosts.push(h);
  return h;
}

const adjust = (variantId: string, delta: number) => ({ variantId, delta, reason: delta < 0 ? 'sale' : 'received' });
const admin = () => server.catalog;
const serverProduct = async (id: string) =>
  (await server.app.request.get(`/api/v1/admin/products/${id}`).set(server.staff.auth).expect(200)).body as {
    name: string;
    description: string;
    status: string;
  };

describe(`sync scenarios over HTTP (${TEST_DB})`, () => {
  it('scenario 1: the server commits a push whose answer is lost; the retry is a no-op', async () => {
    let loseNextPushAnswer = false;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (loseNextPushAnswer && (input instanceof Request ? input.url : input.toString()).includes('/sync/push')) {
        loseNextPushAnswer = false;
        await res.arrayBuffer();
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return res;
    };
    const p = await admin().product({ stock: [10] });
    const a = await host('lossy', { engine: { fetch: lossy } });
    const v = p.variants[0]!;
    a.mutate('stock.adjust', adjust(v, -3));
    loseNextPushAnswer = true;
    const failed = await a.sync();
    expect(failed.lastError).toMatch(/Offline/);
    expect(failed.online).toBe(false);
    expect(failed.pending).toBe(1);
    expect(await admin().level(v)).toMatchObject({ on_hand: 7 });

    await a.settle();
    expect(await admin().level(v)).toMatchObject({ on_hand: 7 });
    expect((await admin().ledger(v)).kinds!.filter((k) => k === 'sale')).toHaveLength(1);
    expect(a.stock(v)).toMatchObject({ onHand: 7 });
    await expectConverged(server, a);
  });

  it('scenario 3: the same field edited on two devices → later push wins, the loser is recorded; different fields both win', async () => {
    const p = await admin().product({ stock: [5] });
    const [a, b] = [await host('a'), await host('b')];
    const base = a.version('products', p.id)!;
    a.mutate('product.update', { productId: p.id, patch: { name: 'Name from A' } }, base);
    b.mutate('product.update', { productId: p.id, patch: { name: 'Name from B' } }, base);
    expect(a.row('products', p.id)).toMatchObject({ name: 'Name from A' });
    await a.settle();
    await b.settle();
    await a.settle();
    expect((await serverProduct(p.id)).name).toBe('Name from B');
    expect(listConflicts(b.store)).toMatchObject([
      { tableName: 'products', rowId: p.id, field: 'name', serverValue: 'Name from A', clientValue: 'Name from B' },
    ]);
    expect(a.row('products', p.id)).toMatchObject({ name: 'Name from B' });

    const now = a.version('products', p.id)!;
    a.mutate('product.update', { productId: p.id, patch: { description: 'Described by A' } }, now);
    b.mutate('product.update', { productId: p.id, patch: { name: 'Renamed by B' } }, now);
    await a.settle();
    await b.settle();
    await a.settle();
    expect(await serverProduct(p.id)).toMatchObject({ name: 'Renamed by B', description: 'Described by A' });
    expect(listConflicts(a.store)).toEqual([]);
    expect(listConflicts(b.store)).toHaveLength(1);
    await expectConverged(server, a, b);
  });

  it('scenario 4: two offline sales and a storefront sale all count, and the oversell reaches the devices', async () => {
    const p = await admin().product({ stock: [4] });
    const v = p.variants[0]!;
    const [a, b] = [await host('till a'), await host('till b')];
    a.mutate('stock.adjust', adjust(v, -3));
    b.mutate('stock.adjust', adjust(v, -2));
    expect(a.stock(v)).toMatchObject({ onHand: 1 });
    const guest = await admin().guestCartWith([[v, 1]]);
    const { address } = await import('../../../server/modules/checkout/checkout.testkit.js');
    await admin().checkout(guest.headers, { email: 'shop@example.com', shippingAddress: address() }).expect(201);
    await a.settle();
    await b.settle();
    await a.settle();
    expect(await admin().level(v)).toMatchObject({ on_hand: -1, reserved: 1 });
    for (const h of [a, b]) {
      expect(h.stock(v)).toEqual({ onHand: -1, reserved: 1 });
      expect(listOversells(h.store).map((o) => o.variantId)).toContain(v);
    }
    await expectConverged(server, a, b);
  });

  it('scenario 5: an archive on the server beats an offline edit (rejected, shown); an offline archive beats a server edit', async () => {
    const p = await admin().product({ stock: [3] });
    const a = await host('editor');
    a.mutate('product.update', { productId: p.id, patch: { name: 'Edited offline' } }, a.version('products', p.id));
    await server.app.request.delete(`/api/v1/admin/products/${p.id}`).set(server.staff.auth).expect(200);
    await a.settle();
    expect(listRejections(a.store)).toMatchObject([{ name: 'product.update', code: 'product_archived' }]);
    expect((await serverProduct(p.id)).status).toBe('archived');
    expect(a.row('products', p.id)).toMatchObject({ status: 'archived', name: expect.not.stringMatching('offline') });

    const q = await admin().product({ stock: [3] });
    await a.settle();
    a.mutate('product.archive', { productId: q.id });
    await admin().patchProduct(q.id, { description: 'edited on the server' });
    await a.settle();
    expect(await serverProduct(q.id)).toMatchObject({ status: 'archived', description: 'edited on the server' });
    await expectConverged(server, a);
  });

  it('scenario 6: a device clock days ahead or going backwards changes nothing', async () => {
    const p = await admin().product({ stock: [20] });
    const v = p.variants[0]!;
    const a = await host('skewed');
    const day = 86_400_000;
    a.mutate('stock.adjust', adjust(v, -1), undefined, new Date(Date.now() + 5 * day));
    a.mutate(
      'product.update',
      { productId: p.id, patch: { name: 'First' } },
      a.version('products', p.id),
      new Date(Date.now() + 5 * day),
    );
    a.mutate(
      'product.update',
      { productId: p.id, patch: { name: 'Second' } },
      a.version('products', p.id),
      new Date(Date.now() - 9 * day),
    );
    a.mutate('stock.adjust', adjust(v, -2), undefined, new Date(0));
    await a.settle();
    expect((await serverProduct(p.id)).name).toBe('Second');
    expect(await admin().level(v)).toMatchObject({ on_hand: 17 });
    expect(listConflicts(a.store)).toEqual([]);
    await expectConverged(server, a);
  });

  it('scenario 7: a rejected mutation in the middle of a batch; the ones after it still apply, and its local effect is taken back', async () => {
    const p = await admin().product({ stock: [10] });
    const v = p.variants[0]!;
    const a = await host('batch');
    // Made on the server after this device's last sync: the device cannot know its SKU is taken.
    const other = await admin().product();
    const taken = (
      await server.app.request.get(`/api/v1/admin/products/${other.id}`).set(server.staff.auth).expect(200)
    ).body.variants[0].sku as string;
    const phantom = newId();
    a.mutate('stock.adjust', adjust(v, -1));
    // Valid here, refused by the server: the SKU is already used.
    a.mutate('variant.create', {
      id: phantom,
      productId: p.id,
      sku: taken,
      optionValues: { Size: 'S9' },
      priceCents: 1500,
    });
    a.mutate('stock.adjust', adjust(v, -2));
    expect(a.row('variants', phantom)).toBeDefined();
    await a.settle();
    expect(await admin().level(v)).toMatchObject({ on_hand: 7 });
    expect(listRejections(a.store)).toMatchObject([{ name: 'variant.create' }]);
    expect(a.row('variants', phantom)).toBeUndefined();
    expect(a.stock(v)).toMatchObject({ onHand: 7 });
    await expectConverged(server, a);
  });

  it('refreshes an expired access token against the real server, keeps the new pair, and signs out when refresh is refused', async () => {
    const a = await host('refresh');
    const before = readSession(a.store)!;
    saveTokens(a.store, { accessToken: 'expired.or.garbage', refreshToken: before.refreshToken });
    expect(await a.sync()).toMatchObject({ lastError: null, user: { role: 'staff' } });
    const after = readSession(a.store)!;
    expect(after.accessToken).not.toBe('expired.or.garbage');
    expect(after.refreshToken).not.toBe(before.refreshToken);

    // A refresh token used twice revokes the family: the host is signed out and says so.
    saveTokens(a.store, { accessToken: 'expired.again', refreshToken: before.refreshToken });
    const status = await a.sync();
    expect(status).toMatchObject({ state: 'signed_out', user: null });
    expect(status.lastError).toMatch(/sign in again/);
  });

  it('answers what a person must see: a refused session or server surfaces in the status', async () => {
    const a = await host('status');
    const rows = await queryRows<{ n: number }>(
      server.app.nexus.ctx.db,
      sql`select count(*)::int as n from sync_devices`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    const status = a.engine.status();
    expect(status).toMatchObject({ state: 'idle', online: true, pending: 0, lastError: null, user: { role: 'staff' } });
    expect(status.lastSyncAt).not.toBeNull();
    expect(status.progress).toBeNull();
  });
});

/**
 * SYNC.md scenarios 8 and 12: hosts behind fault-injecting proxies (dropped requests, lost answers,
 * bodies cut mid-way, delays, whole partitions) while they and the server keep changing things. At
 * the end the network heals: every queue drains and every replica equals the server, and the stock
 * ledger sums to each level.
 *
 * The simulation is seeded (SIM_SEED, default fixed) so a failure replays; SIM_STEPS makes it longer
 * (`SIM_STEPS=2000 npx vitest run electron/host/sync/convergence.server.test.ts`).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/sql.js';
import { TEST_DB } from '../../../server/test/harness.js';
import { expectConverged, startHost, startSyncServer, type SyncServer, type TestHost } from './testing/e2e.js';
import { mulberry32, startFaultProxy } from './testing/fault-proxy.js';

const SEED = Number(process.env.SIM_SEED ?? 20261128);
const STEPS = Number(process.env.SIM_STEPS ?? 120);

let server: SyncServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server.close();
});

async function proxiedHost(name: string, seed: number) {
  const proxy = await startFaultProxy({ target: server.url, seed });
  const host = await startHost(server, { name, url: proxy.url, engine: { requestTimeoutMs: 2000 } });
  closers.push(
    () => proxy.close(),
    () => host.close(),
  );
  return { host, proxy };
}

async function ledgerMismatches(): Promise<unknown[]> {
  return queryRows(
    server.app.nexus.ctx.db,
    sql`select l.variant_id, l.on_hand, coalesce(sum(m.on_hand_delta), 0)::int as ledger
        from stock_levels l left join stock_movements m on m.variant_id = l.variant_id and m.location_id = l.location_id
        group by l.variant_id, l.location_id, l.on_hand having l.on_hand <> coalesce(sum(m.on_hand_delta), 0)`,
  );
}

describe(`sync under network faults (${TEST_DB})`, () => {
  it('scenario 8: the network drops and returns many times during push and pull; queues drain, replicas equal the server', async () => {
    const p = await server.catalog.product({ stock: [100, 100] });
    const { host, proxy } = await proxiedHost('flaky', 8);
    proxy.setFaults({ dropRequest: 0.2, dropResponse: 0.2, cutResponse: 0.2, delayMs: [0, 20] });
    let expected = 100;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 5; i++) {
        host.mutate('stock.adjust', { variantId: p.variants[0]!, delta: -1, reason: 'sale' });
        expected--;
      }
      await server.catalog.patchProduct(p.id, { description: `server edit ${round}` });
      await host.sync();
      if (round % 4 === 3) proxy.setFaults({ down: true });
      if (round % 4 === 0) proxy.setFaults({ dropRequest: 0.2, dropResponse: 0.2, cutResponse: 0.2 });
    }
    const { droppedRequest, droppedResponse, cutResponse, refused } = proxy.stats;
    expect(droppedRequest * droppedResponse * cutResponse * refused, JSON.stringify(proxy.stats)).toBeGreaterThan(0);
    proxy.setFaults({});
    await host.settle();
    expect(await server.catalog.level(p.variants[0]!)).toMatchObject({ on_hand: expected });
    expect((await server.catalog.ledger(p.variants[0]!)).kinds!.filter((k) => k === 'sale')).toHaveLength(60);
    await expectConverged(server, host);
  });

  it(`scenario 12: ${STEPS} random steps on 3 devices and the server with partitions converge (seed ${SEED})`, async () => {
    const random = mulberry32(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const products = [];
    for (let i = 0; i < 4; i++) products.push(await server.catalog.product({ stock: [20, 20] }));
    const devices: { host: TestHost; proxy: Awaited<ReturnType<typeof startFaultProxy>> }[] = [];
    for (let i = 0; i < 3; i++) devices.push(await proxiedHost(`device ${i}`, SEED + i));
    const sales = new Map<string, number>();

    for (let step = 0; step < STEPS; step++) {
      const d = pick(devices);
      const p = pick(products);
      const variantId = pick(p.variants);
      const roll = random();
      if (roll < 0.35) {
        const delta = pick([-3, -2, -1, 1, 2]);
        d.host.mutate('stock.adjust', { variantId, delta, reason: delta < 0 ? 'sale' : 'received' });
        sales.set(variantId, (sales.get(variantId) ?? 0) + delta);
      } else if (roll < 0.6) {
        const field = pick(['name', 'description'] as const);
        d.host.mutate(
          'product.update',
          { productId: p.id, patch: { [field]: `${field} ${step} from ${d.host.name}` } },
          d.host.version('products', p.id),
        );
      } else if (roll < 0.7) {
        await server.catalog.patchProduct(p.id, { description: `server ${step}` });
      } else if (roll < 0.8) {
        d.proxy.setFaults(
          random() < 0.5 ? { down: true } : { dropRequest: 0.3, dropResponse: 0.3, cutResponse: 0.2, delayMs: [0, 10] },
        );
      } else if (roll < 0.9) {
        d.proxy.setFaults({});
      } else {
        await d.host.sync();
      }
    }

    for (const d of devices) d.proxy.setFaults({});
    for (let round = 0; round < 2; round++) for (const d of devices) await d.host.settle();
    await expectConverged(server, ...devices.map((d) => d.host));
    expect(await ledgerMismatches()).toEqual([]);
    for (const p of products) {
      for (const v of p.variants) {
        expect((await server.catalog.level(v)).on_hand, `variant ${v}`).toBe(20 + (sales.get(v) ?? 0));
      }
    }
  });
});

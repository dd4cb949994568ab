import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

// SYNC.md failure scenario 9: change positions handed out in one order and committed in another.
// Needs two real connections, so it runs on Postgres only (PGlite runs one transaction at a time).
describe.skipIf(TEST_DB !== 'postgres')(`sync pull with interleaved transactions (${TEST_DB})`, () => {
  let app: TestApp;
  let sync: Awaited<ReturnType<typeof syncKit>>;
  let device: TestDevice;
  let ids: string[];
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    const cart = await cartKit(app);
    sync = await syncKit(app);
    device = await sync.device();
    ids = [(await cart.product()).id, (await cart.product()).id];
    for (let i = 0; i < 2; i++) {
      const c = new pg.Client({ connectionString: app.database.url });
      await c.connect();
      clients.push(c);
    }
  });
  afterAll(async () => {
    for (const c of clients) await c.end();
    await app.close();
  });

  const rename = async (c: pg.Client, id: string, name: string) =>
    (await c.query<{ version: string }>('update products set name = $2 where id = $1 returning version', [id, name]))
      .rows[0]!.version;
  const names = (changes: { table: string; row?: Record<string, unknown> }[]) =>
    changes.filter((c) => c.table === 'products').map((c) => c.row!.name);

  it('does not move the cursor past a change that commits after a later one', async () => {
    const [t1, t2] = clients as [pg.Client, pg.Client];
    const start = (await sync.pullAll(device)).cursor;
    await t1.query('begin');
    const v1 = await rename(t1, ids[0]!, 'first position');
    await t2.query('begin');
    const v2 = await rename(t2, ids[1]!, 'second position');
    expect(BigInt(v2)).toBeGreaterThan(BigInt(v1));
    await t2.query('commit');

    // T1 is still open: its position is below T2's, so the feed stops before both.
    const during = await sync.pullAll(device, start);
    expect(names(during.changes)).toEqual([]);

    await t1.query('commit');
    const after = await sync.pullAll(device, during.cursor);
    expect(names(after.changes).sort()).toEqual(['first position', 'second position']);
  });

  it('serves a committed earlier change while a later one is open, then the later one', async () => {
    const [t1, t2] = clients as [pg.Client, pg.Client];
    const start = (await sync.pullAll(device)).cursor;
    await t1.query('begin');
    await rename(t1, ids[0]!, 'early');
    await t2.query('begin');
    await rename(t2, ids[1]!, 'late');
    await t1.query('commit');

    const during = await sync.pullAll(device, start);
    expect(names(during.changes)).toEqual(['early']);

    await t2.query('commit');
    const after = await sync.pullAll(device, during.cursor);
    expect(names(after.changes)).toEqual(['late']);
  });

  it('a write from a transaction that began before the pull but wrote after it still comes later', async () => {
    const [t1] = clients as [pg.Client];
    const start = (await sync.pullAll(device)).cursor;
    await t1.query('begin isolation level repeatable read');
    await t1.query('select 1');
    const caughtUp = await sync.pullAll(device, start);
    await rename(t1, ids[0]!, 'late writer');
    await t1.query('commit');
    const after = await sync.pullAll(device, caughtUp.cursor);
    expect(names(after.changes)).toEqual(['late writer']);
  });

  it("reports a device's pushed seq only once the pull serves that mutation's effects", async () => {
    const [t1] = clients as [pg.Client];
    const pusher = await sync.device();
    const start = (await sync.pullAll(pusher)).cursor;
    const variantId = (await app.request.get(`/api/v1/admin/products/${ids[1]}`).set(pusher.auth).expect(200)).body
      .variants[0].id as string;
    // An older transaction still open: the push commits above the horizon.
    await t1.query('begin');
    await t1.query('select pg_current_xact_id()');
    const m = sync.mutation(pusher, 'stock.adjust', { variantId, delta: 4, reason: 'received' });
    expect((await sync.push(pusher, [m])).results[0]!.status).toBe('applied');

    const during = await sync.pullAll(pusher, start);
    expect(during.lastMutationSeq).toBe(0);
    expect(during.changes.filter((c) => c.table === 'stock_levels')).toEqual([]);

    await t1.query('commit');
    const after = await sync.pullAll(pusher, during.cursor);
    expect(after.lastMutationSeq).toBe(m.seq);
    expect(after.changes.filter((c) => c.table === 'stock_levels')).toHaveLength(1);
  });
});

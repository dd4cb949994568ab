import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { currentEpoch, rotateEpoch } from './epoch.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let sync: Awaited<ReturnType<typeof syncKit>>;
let device: TestDevice;

beforeAll(async () => {
  app = await createTestApp();
  const cart = await cartKit(app);
  for (let i = 0; i < 3; i++) await cart.product();
  sync = await syncKit(app);
  device = await sync.device();
});
afterAll(() => app.close());

describe(`sync epoch (${TEST_DB})`, () => {
  it('after a rotation (npm run sync:new-epoch) a pull with the old cursor gets the new epoch and starts over', async () => {
    const full = await sync.pullAll(device);
    const oldEpoch = full.epoch;
    expect((await sync.pull(device, full.cursor)).changes).toEqual([]);

    const epoch = await rotateEpoch(app.nexus.ctx.db);
    expect(epoch).not.toBe(oldEpoch);
    const again = await sync.pullAll(device, full.cursor);
    expect(again.epoch).toBe(epoch);
    expect(again.changes).toEqual(full.changes);
    expect(decodeCursor(again.cursor).e).toBe(epoch);
  });

  it('a cursor from beyond this database history (a restored backup) rotates the epoch by itself', async () => {
    const { cursor, epoch } = await sync.pullAll(device);
    const future = encodeCursor({ ...decodeCursor(cursor), t: '999999999999', v: '5' });
    const page = await sync.pull(device, future);
    expect(page.epoch).not.toBe(epoch);
    expect(page.epoch).toBe(await currentEpoch(app.nexus.ctx.db));
    expect(page.changes.length).toBeGreaterThan(0);

    const { cursor: fresh, epoch: now } = await sync.pullAll(device);
    const aheadOfSequence = encodeCursor({ ...decodeCursor(fresh), v: '99999999999' });
    expect((await sync.pull(device, aheadOfSequence)).epoch).not.toBe(now);
  });
});

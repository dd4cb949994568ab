import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/sync/protocol.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

/** A replica fed changes in order: each row keeps its newest version. */
function replay(...feeds: Change[][]): Map<string, Change> {
  const replica = new Map<string, Change>();
  for (const c of feeds.flat()) {
    const key = `${c.table}:${c.id}`;
    if ((replica.get(key)?.version ?? -1) < c.version) replica.set(key, c);
  }
  return replica;
}

// SYNC.md rule 1 for the snapshot: a transaction that commits late is never skipped, whether it
// commits before, during or after the stream. Two real connections: Postgres only.
describe.skipIf(TEST_DB !== 'postgres')(`sync snapshot with a late-committing writer (${TEST_DB})`, () => {
  let app: TestApp;
  let sync: Awaited<ReturnType<typeof syncKit>>;
  let device: TestDevice;
  let ids: string[];
  let writer: pg.Client;

  beforeAll(async () => {
    app = await createTestApp();
    const cart = await cartKit(app);
    sync = await syncKit(app);
    device = await sync.device();
    ids = [];
    for (let i = 0; i < 6; i++) ids.push((await cart.product()).id);
    ids.sort();
    writer = new pg.Client({ connectionString: app.database.url });
    await writer.connect();
  });
  afterAll(async () => {
    await writer.end();
    await app.close();
  });

  const rename = (id: string, name: string) => writer.query('update products set name = $2 where id = $1', [id, name]);
  const nameIn = (replica: Map<string, Change>, id: string) => replica.get(`products:${id}`)?.row?.name;

  it('a write open while the whole stream is read arrives with the pull from its end cursor', async () => {
    await writer.query('begin');
    await rename(ids[0]!, 'renamed while streaming');
    const snap = await sync.snapshot(device, { limit: 2 });
    expect(nameIn(replay(snap.changes), ids[0]!)).not.toBe('renamed while streaming');
    await writer.query('commit');
    const after = await sync.pullAll(device, snap.begin.cursor);
    expect(nameIn(replay(snap.changes, after.changes), ids[0]!)).toBe('renamed while streaming');
  });

  it('a write that commits between two batches is in the rest of the stream or the pull, never lost', async () => {
    // Product rows come in id order, two per batch: the first batch holds ids[0] and ids[1].
    await writer.query('begin');
    await rename(ids[0]!, 'early row, late commit');
    await rename(ids[5]!, 'late row, late commit');
    const whole = await sync.snapshot(device, { limit: 2 });
    const batch = whole.lines.findIndex((l) => 'table' in l && l.table === 'products' && l.id === ids[1]);
    const token = whole.lines.slice(batch).find((l) => 'resume' in l)!;
    const head = whole.lines.slice(0, batch + 1).filter((l): l is Change => 'table' in l);
    await writer.query('commit');
    // The device was cut after that batch and resumes: its snapshot continues from the first one's start.
    const rest = await sync.snapshot(device, { limit: 2, resume: 'resume' in token ? token.resume.token : '' });
    expect(rest.begin.cursor).toBe(whole.begin.cursor);
    expect(nameIn(replay(rest.changes), ids[5]!)).toBe('late row, late commit');
    const after = await sync.pullAll(device, rest.begin.cursor);
    const replica = replay(head, rest.changes, after.changes);
    expect(nameIn(replica, ids[0]!)).toBe('early row, late commit');
    expect(nameIn(replica, ids[5]!)).toBe('late row, late commit');
  });

  it('a transaction that began before the stream but writes after it still comes later', async () => {
    await writer.query('begin isolation level repeatable read');
    await writer.query('select 1');
    const snap = await sync.snapshot(device);
    await rename(ids[2]!, 'late writer');
    await writer.query('commit');
    const after = await sync.pullAll(device, snap.begin.cursor);
    expect(nameIn(replay(snap.changes, after.changes), ids[2]!)).toBe('late writer');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SNAPSHOT_TABLES, type Change } from '../../../shared/sync/protocol.js';
import { productImages, stockLocations, stockMovements } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { address, checkoutKit } from '../checkout/checkout.testkit.js';
import { member, postReview, review } from '../reviews/reviews.testkit.js';
import { decodeSnapshotPosition, encodeSnapshotPosition } from './cursor.js';
import { rotateEpoch } from './epoch.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;
let device: TestDevice;
let oldMovementId: string;

const key = (c: { table: string; id: string }) => `${c.table}:${c.id}`;
/** A paged download's live rows, as the snapshot must serve them (tombstones aside). */
const upserts = (changes: Change[]) => new Map(changes.filter((c) => c.op === 'upsert').map((c) => [key(c), c]));

beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
  sync = await syncKit(app);
  device = await sync.device();
  const db = app.nexus.ctx.db;
  const made = [];
  for (let i = 0; i < 4; i++) made.push(await kit.product({ stock: [5, 3] }));
  await db.insert(productImages).values({
    productId: made[0]!.id,
    storageKey: 'k/1.jpg',
    url: '/media/k/1.jpg',
    width: 10,
    height: 10,
    mimeType: 'image/jpeg',
    bytes: 100,
  });
  const gone = await app.request.post('/api/v1/admin/categories').set(kit.staff).send({ name: 'Gone' }).expect(201);
  await app.request.post('/api/v1/admin/categories').set(kit.staff).send({ name: 'Staying' }).expect(201);
  await app.request
    .delete(`/api/v1/admin/categories/${gone.body.id as string}`)
    .set(kit.staff)
    .expect(204);
  // A ledger movement from long ago: a first download leaves it out, as the paged one does.
  const [old] = await db
    .insert(stockMovements)
    .values({
      variantId: made[2]!.variants[0]!,
      locationId: (await db.select().from(stockLocations))[0]!.id,
      kind: 'adjustment',
      onHandDelta: 1,
      reason: 'adjustment',
      onHandAfter: 6,
      createdAt: new Date(Date.now() - 40 * 24 * 3600 * 1000),
    })
    .returning();
  oldMovementId = old!.id;
  const shopper = await member(app);
  await kit.add(shopper.auth, made[1]!.variants[0]!, 1).expect(200);
  await kit.checkout(shopper.auth, { shippingAddress: address() }).expect(201);
  await postReview(app, made[0]!.id, shopper.auth, review()).expect(201);
});
afterAll(() => app.close());

describe(`sync snapshot (${TEST_DB})`, () => {
  it('serves exactly the live rows of a paged first download, table by table, then the pull continues', async () => {
    const paged = await sync.pullAll(device);
    const snap = await sync.snapshot(device, { limit: 3 });
    expect(snap.begin).toMatchObject({ epoch: paged.epoch, done: 0, total: snap.changes.length });
    // Same rows, same versions, same wire rows; nothing twice.
    expect(new Map(snap.changes.map((c) => [key(c), c]))).toEqual(upserts(paged.changes));
    expect(new Set(snap.changes.map(key)).size).toBe(snap.changes.length);
    expect(snap.changes.some((c) => c.table === 'stock_movements')).toBe(true);
    expect(snap.changes.map((c) => c.id)).not.toContain(oldMovementId);
    const order = snap.changes.map((c) => SNAPSHOT_TABLES.indexOf(c.table));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // A resume token after every batch of at most 3.
    expect(snap.resumes.length).toBeGreaterThanOrEqual(Math.ceil(snap.changes.length / 3));
    // Nothing changed since: the pull from the end cursor re-serves at most what the snapshot had.
    const after = await sync.pullAll(device, snap.begin.cursor);
    for (const c of after.changes) expect(upserts(paged.changes).get(key(c))?.version).toBe(c.version);
  });

  it('resumes after any token with exactly the rows that followed it', async () => {
    const whole = await sync.snapshot(device, { limit: 4 });
    let seen = 0;
    for (const [i, resume] of whole.resumes.entries()) {
      const rest = await sync.snapshot(device, { limit: 4, resume: resume.token });
      const before = whole.lines.indexOf(whole.lines.find((l) => 'resume' in l && l.resume === resume)!);
      const expected = whole.lines.slice(before + 1).filter((l): l is Change => 'table' in l);
      expect(rest.changes, `after token ${i}`).toEqual(expected);
      expect(rest.begin.cursor).toBe(whole.begin.cursor);
      expect(rest.begin.done + rest.changes.length).toBe(whole.changes.length);
      seen = Math.max(seen, rest.begin.done);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('a row changed while the stream is read comes later in the pull from the end cursor', async () => {
    const product = await kit.product({ stock: [1] });
    const snap = await sync.snapshot(device, { limit: 2 });
    await kit.patchProduct(product.id, { name: 'Renamed after the snapshot began' });
    const after = await sync.pullAll(device, snap.begin.cursor);
    const renamed = after.changes.find((c) => c.table === 'products' && c.id === product.id);
    expect(renamed?.row?.name).toBe('Renamed after the snapshot began');
  });

  it('a token from an older epoch starts a new snapshot in the new epoch', async () => {
    const first = await sync.snapshot(device, { limit: 5 });
    const epoch = await rotateEpoch(app.nexus.ctx.db);
    const again = await sync.snapshot(device, { limit: 5, resume: first.resumes[0]!.token });
    expect(again.begin.epoch).toBe(epoch);
    expect(again.begin.done).toBe(0);
    expect(again.changes.length).toBeGreaterThanOrEqual(first.changes.length);
  });

  it('a token from beyond this database history (a restored backup) rotates the epoch', async () => {
    const snap = await sync.snapshot(device, { limit: 5 });
    const token = decodeSnapshotPosition(snap.resumes[0]!.token);
    const future = encodeSnapshotPosition({ ...token, t: '999999999999' });
    const again = await sync.snapshot(device, { resume: future });
    expect(again.begin.epoch).not.toBe(snap.begin.epoch);
    expect(again.begin.done).toBe(0);
  });

  it('refuses bad input with clear answers', async () => {
    const bad = await sync.snapshotRaw(device, { resume: 'not-a-token' });
    expect(bad.status).toBe(422);
    const forged = Buffer.from(JSON.stringify({ e: 'x', t: '1', k: 'two' })).toString('base64url');
    expect((await sync.snapshotRaw(device, { resume: forged })).status).toBe(422);
    expect((await sync.snapshotRaw(device, { limit: 0 })).status).toBe(422);
    expect((await sync.snapshotRaw(device, { limit: 'many' })).status).toBe(422);
    expect((await sync.snapshotRaw(device, { protocolVersion: 99 })).status).toBe(426);
    const stranger = await userWithRole(app, 'staff');
    const other = await sync.snapshotRaw({ ...device, auth: stranger.auth });
    expect(other.status).toBe(403);
    const customer = await member(app);
    expect((await sync.snapshotRaw({ ...device, auth: customer.auth })).status).toBe(403);
    const anonymous = await app.request
      .get('/api/v1/sync/snapshot')
      .query({ clientId: device.clientId, protocolVersion: PROTOCOL_VERSION });
    expect(anonymous.status).toBe(401);
  });
});

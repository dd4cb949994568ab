/**
 * Order timelines travel down (protocol 2): notes from a device's push and from the admin API reach
 * every device with their author and time, the payment provider's ids stay on the server, devices on
 * protocol 1 are never sent the table, and the events are append-only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/api/orders.schemas.js';
import type { Change } from '../../../shared/sync/protocol.js';
import { userWithRole, createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, markPaid } from '../checkout/checkout.testkit.js';
import { member } from '../reviews/reviews.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let sync: Awaited<ReturnType<typeof syncKit>>;
let device: TestDevice;
let order: Order;
/** An order a signed-in shopper placed: its `created` event's actor is `user:<their id>`. */
let memberOrder: { id: string; userId: string };
/** Every change of the device's first download. */
let first: Change[];
let cursor: string;

const db = () => app.nexus.ctx.db;
const eventsOf = (changes: Change[]) => changes.filter((c) => c.table === 'order_events');

beforeAll(async () => {
  app = await createTestApp();
  const kit = await checkoutKit(app);
  sync = await syncKit(app);
  device = await sync.device();
  await db().execute(sql`update users set name = 'Ada Staff' where id = ${device.userId}::uuid`);
  const p = await kit.product({ stock: [5] });
  const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
  const res = await kit.checkout(guest.headers, { email: 'shop@example.com', shippingAddress: address() }).expect(201);
  order = res.body.order as Order;
  await markPaid(app, order);
  const shopper = await member(app, 'Shopper Name');
  await kit.add(shopper.auth, p.variants[0]!, 1).expect(200);
  const placed = await kit.checkout(shopper.auth, { shippingAddress: address() }).expect(201);
  memberOrder = { id: (placed.body.order as Order).id, userId: shopper.userId };
  ({ changes: first, cursor } = await sync.pullAll(device));
});
afterAll(() => app.close());

describe(`order events in sync (${TEST_DB})`, () => {
  it("carries an order's timeline, without the payment provider's ids", () => {
    const events = eventsOf(first).filter((c) => c.row?.orderId === order.id);
    expect(events.map((c) => c.row?.type)).toEqual(['created', 'paid']);
    const paid = events[1]!.row!;
    expect(paid).toMatchObject({ actor: 'provider:test', actorName: null });
    expect(paid.data).toEqual({ amountCents: order.totalCents, currency: 'USD' });
    expect(Object.keys(paid)).toEqual(['id', 'orderId', 'type', 'data', 'actor', 'createdAt', 'actorName']);
    // Nowhere in the download: neither the payment id nor the provider's event id.
    expect(JSON.stringify(first)).not.toContain(`pay_${order.id}`);
    expect(JSON.stringify(first)).not.toContain(`evt_${order.id}`);
    // A shopper is no member of staff: no name beside their own event.
    const created = eventsOf(first).find((c) => c.row?.orderId === memberOrder.id)!.row!;
    expect(created).toMatchObject({ type: 'created', actor: `user:${memberOrder.userId}`, actorName: null });
  });

  it('brings a note pushed by a device and one added through the admin API, with author and time', async () => {
    const m = sync.mutation(device, 'order.note', { orderId: order.id, note: 'Gift wrap, please' });
    expect((await sync.push(device, [m])).results).toMatchObject([{ status: 'applied' }]);
    const other = await userWithRole(app, 'staff');
    await db().execute(sql`update users set name = 'Grace Office' where id = ${other.user.id}::uuid`);
    const viaApi = await app.request
      .post(`/api/v1/admin/orders/${order.id}/notes`)
      .set(other.auth)
      .send({ body: 'Customer called about the address' })
      .expect(201);

    const next = await sync.pullAll(device, cursor);
    const notes = eventsOf(next.changes);
    // The pushed note's event has the mutation's id: the device tells its queued note from it.
    expect(notes.map((c) => [c.op, c.id, c.row?.data, c.row?.actor, c.row?.actorName])).toEqual([
      ['upsert', m.id, { body: 'Gift wrap, please' }, `user:${device.userId}`, 'Ada Staff'],
      [
        'upsert',
        viaApi.body.id,
        { body: 'Customer called about the address' },
        `user:${other.user.id}`,
        'Grace Office',
      ],
    ]);
    expect(notes.every((c) => c.row?.orderId === order.id && c.row.type === 'note')).toBe(true);
    expect(notes[1]!.row!.createdAt).toBe(viaApi.body.at);
    expect(next.lastMutationSeq).toBe(m.seq);

    // A second device's first download has them too, the snapshot as well as the pull.
    const second = await sync.device('staff', { auth: other.auth, userId: other.user.id });
    const ids = [m.id, viaApi.body.id as string];
    expect(eventsOf((await sync.snapshot(second)).changes).map((c) => c.id)).toEqual(expect.arrayContaining(ids));
    expect(eventsOf((await sync.pullAll(second)).changes).map((c) => c.id)).toEqual(expect.arrayContaining(ids));
  });

  it('sends no order events to a device speaking protocol 1', async () => {
    const res = await sync.pullRaw(device, { protocolVersion: 1, limit: 5000 }).expect(200);
    const changes = (res.body as { changes: Change[] }).changes;
    expect(changes.some((c) => c.table === 'orders')).toBe(true);
    expect(changes.some((c) => c.table === 'order_events')).toBe(false);
    const old = await sync.snapshot(device, { protocolVersion: 1 });
    expect(eventsOf(old.changes)).toEqual([]);
    // Its progress total counts only what it is sent.
    expect(old.begin.total).toBe(old.changes.length);
    expect(eventsOf((await sync.snapshot(device)).changes).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps events append-only', async () => {
    await expect(
      db().execute(sql`update order_events set data = '{}' where order_id = ${order.id}::uuid`),
    ).rejects.toThrow();
    await expect(db().execute(sql`delete from order_events where order_id = ${order.id}::uuid`)).rejects.toThrow();
  });
});

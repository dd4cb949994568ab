/**
 * An order's timeline on the device: the server's events as synced (notes from anywhere, with their
 * author), and a note written here shown from the outbox until its event arrives, never twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { acknowledge, confirmApplied } from '../db/outbox.js';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import { PAID_ORDER, checked, fixedId, page, seededHandlers, upsert } from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const STAFF = fixedId(8, 1);
let version = 100;

/** An order event as the server sends it (server/modules/sync/rows.ts order_events). */
function event(id: string, type: string, createdAt: string, more: Record<string, unknown> = {}): Change {
  const row = { id, orderId: PAID_ORDER, type, data: {}, actor: 'system', createdAt, actorName: null, ...more };
  return upsert('order_events', row, ++version);
}

/** Applies a pull page as the sync engine does: rows, then confirmation of what its seq covers. */
function pullPage(changes: Change[], lastMutationSeq: number, hasMore = false) {
  applyPullPage(store, page(changes, `c${version}`, { lastMutationSeq, hasMore }), {
    rebase: (s) => confirmApplied(s, lastMutationSeq, { final: !hasMore }),
  });
}

const detail = async () => checked('orders:get', await h['orders:get']({ id: PAID_ORDER }));
const outboxSeq = (id: string) =>
  store.sqlite.prepare('SELECT seq FROM outbox WHERE id = ?').pluck().get(id) as number | undefined;

async function writeNote(note: string) {
  const order = await h['orders:note']({ orderId: PAID_ORDER, note });
  const pending = order.pendingNotes.find((n) => n.note === note)!;
  return { id: pending.mutationId, seq: outboxSeq(pending.mutationId)! };
}

describe('order timeline', () => {
  it('lists the synced events oldest first, with who did what', async () => {
    pullPage(
      [
        event(fixedId(9, 2), 'note', '2026-01-01T12:00:00.000Z', {
          data: { body: 'Customer called' },
          actor: `user:${STAFF}`,
          actorName: 'Grace Office',
        }),
        event(fixedId(9, 1), 'paid', '2026-01-01T10:05:00.000Z', {
          data: { amountCents: 2500, currency: 'USD' },
          actor: 'provider:test',
        }),
      ],
      0,
    );
    const order = await detail();
    expect(order.timeline).toEqual([
      {
        id: fixedId(9, 1),
        type: 'paid',
        actor: 'provider:test',
        actorName: null,
        data: { amountCents: 2500, currency: 'USD' },
        at: '2026-01-01T10:05:00.000Z',
      },
      {
        id: fixedId(9, 2),
        type: 'note',
        actor: `user:${STAFF}`,
        actorName: 'Grace Office',
        data: { body: 'Customer called' },
        at: '2026-01-01T12:00:00.000Z',
      },
    ]);
    expect(order.pendingNotes).toEqual([]);
  });

  it('shows a note written here from the outbox until its event has arrived, never twice', async () => {
    const note = await writeNote('Gift wrap please');
    expect((await detail()).pendingNotes.map((n) => n.mutationId)).toEqual([note.id]);

    // Pushed and acknowledged; then a page in the middle of a pass already reports its seq, but the
    // event comes on a later page: the note must not drop out of sight in between.
    acknowledge(store, { results: [{ seq: note.seq, status: 'applied' }], lastMutationSeq: note.seq });
    pullPage([], note.seq, true);
    expect((await detail()).pendingNotes.map((n) => n.mutationId)).toEqual([note.id]);
    expect((await detail()).timeline).toEqual([]);

    pullPage([event(note.id, 'note', '2026-01-03T09:00:00.000Z', { data: { body: 'Gift wrap please' } })], note.seq);
    const order = await detail();
    expect(order.timeline.map((e) => [e.id, e.data.body])).toEqual([[note.id, 'Gift wrap please']]);
    expect(order.pendingNotes).toEqual([]);
    expect(outboxSeq(note.id)).toBeUndefined();
  });

  it('lists a note once when its event arrives before the push was acknowledged (a lost answer)', async () => {
    const note = await writeNote('Call before delivery');
    pullPage([event(note.id, 'note', '2026-01-03T09:00:00.000Z', { data: { body: 'Call before delivery' } })], 0);
    const order = await detail();
    expect(order.timeline.map((e) => e.id)).toEqual([note.id]);
    expect(order.pendingNotes).toEqual([]);
    // Still to be pushed again: the server answers `duplicate`, and only then does it leave.
    expect(outboxSeq(note.id)).toBe(note.seq);
  });

  it("drops an order's events with the order", async () => {
    pullPage([event(fixedId(9, 3), 'created', '2026-01-01T10:00:00.000Z')], 0);
    pullPage([{ table: 'orders', op: 'delete', id: PAID_ORDER, version: 1000 }], 0);
    expect(store.sqlite.prepare('SELECT count(*) FROM order_events').pluck().get()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { applyPullPage } from './apply.js';
import { refreshDerived } from './derived.js';
import {
  acknowledge,
  confirmApplied,
  renumberOutbox,
  enqueueMutation,
  markSent,
  outboxStats,
  pendingMutations,
  recordSyncError,
  toEnvelope,
} from './outbox.js';
import { getSyncState, listConflicts, listRejections, resetForNewEpoch, resolveConflict } from './state.js';
import { type Store, openStore } from './store.js';
import { fixedId, page, productChanges } from './testkit.js';

const VARIANT = fixedId(2, 10);
const LEVEL = fixedId(3, 10);
const PRODUCT = fixedId(1, 1);

const adjust = (delta: number) => ({ name: 'stock.adjust', args: { variantId: VARIANT, delta, reason: 'sale' } });

/** The optimistic write of a stock.adjust: the level moves at once, derived sums with it. */
const localAdjust = (delta: number) => (store: Store) => {
  store.sqlite.prepare('UPDATE stock_levels SET on_hand = on_hand + ? WHERE id = ?').run(delta, LEVEL);
  refreshDerived(store, { variantIds: [VARIANT] });
};

const onHand = (store: Store) =>
  store.sqlite.prepare('SELECT on_hand FROM stock_levels WHERE id = ?').pluck().get(LEVEL);
const outboxSeqs = (store: Store) => store.sqlite.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all();

describe('outbox', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    applyPullPage(store, page(productChanges(1, 1, 1, 10), 'c1'));
  });
  afterEach(() => store.close());

  it('commits the local write and the outbox entry together, numbering from 1', () => {
    const entry = enqueueMutation(store, adjust(-3), localAdjust(-3), { now: new Date('2026-02-01T10:00:00Z') });
    expect(entry).toMatchObject({
      seq: 1,
      name: 'stock.adjust',
      status: 'pending',
      attempts: 0,
      createdAt: '2026-02-01T10:00:00.000Z',
    });
    expect(onHand(store)).toBe(7);
    expect(store.sqlite.prepare('SELECT on_hand FROM products WHERE id = ?').pluck().get(PRODUCT)).toBe(7);
    expect(pendingMutations(store, 10).map(toEnvelope)).toEqual([
      { seq: 1, id: entry.id, name: 'stock.adjust', args: adjust(-3).args, createdAt: '2026-02-01T10:00:00.000Z' },
    ]);
  });

  it.each([
    ['an unknown name', { name: 'stock.steal', args: {} }, /unknown mutation/],
    ['a wrong type', { name: 'stock.adjust', args: { variantId: VARIANT, delta: 'x', reason: 'sale' } }, /delta/],
    ['a missing field', { name: 'stock.adjust', args: { variantId: VARIANT, delta: 1 } }, /reason/],
    ['an extra field', { name: 'stock.adjust', args: { ...adjust(1).args, extra: 1 } }, /extra/],
    ['a negative baseVersion', { ...adjust(1), baseVersion: -1 }, /baseVersion/],
  ])('refuses %s with validation_failed, writing nothing and not using a seq', (_label, input, message) => {
    let ran = false;
    const attempt = () =>
      enqueueMutation(store, input, () => {
        ran = true;
      });
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(message);
    expect(ran).toBe(false);
    expect(outboxSeqs(store)).toEqual([]);
    expect(getSyncState(store).lastLocalSeq).toBe(0);
    expect(enqueueMutation(store, adjust(1)).seq).toBe(1);
  });

  it('rolls back the outbox entry when the local write throws, and the local write when the outbox insert fails', () => {
    expect(() =>
      enqueueMutation(store, adjust(-1), (s) => {
        localAdjust(-1)(s);
        throw new Error('local write failed');
      }),
    ).toThrow('local write failed');
    expect(onHand(store)).toBe(10);
    expect(outboxSeqs(store)).toEqual([]);

    const first = enqueueMutation(store, adjust(-2), localAdjust(-2));
    // Same mutation id again: the outbox insert violates its unique key after the local write ran.
    expect(() => enqueueMutation(store, { ...adjust(-5), id: first.id }, localAdjust(-5))).toThrow(/UNIQUE/);
    expect(onHand(store)).toBe(8);
    expect(outboxSeqs(store)).toEqual([1]);
    expect(enqueueMutation(store, adjust(-1), localAdjust(-1)).seq).toBe(2);
  });

  it('refuses an asynchronous local write (it could not share the transaction)', () => {
    expect(() => enqueueMutation(store, adjust(1), async () => {})).toThrow(/synchronous/);
    expect(outboxSeqs(store)).toEqual([]);
  });

  it('keeps seq contiguous over many enqueues and never reuses a number once entries leave', () => {
    for (let i = 0; i < 500; i++) enqueueMutation(store, adjust(1), localAdjust(1));
    expect(outboxSeqs(store)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(onHand(store)).toBe(510);
    acknowledge(store, {
      results: Array.from({ length: 500 }, (_, i) => ({ seq: i + 1, status: 'applied' as const })),
      lastMutationSeq: 500,
    });
    expect(pendingMutations(store, 1000)).toEqual([]);
    expect(outboxSeqs(store)).toHaveLength(500);
    expect(confirmApplied(store, 500)).toBe(500);
    expect(outboxSeqs(store)).toEqual([]);
    expect(enqueueMutation(store, adjust(1)).seq).toBe(501);
  });

  it('records each answer: applied, duplicate and conflict are acked, rejected leave with their reason, unanswered stay', () => {
    for (let i = 0; i < 3; i++) enqueueMutation(store, adjust(-1));
    const patch = enqueueMutation(store, {
      name: 'product.update',
      args: { productId: PRODUCT, patch: { name: 'Mine' } },
      baseVersion: 1,
    });
    enqueueMutation(store, adjust(-1));
    markSent(store, [1, 2, 3, 4, 5]);
    expect(pendingMutations(store, 10).map((e) => [e.seq, e.status, e.attempts])).toEqual([
      [1, 'sent', 1],
      [2, 'sent', 1],
      [3, 'sent', 1],
      [4, 'sent', 1],
      [5, 'sent', 1],
    ]);
    expect(pendingMutations(store, 10)[3]).toMatchObject({ baseVersion: 1 });

    const summary = acknowledge(
      store,
      {
        results: [
          { seq: 1, status: 'applied' },
          { seq: 2, status: 'duplicate' },
          { seq: 3, status: 'rejected', error: { code: 'not_found', message: 'variant deleted' } },
          {
            seq: 4,
            status: 'conflict',
            conflicts: [{ field: 'name', serverValue: 'Theirs', clientValue: 'Mine' }],
          },
          { seq: 99, status: 'applied' },
        ],
        lastMutationSeq: 4,
      },
      { now: new Date('2026-02-02T00:00:00Z') },
    );
    expect(summary).toEqual({ answered: 4, rejected: 1, conflicts: 1, unknown: 1 });
    expect(pendingMutations(store, 10).map((e) => e.seq)).toEqual([5]);
    expect(outboxSeqs(store)).toEqual([1, 2, 4, 5]);
    expect(outboxStats(store).pending).toBe(1);
    // A pull that shows the effects up to seq 2 confirms those; 4 stays acked until one reaches it.
    expect(confirmApplied(store, 2)).toBe(2);
    expect(outboxSeqs(store)).toEqual([4, 5]);
    expect(listRejections(store)).toMatchObject([
      { mutationSeq: 3, name: 'stock.adjust', code: 'not_found', message: 'variant deleted', args: adjust(-1).args },
    ]);
    const [conflict] = listConflicts(store);
    expect(conflict).toMatchObject({
      tableName: 'products',
      rowId: PRODUCT,
      field: 'name',
      serverValue: 'Theirs',
      clientValue: 'Mine',
      mutationId: patch.id,
      resolved: false,
    });
    expect(getSyncState(store)).toMatchObject({ lastMutationSeq: 4, lastPushAt: '2026-02-02T00:00:00.000Z' });

    // The same answer again (a retried acknowledgement) records nothing twice.
    acknowledge(store, {
      results: [{ seq: 3, status: 'rejected', error: { code: 'x', message: 'y' } }],
      lastMutationSeq: 4,
    });
    expect(listRejections(store)).toHaveLength(1);
    expect(resolveConflict(store, conflict!.id)).toBe(true);
    expect(resolveConflict(store, conflict!.id)).toBe(false);
    expect(listConflicts(store)).toEqual([]);
  });

  it('leaves an entry answered seq_gap queued and records nothing for it', () => {
    enqueueMutation(store, adjust(-1));
    enqueueMutation(store, adjust(-2));
    const summary = acknowledge(store, {
      results: [{ seq: 1, status: 'rejected', error: { code: 'seq_gap', message: 'send from 1' } }],
      lastMutationSeq: 0,
    });
    expect(summary.rejected).toBe(0);
    expect(listRejections(store)).toEqual([]);
    expect(pendingMutations(store, 10).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('treats a duplicate as its first answer: a duplicate of a rejection is recorded as rejected', () => {
    enqueueMutation(store, adjust(-1));
    acknowledge(store, {
      results: [
        {
          seq: 1,
          status: 'duplicate',
          originalStatus: 'rejected',
          error: { code: 'not_found', message: 'gone' },
        },
      ],
      lastMutationSeq: 1,
    });
    expect(outboxSeqs(store)).toEqual([]);
    expect(listRejections(store)).toMatchObject([{ mutationSeq: 1, code: 'not_found' }]);
  });

  it('renumbers the outbox from 1 for a new client id, keeping order and ids; acked entries are pushed again', () => {
    const ids = [adjust(-1), adjust(-2), adjust(-3)].map((m) => enqueueMutation(store, m).id);
    markSent(store, [1, 2, 3]);
    acknowledge(store, {
      results: [
        { seq: 1, status: 'applied' },
        { seq: 2, status: 'applied' },
      ],
      lastMutationSeq: 2,
    });
    confirmApplied(store, 1);
    const second = enqueueMutation(store, adjust(-4)).id;
    expect(renumberOutbox(store, '0190f0f0-0000-7000-8000-00000000abcd')).toBe(3);
    const rows = store.sqlite.prepare('SELECT seq, id, status FROM outbox ORDER BY seq').all();
    expect(rows).toEqual([
      { seq: 1, id: ids[1], status: 'pending' },
      { seq: 2, id: ids[2], status: 'pending' },
      { seq: 3, id: second, status: 'pending' },
    ]);
    expect(getSyncState(store)).toMatchObject({
      clientId: '0190f0f0-0000-7000-8000-00000000abcd',
      lastLocalSeq: 3,
      lastMutationSeq: 0,
      deviceRegistered: false,
    });
    expect(enqueueMutation(store, adjust(1)).seq).toBe(4);
  });

  it('reports queue depth, the oldest pending age and the last error', () => {
    expect(outboxStats(store)).toEqual({
      pending: 0,
      sent: 0,
      oldestPendingAt: null,
      oldestPendingAgeMs: null,
      lastEntryError: null,
    });
    enqueueMutation(store, adjust(1), undefined, { now: new Date('2026-02-01T10:00:00Z') });
    enqueueMutation(store, adjust(1), undefined, { now: new Date('2026-02-01T10:05:00Z') });
    markSent(store, [1]);
    recordSyncError(store, 'network down', [2]);
    expect(outboxStats(store, new Date('2026-02-01T10:10:00Z'))).toEqual({
      pending: 2,
      sent: 1,
      oldestPendingAt: '2026-02-01T10:00:00.000Z',
      oldestPendingAgeMs: 600_000,
      lastEntryError: 'network down',
    });
    expect(getSyncState(store).lastError).toBe('network down');
  });

  it('resetForNewEpoch drops synced data and the cursor but keeps pending mutations and their numbering', () => {
    enqueueMutation(store, adjust(-1), localAdjust(-1));
    enqueueMutation(store, adjust(-2), localAdjust(-2));
    resetForNewEpoch(store, 'epoch-2');
    expect(getSyncState(store)).toMatchObject({
      cursor: null,
      epoch: 'epoch-2',
      firstDownloadDone: 0,
      lastLocalSeq: 2,
    });
    expect(store.sqlite.prepare('SELECT count(*) FROM products').pluck().get()).toBe(0);
    expect(store.sqlite.prepare('SELECT count(*) FROM stock_levels').pluck().get()).toBe(0);
    expect(
      store.sqlite.prepare("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'trail'").pluck().get(),
    ).toBe(0);
    expect(pendingMutations(store, 10).map((e) => e.args)).toEqual([adjust(-1).args, adjust(-2).args]);
    expect(enqueueMutation(store, adjust(1)).seq).toBe(3);
    // The new epoch's first page is accepted.
    expect(applyPullPage(store, page(productChanges(1, 1, 5), 'n1', { epoch: 'epoch-2' })).status).toBe('applied');
  });
});

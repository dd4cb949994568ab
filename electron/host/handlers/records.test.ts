import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledge } from '../db/outbox.js';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import {
  APPROVED_REVIEW,
  LOCATION_ID,
  OVERSELL,
  PENDING_REVIEW,
  UNKNOWN,
  checked,
  productId,
  queued,
  seededHandlers,
  variantId,
} from './testkit.js';

let store: Store;
let h: Handlers;
beforeEach(() => {
  ({ store, handlers: h } = seededHandlers());
});
afterEach(() => store.close());

const rejects = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });

describe('reviews', () => {
  it('lists pending reviews first, with the product name', async () => {
    const list = checked('reviews:list', await h['reviews:list']({}));
    expect(list.items.map((r) => [r.id, r.status])).toEqual([
      [PENDING_REVIEW, 'pending'],
      [APPROVED_REVIEW, 'approved'],
    ]);
    expect(list.items[0]).toMatchObject({ productName: 'Trail black 1', rating: 4, body: 'Very warm hoodie.' });
    expect((await h['reviews:list']({ status: 'approved' })).items.map((r) => r.id)).toEqual([APPROVED_REVIEW]);
    expect((await h['reviews:list']({ productId: productId(2) })).total).toBe(0);
    await rejects(h['reviews:list']({ status: 'spam' }), 'validation_failed');
  });

  it('moderates at once and queues the decision', async () => {
    const review = await h['reviews:moderate']({ reviewId: PENDING_REVIEW, status: 'approved' });
    expect(checked('reviews:moderate', review)).toMatchObject({ status: 'approved', moderatedAt: expect.any(String) });
    expect(queued(store)).toEqual([
      { name: 'review.moderate', args: { reviewId: PENDING_REVIEW, status: 'approved' }, baseVersion: undefined },
    ]);
    await rejects(h['reviews:moderate']({ reviewId: UNKNOWN, status: 'rejected' }), 'not_found');
    await rejects(h['reviews:moderate']({ reviewId: PENDING_REVIEW, status: 'pending' }), 'validation_failed');
  });
});

/** Our push of `patch` won over a concurrent edit of the server's: a conflict record for a person. */
async function conflictOn(field: string, serverValue: unknown, clientValue: unknown) {
  await h['catalog:updateProduct']({ productId: productId(1), patch: { [field]: clientValue } });
  acknowledge(store, {
    results: [{ seq: queued(store).length, status: 'conflict', conflicts: [{ field, serverValue, clientValue }] }],
    lastMutationSeq: queued(store).length,
  });
  return (await h['conflicts:list']({})).items.at(-1)!;
}

describe('conflicts', () => {
  it('lists open conflicts with the row they are about', async () => {
    const conflict = await conflictOn('name', 'Theirs', 'Mine');
    expect(checked('conflicts:list', await h['conflicts:list']({})).items).toEqual([
      {
        id: conflict.id,
        table: 'products',
        rowId: productId(1),
        label: 'Mine',
        field: 'name',
        serverValue: 'Theirs',
        clientValue: 'Mine',
        mutationId: expect.any(String),
        at: expect.any(String),
      },
    ]);
  });

  it("keep 'mine' (our push won) only marks it resolved", async () => {
    const conflict = await conflictOn('name', 'Theirs', 'Mine');
    const answer = await h['conflicts:resolve']({ id: conflict.id, keep: 'mine' });
    expect(checked('conflicts:resolve', answer)).toEqual({ id: conflict.id, keep: 'mine', queuedSeq: null });
    expect((await h['conflicts:list']({})).items).toEqual([]);
    expect(queued(store)).toEqual([]);
    await rejects(h['conflicts:resolve']({ id: conflict.id, keep: 'server' }), 'conflict');
  });

  it("keep 'server' restores the value our push overwrote, queued against the row's current version", async () => {
    const conflict = await conflictOn('tags', ['server'], ['mine']);
    const answer = await h['conflicts:resolve']({ id: conflict.id, keep: 'server' });
    expect(answer).toEqual({ id: conflict.id, keep: 'server', queuedSeq: 2 });
    expect(queued(store)).toEqual([
      { name: 'product.update', args: { productId: productId(1), patch: { tags: ['server'] } }, baseVersion: 2 },
    ]);
    expect((await h['conflicts:list']({})).items).toEqual([]);
  });

  it('answers not_found for an unknown conflict, validation_failed for a bad one', async () => {
    await rejects(h['conflicts:resolve']({ id: 999, keep: 'mine' }), 'not_found');
    await rejects(h['conflicts:resolve']({ id: 1 }), 'validation_failed');
    await rejects(h['conflicts:resolve']({ id: 1, keep: 'mine', extra: true }), 'validation_failed');
  });
});

describe('rejections and oversells', () => {
  it('lists rejections and dismisses them (twice is fine, unknown is not_found)', async () => {
    await h['stock:adjust']({ variantId: variantId(1), delta: -1, reason: 'sale' });
    acknowledge(store, {
      results: [{ seq: 1, status: 'rejected', error: { code: 'not_found', message: 'variant deleted' } }],
      lastMutationSeq: 1,
    });
    const list = checked('rejections:list', await h['rejections:list'](undefined));
    expect(list.items).toEqual([
      {
        id: 1,
        mutationId: expect.any(String),
        name: 'stock.adjust',
        args: { variantId: variantId(1), delta: -1, reason: 'sale' },
        code: 'not_found',
        message: 'variant deleted',
        at: expect.any(String),
      },
    ]);
    expect(checked('rejections:dismiss', await h['rejections:dismiss']({ id: 1 }))).toEqual({ ok: true });
    expect(await h['rejections:dismiss']({ id: 1 })).toEqual({ ok: true });
    expect((await h['rejections:list']({})).items).toEqual([]);
    await rejects(h['rejections:dismiss']({ id: 2 }), 'not_found');
    await rejects(h['rejections:dismiss']({ id: 'one' }), 'validation_failed');
  });

  it('lists open oversells with the SKU and product', async () => {
    expect(checked('oversells:list', await h['oversells:list']({})).items).toEqual([
      {
        id: OVERSELL,
        variantId: variantId(3),
        sku: 'SKU-3-0',
        productName: 'Canvas black 3',
        locationId: LOCATION_ID,
        level: -2,
        createdAt: '2026-01-06T00:00:00.000Z',
      },
    ]);
  });
});

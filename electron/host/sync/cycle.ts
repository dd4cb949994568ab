/**
 * One sync pass: make sure the device is registered, push the outbox, pull until caught up.
 *
 * Push before pull, so the pages that follow already carry our own effects. Every step is safe to
 * cut anywhere and run again: a push answer that never arrived is answered `duplicate` next time
 * (same seq), a pull page is applied with its cursor in one transaction (SYNC.md rules 2 and 3).
 *
 * When the server cannot continue our numbering, the outbox moves to a fresh client id, numbered
 * from 1 (renumberOutbox): the server dedupes by mutation id, so what it already applied answers
 * `duplicate` and nothing is applied twice. That happens
 * - after an epoch change (a restored backup: its record of our seqs is older than ours);
 * - when the server answers a push `seq_gap`, or registers us with a last seq we cannot continue;
 * - when our id was registered by someone else (another user signed in on this store).
 */
import { newId } from '../../../shared/domain/ids.js';
import {
  DEFAULT_PULL_LIMIT,
  DEFAULT_SNAPSHOT_BATCH,
  MAX_PUSH_BATCH,
  type PullAnswer,
} from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { clearBases, restoreAll } from '../db/bases.js';
import { beginBulkWrites, FIRST_DOWNLOAD_PULL_LIMIT } from '../db/first-download.js';
import {
  acknowledge,
  confirmApplied,
  markSent,
  type OutboxEntry,
  outboxStats,
  pendingMutations,
  recordSyncError,
  renumberOutbox,
  toEnvelope,
} from '../db/outbox.js';
import { syncState } from '../db/schema.js';
import { getSyncState, resetForNewEpoch } from '../db/state.js';
import type { Store } from '../db/store.js';
import { ServerError, type SyncClient } from './client.js';
import { canSnapshot, downloadSnapshot } from './snapshot.js';

export type Touched = { table: string; id: string }[];
/** Re-applies pending mutations above `afterSeq` over freshly pulled rows (inside the page's transaction). */
export type Rebase = (store: Store, afterSeq: number, touched: Touched) => void;

export type Phase = 'registering' | 'pushing' | 'pulling' | 'downloading';

export interface CycleContext {
  store: Store;
  client: SyncClient;
  deviceName: string;
  rebase: Rebase;
  pullLimit?: number;
  onPhase?: (phase: Phase) => void;
  /** After each applied page (progress bars, live views). */
  onPage?: () => void;
}

const MAX_RESTARTS = 3;

function setRegistered(store: Store, lastMutationSeq: number): void {
  store.db.update(syncState).set({ deviceRegistered: true, lastMutationSeq }).run();
}

/** Entries the server applied whose effects no pull has shown yet (a pass soon will confirm them). */
export const hasAcked = (store: Store) =>
  store.sqlite.prepare("SELECT EXISTS (SELECT 1 FROM outbox WHERE status = 'acked')").pluck().get() === 1;

function firstUnsentSeq(store: Store): number | null {
  return pendingMutations(store, 1)[0]?.seq ?? null;
}

async function ensureDevice(ctx: CycleContext): Promise<void> {
  for (let attempt = 0; attempt < MAX_RESTARTS; attempt++) {
    const state = getSyncState(ctx.store);
    if (state.deviceRegistered) return;
    ctx.onPhase?.('registering');
    let answer;
    try {
      answer = await ctx.client.registerDevice(state.clientId, ctx.deviceName);
    } catch (error) {
      if (error instanceof ServerError && error.code === 'conflict') {
        renumberOutbox(ctx.store, newId());
        continue;
      }
      throw error;
    }
    const first = firstUnsentSeq(ctx.store) ?? state.lastLocalSeq + 1;
    // The server must continue exactly where our unsent entries start, and never be ahead of what we made.
    if (first > answer.lastMutationSeq + 1 || answer.lastMutationSeq > state.lastLocalSeq) {
      renumberOutbox(ctx.store, newId());
      continue;
    }
    setRegistered(ctx.store, answer.lastMutationSeq);
    return;
  }
  throw new Error('could not register this device with the server');
}

/** Runs `step`; a 403 unknown_device (the server forgot us, or our id) registers again and retries once. */
async function asRegistered<T>(ctx: CycleContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ServerError && error.code === 'unknown_device')) throw error;
    ctx.store.db.update(syncState).set({ deviceRegistered: false }).run();
    await ensureDevice(ctx);
    return step();
  }
}

/**
 * The server's JSON body limit is 100 kB by default: a batch stays well under it (and a 413 halves
 * it). A single mutation too big to send stays queued with a clear error: dropping it here would
 * leave a gap in the numbering the server expects.
 */
export const PUSH_BATCH_BYTES = 64 * 1024;

function nextBatch(store: Store, maxCount: number): OutboxEntry[] {
  const batch: OutboxEntry[] = [];
  let bytes = 0;
  for (const entry of pendingMutations(store, maxCount)) {
    bytes += JSON.stringify(toEnvelope(entry)).length + 1;
    if (batch.length > 0 && bytes > PUSH_BATCH_BYTES) break;
    batch.push(entry);
  }
  return batch;
}

async function pushAll(ctx: CycleContext): Promise<void> {
  let restarts = 0;
  let maxCount = MAX_PUSH_BATCH;
  for (;;) {
    const batch = nextBatch(ctx.store, maxCount);
    if (batch.length === 0) return;
    ctx.onPhase?.('pushing');
    const seqs = batch.map((e) => e.seq);
    markSent(ctx.store, seqs);
    let answer;
    try {
      answer = await asRegistered(ctx, () => ctx.client.push(getSyncState(ctx.store).clientId, batch.map(toEnvelope)));
    } catch (error) {
      if (error instanceof ServerError && error.status === 413 && batch.length > 1) {
        maxCount = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      const tooBig = error instanceof ServerError && error.status === 413;
      const message = tooBig ? `Change #${seqs[0]} is too large for the server to accept` : (error as Error).message;
      recordSyncError(ctx.store, message, seqs);
      throw error;
    }
    const summary = acknowledge(ctx.store, answer);
    if (summary.rejected > 0) takeBackRejected(ctx);
    const gap = answer.results.find((r) => r.error?.code === 'seq_gap');
    if (gap) {
      if (++restarts > MAX_RESTARTS) throw new Error('the server keeps refusing our mutation numbering');
      renumberOutbox(ctx.store, newId());
      await ensureDevice(ctx);
    } else if (answer.results.length === 0) {
      throw new Error('the server answered a push without results');
    }
  }
}

/**
 * A rejected mutation's optimistic effect must not stay on screen: rows under local edits go back
 * to the server's state and what is still pending is re-applied over them (one transaction).
 */
function takeBackRejected(ctx: CycleContext): void {
  ctx.store.transaction(() => recomputeOverlay(ctx.store, ctx.rebase, getSyncState(ctx.store).pulledMutationSeq));
}

/**
 * Rows under local edits become again: the server's state as last pulled (their base) plus every
 * mutation above `pulledSeq` still in the outbox. Run where that set changed (confirmed or rejected
 * entries), so an effect the server's rows already show is never counted twice, and a refused one
 * never stays.
 */
function recomputeOverlay(store: Store, rebase: Rebase, pulledSeq: number): void {
  const restored = restoreAll(store);
  if (restored.length > 0) rebase(store, pulledSeq, restored);
}

/**
 * Pulls pages until caught up. The next page is asked for as soon as this one's answer (and so its
 * cursor) is in, and this one is applied while it travels: server and wire time overlap host work.
 * Pages are still applied one at a time, in order, each with its cursor in one transaction; the
 * answer asked ahead is used only if the store still holds the client id and cursor it was asked
 * with, and a failure in it surfaces when its turn comes (the cursor saved is the previous page's).
 * A first download defers the product index and WAL checkpoints to its end (db/first-download.ts),
 * and starts with the server's snapshot stream when it can (snapshot.ts): pages then only catch up
 * with what changed while it streamed.
 */
async function pullAll(ctx: CycleContext): Promise<'caught_up' | 'epoch_changed'> {
  type Asked = { clientId: string; cursor: string | null; answer: Promise<{ page: PullAnswer } | { error: unknown }> };
  const { store } = ctx;
  const firstDownload = !getSyncState(store).firstDownloadComplete;
  const limit = ctx.pullLimit ?? (firstDownload ? FIRST_DOWNLOAD_PULL_LIMIT : DEFAULT_PULL_LIMIT);
  // Settled at once, so an answer nobody waits for any more (epoch change, failed apply) never rejects unhandled.
  const ask = (clientId: string, cursor: string | null): Asked => ({
    clientId,
    cursor,
    answer: ctx.client.pull(clientId, cursor, limit).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    ),
  });
  const take = async (asked: Asked | undefined, clientId: string, cursor: string | null): Promise<PullAnswer> => {
    const settled = asked && asked.clientId === clientId && asked.cursor === cursor ? await asked.answer : undefined;
    if (settled && 'page' in settled) return settled.page;
    // Re-registering is left to this sequential path, so nothing asked ahead writes to the store.
    if (settled && !(settled.error instanceof ServerError && settled.error.code === 'unknown_device'))
      throw settled.error;
    return asRegistered(ctx, () => ctx.client.pull(getSyncState(store).clientId, cursor, limit));
  };
  const endBulk = firstDownload ? beginBulkWrites(store) : undefined;
  let ahead: Asked | undefined;
  try {
    if (firstDownload && canSnapshot(getSyncState(store).cursor)) {
      ctx.onPhase?.('downloading');
      const snapshot = await asRegistered(ctx, () =>
        downloadSnapshot({
          store,
          client: ctx.client,
          limit: ctx.pullLimit ?? DEFAULT_SNAPSHOT_BATCH,
          rebase: ctx.rebase,
          ...(ctx.onPage ? { onBatch: ctx.onPage } : {}),
        }),
      );
      if (snapshot.status === 'epoch_changed') return epochChanged(store, snapshot.epoch);
    }
    for (;;) {
      const state = getSyncState(store);
      ctx.onPhase?.(state.firstDownloadComplete ? 'pulling' : 'downloading');
      const page = await take(ahead, state.clientId, state.cursor);
      ahead = page.hasMore ? ask(getSyncState(store).clientId, page.cursor) : undefined;
      // Let the request leave before the apply holds the event loop (fetch may not write it until the loop turns).
      if (ahead) await new Promise((resolve) => setImmediate(resolve));
      const result = applyPullPage(store, page, {
        deferProductIndex: firstDownload,
        rebase: (s, touched) => {
          ctx.rebase(s, page.lastMutationSeq, touched);
          confirmApplied(s, page.lastMutationSeq, { final: !page.hasMore });
          // The last page of a pass has every effect up to lastMutationSeq: settle the other edited rows too.
          if (!page.hasMore) recomputeOverlay(s, ctx.rebase, page.lastMutationSeq);
        },
      });
      if (result.status === 'epoch_changed') return epochChanged(store, page.epoch);
      ctx.onPage?.();
      if (!page.hasMore) {
        // Nothing waits any more: every row is the server's, and no pre-image is needed.
        if (outboxStats(store).pending === 0 && !hasAcked(store)) clearBases(store);
        return 'caught_up';
      }
    }
  } finally {
    endBulk?.();
  }
}

/** A restored server: its data replaces ours; our outbox survives under a fresh client id. */
function epochChanged(store: Store, epoch: string): 'epoch_changed' {
  resetForNewEpoch(store, epoch);
  renumberOutbox(store, newId());
  return 'epoch_changed';
}

/** One full pass. Throws on the first failure (the engine classifies it and retries with backoff). */
export async function runCycle(ctx: CycleContext): Promise<void> {
  for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
    await ensureDevice(ctx);
    await pushAll(ctx);
    if ((await pullAll(ctx)) === 'caught_up') return;
  }
  throw new Error('the server changed its epoch again and again during one sync');
}

/**
 * A first download through the server's snapshot stream (server/modules/sync/snapshot.ts): every
 * row once, table by table, in batches each applied with its resume token in one transaction
 * (db/snapshot-apply.ts). The store's cursor holds that token, marked, until the stream's end puts
 * the pull cursor there instead; the cycle then pulls pages from it as usual, which catches up what
 * changed meanwhile and, on the last page, builds the product index and marks the download done.
 *
 * A cut stream resumes after the last applied token (any run: the token is in the store). While
 * it loads, the synced tables' secondary indexes are dropped and built again at the end
 * (db/first-download.ts). A server without the stream answers 404: the caller pulls pages instead.
 */
import { SNAPSHOT_TABLES, type SnapshotBegin } from '../../../shared/sync/protocol.js';
import { recomputeAllDerived } from '../db/derived.js';
import { dropSyncedIndexes, KEPT_FOR_DERIVED, restoreSyncedIndexes } from '../db/first-download.js';
import { confirmApplied } from '../db/outbox.js';
import { applySnapshotBatch, type SnapshotRow } from '../db/snapshot-apply.js';
import { StreamTotals } from '../db/snapshot-totals.js';
import { getSyncState, resetForNewEpoch } from '../db/state.js';
import type { Store } from '../db/store.js';
import { ServerError, type SyncClient } from './client.js';
import { readSnapshot } from './snapshot-stream.js';

/** Marks a stored cursor as a snapshot's resume token (the server's tokens are base64url: no colon). */
const MARK = 'snapshot:';

/** True when the download in progress (or about to start) can go on with a snapshot. */
export const canSnapshot = (cursor: string | null) => cursor === null || cursor.startsWith(MARK);

export interface SnapshotContext {
  store: Store;
  client: SyncClient;
  /** Rows per batch. */
  limit: number;
  /** Re-applies pending mutations above `afterSeq` over the rows a batch wrote (cycle.ts Rebase). */
  rebase: (store: Store, afterSeq: number, touched: { table: string; id: string }[]) => void;
  onBatch?: () => void;
}

export type SnapshotOutcome = { status: 'downloaded' | 'unsupported' } | { status: 'epoch_changed'; epoch: string };

const NO_INDEX: ReadonlySet<string> = new Set();

/** True when the store holds no stock level, variant or product (what StreamTotals needs). */
function holdsNoStock(store: Store): boolean {
  return ['stock_levels', 'variants', 'products'].every(
    (table) => store.sqlite.prepare(`SELECT EXISTS (SELECT 1 FROM ${table})`).pluck().get() === 0,
  );
}

/**
 * Pending mutations are re-applied over a batch's rows only while any exist (or stock placeholders
 * made for them remain): looking each row of a 876k-row stream up for nothing costs seconds. The
 * rebase hook still hears of every batch, with one row per table it wrote (host events tell open
 * screens which tables changed), which re-applies nothing when nothing is pending.
 */
function rebaseNeeded(store: Store): boolean {
  return (
    store.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM outbox)').pluck().get() === 1 ||
    store.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM stock_levels WHERE version = 0)').pluck().get() === 1
  );
}

async function open(ctx: SnapshotContext, resume: string | null, controller: AbortController) {
  try {
    return await ctx.client.openSnapshot(getSyncState(ctx.store).clientId, resume, ctx.limit, controller.signal);
  } catch (error) {
    if (error instanceof ServerError && error.status === 404) return null;
    throw error;
  }
}

export async function downloadSnapshot(ctx: SnapshotContext): Promise<SnapshotOutcome> {
  const { store } = ctx;
  const stored = getSyncState(store);
  const resume = stored.cursor?.startsWith(MARK) ? stored.cursor.slice(MARK.length) : null;
  const controller = new AbortController();
  const res = await open(ctx, resume, controller);
  if (!res?.body) {
    // Pages instead: they keep derived data through the indexes an earlier stream may have dropped.
    restoreSyncedIndexes(store);
    return { status: 'unsupported' };
  }
  const events = readSnapshot(res.body, ctx.client.timeoutMs, () => controller.abort());
  try {
    let begin: SnapshotBegin | undefined;
    let done = 0;
    let rebasing = rebaseNeeded(store);
    let lastTable = 0;
    let inOrder = true;
    // Derived columns summed from the stream's rows while that holds (snapshot-totals.ts), and
    // whether they must all be recomputed at the end because it stopped holding half-way.
    let totals: StreamTotals | undefined;
    let recompute = false;
    for await (const event of events) {
      if (event.kind === 'begin') {
        begin = event.begin;
        if (stored.epoch !== null && begin.epoch !== stored.epoch)
          return { status: 'epoch_changed', epoch: begin.epoch };
        // The server started over although we had a token: what we hold may miss its deletes.
        if (resume !== null && begin.done === 0) resetForNewEpoch(store, begin.epoch);
        done = begin.done;
        if (begin.done === 0 && !rebasing && holdsNoStock(store)) totals = new StreamTotals();
        dropSyncedIndexes(store, totals ? NO_INDEX : KEPT_FOR_DERIVED);
      } else if (event.kind === 'batch') {
        const { rows, resume: next } = event;
        done += rows.length;
        inOrder &&= ordered(rows, lastTable);
        lastTable = SNAPSHOT_TABLES.indexOf(rows.at(-1)?.table ?? SNAPSHOT_TABLES[lastTable]!);
        rebasing ||= store.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM outbox)').pluck().get() === 1;
        // A local write meanwhile (pending mutations now re-applied over rows) or rows not as sent:
        // stored rows are no longer the stream's alone, so derive from them from here on.
        if (totals && (rebasing || totals.spoiled)) {
          dropSyncedIndexes(store, KEPT_FOR_DERIVED);
          totals = undefined;
          recompute = true;
        }
        const state = {
          epoch: begin!.epoch,
          cursor: MARK + next.token,
          lastMutationSeq: next.lastMutationSeq,
          done,
          total: Math.max(begin!.total, done),
        };
        const result = applySnapshotBatch(store, rows, state, {
          totals,
          rebase: (s, touched) => {
            ctx.rebase(s, next.lastMutationSeq, rebasing ? touched : onePerTable(touched));
            // Not final: the pulls after the stream end the pass (outbox.ts confirmApplied).
            confirmApplied(s, next.lastMutationSeq, { final: false });
          },
        });
        if (result.status === 'epoch_changed') return { status: 'epoch_changed', epoch: result.epoch };
        ctx.onBatch?.();
      } else finish(store, begin!, inOrder && !recompute && !totals?.spoiled);
    }
    return { status: 'downloaded' };
  } finally {
    controller.abort();
    await events.return(undefined);
  }
}

function onePerTable<T extends { table: string }>(touched: T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of touched) if (!seen.has(row.table)) seen.set(row.table, row);
  return [...seen.values()];
}

/** True when the batch keeps SNAPSHOT_TABLES order (after the table the last batch ended in). */
function ordered(rows: readonly SnapshotRow[], from: number): boolean {
  let at = from;
  for (const { table } of rows) {
    const index = SNAPSHOT_TABLES.indexOf(table);
    if (index < at) return false;
    at = index;
  }
  return true;
}

/** The stream's end: indexes built again, derived data made whole if it could not be trusted, then the pull cursor. */
function finish(store: Store, begin: SnapshotBegin, derivedHolds: boolean): void {
  store.transaction(() => {
    restoreSyncedIndexes(store);
    if (!derivedHolds) recomputeAllDerived(store);
    store.sqlite.prepare('UPDATE sync_state SET cursor = ? WHERE id = 1').run(begin.cursor);
  });
}

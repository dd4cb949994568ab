/**
 * Push (SYNC.md rule 3): named mutations applied exactly once, in seq order per device.
 *
 * Mutations run in chunks (PUSH_CHUNK) per transaction that locks the device row (two pushes
 * from one device queue behind each other); each one applies its effect in its own savepoint
 * (consecutive stock adjustments go to the database together, each still undone alone) and
 * records (client, seq, mutation id, answer) in sync_mutations, and the chunk advances
 * sync_devices.last_mutation_seq before it commits. So a retry after a lost answer finds the seq
 * already done and answers `duplicate` with the first answer's status; its effect happened once.
 *
 * - seq <= last: `duplicate` (nothing runs).
 * - seq > last + 1: a gap. The batch stops: the first gapped mutation is answered `rejected`
 *   {code: seq_gap} and nothing after it is applied or answered; `lastMutationSeq` tells the
 *   device where the server is.
 * - a mutation id already processed under another seq (e.g. pushed again after the device
 *   re-registered): `duplicate`, and the seq advances (no second record: ids are unique). An id
 *   used by another person's device is `rejected` instead.
 * - a business failure (unknown name, invalid arguments, AppError below 500, rule 7, a data or
 *   integrity error the database raises the same way every time): `rejected`, the seq
 *   advances, the batch goes on (rule 7 of the failure scenarios).
 * - anything else (a bug, a lost connection, a deadlock): its chunk's transaction rolls back,
 *   nothing of that chunk is recorded, the batch stops with a 500 (earlier chunks stay done);
 *   the retry redoes it.
 * The device's `createdAt` is stored as information only; order is the server's.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { parseMutation } from '../../../shared/sync/mutations.js';
import type { MutationEnvelope, MutationResult, PushAnswer, PushBody } from '../../../shared/sync/protocol.js';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../db/client.js';
import { syncDevices, syncMutations } from '../../db/schema/index.js';
import { applyMutation, applyStockAdjustments, type Outcome, type StockAdjustment } from './apply.js';
import { findDevice } from './devices.js';

type Recorded = typeof syncMutations.$inferSelect;

function duplicateOf(seq: number, recorded: Recorded | undefined): MutationResult {
  if (!recorded) return { seq, status: 'duplicate' };
  const result = recorded.result as Partial<MutationResult>;
  return {
    seq,
    status: 'duplicate',
    originalStatus: recorded.status,
    ...(result.error ? { error: result.error } : {}),
    ...(result.conflicts ? { conflicts: result.conflicts, conflict: result.conflicts[0] } : {}),
  };
}

function answerOf(seq: number, outcome: Outcome): MutationResult {
  if (outcome.status === 'rejected') return { seq, status: 'rejected', error: outcome.error };
  if (outcome.status === 'conflict') {
    return { seq, status: 'conflict', conflicts: outcome.conflicts, conflict: outcome.conflicts[0] };
  }
  return { seq, status: 'applied' };
}

/**
 * Mutations applied per transaction. Each still runs in its own savepoint (apply.ts), so a refusal
 * undoes only its own effect; the chunk shares one device lock, one device update and one commit
 * (a transaction per mutation cost ~4 ms each). Small enough that row locks and the pull horizon
 * are held back for a few hundred milliseconds at most.
 */
export const PUSH_CHUNK = 100;

type ChunkOutcome = { results: MutationResult[]; last: number; gapAt?: number };
type NewRecord = typeof syncMutations.$inferInsert;

export async function push(app: AppContext, userId: string, body: PushBody): Promise<PushAnswer> {
  const { clientId } = body;
  let last = (await findDevice(app.db, clientId, userId)).lastMutationSeq;
  const results: MutationResult[] = [];
  for (let i = 0; i < body.mutations.length; i += PUSH_CHUNK) {
    const chunk = body.mutations.slice(i, i + PUSH_CHUNK);
    const step = await app.db.transaction((tx) => pushChunk(app, tx, userId, clientId, chunk));
    results.push(...step.results);
    last = step.last;
    if (step.gapAt !== undefined) {
      results.push({
        seq: step.gapAt,
        status: 'rejected',
        error: {
          code: 'seq_gap',
          message: `Mutation ${step.gapAt} came before ${last + 1}: send from ${last + 1}; nothing after the gap was applied`,
        },
      });
      break;
    }
  }
  return { results, lastMutationSeq: last };
}

async function pushChunk(
  app: AppContext,
  tx: Tx,
  userId: string,
  clientId: string,
  chunk: PushBody['mutations'],
): Promise<ChunkOutcome> {
  const device = await findDevice(tx, clientId, userId, true);
  let last = device.lastMutationSeq;
  const results: MutationResult[] = [];
  const fresh = chunk.filter((m) => m.seq > last);
  // Mutation ids processed before (under any seq or device), in one query for the chunk.
  const seenRows = fresh.length
    ? await tx
        .select({ recorded: syncMutations, owner: syncDevices.userId })
        .from(syncMutations)
        .innerJoin(syncDevices, eq(syncDevices.clientId, syncMutations.clientId))
        .where(inArray(syncMutations.mutationId, [...new Set(fresh.map((m) => m.id))]))
    : [];
  const seen = new Map(seenRows.map((r) => [r.recorded.mutationId, r]));
  const idsHere = new Set<string>();
  const memo = new Map<string, unknown>();
  // The chunk's records, written in one statement before it commits (one round trip, not one each).
  const records: NewRecord[] = [];
  // Consecutive stock.adjust mutations wait here and apply together (applyStockAdjustments) when
  // another kind of mutation, a gap or the chunk's end comes: one round trip instead of three each.
  const run: (StockAdjustment & { index: number })[] = [];
  const flushRun = async () => {
    if (run.length === 0) return;
    const outcomes = await applyStockAdjustments({ app, tx, userId, clientId, memo }, run);
    for (const [i, { index, envelope }] of run.entries())
      results[index] = recordOutcome(clientId, envelope, outcomes[i]!, records);
    run.length = 0;
  };
  let writerSet = false;
  for (const m of chunk) {
    if (m.seq <= last) {
      const [recorded] = await tx
        .select()
        .from(syncMutations)
        .where(and(eq(syncMutations.clientId, clientId), eq(syncMutations.seq, m.seq)));
      results.push(duplicateOf(m.seq, recorded));
      continue;
    }
    if (m.seq > last + 1) {
      await flushRun();
      return finish(tx, clientId, device.lastMutationSeq, records, { results, last, gapAt: m.seq });
    }
    const before = seen.get(m.id);
    let result: MutationResult;
    if ((before && before.owner !== userId) || idsHere.has(m.id)) {
      // Another person's mutation id (never answer with their record), or one id twice in a push.
      result = { seq: m.seq, status: 'rejected', error: { code: 'invalid_arguments', message: 'id: already used' } };
    } else if (before) {
      result = duplicateOf(m.seq, before.recorded);
    } else {
      if (!writerSet) {
        // The change log records this device as the writer of the fields it changes (per-field merge).
        await tx.execute(sql`select set_config('nexus.sync_client', ${clientId}, true)`);
        writerSet = true;
      }
      idsHere.add(m.id);
      const parsed = parseMutation(m.name, m.args);
      if (parsed.ok && parsed.mutation.name === 'stock.adjust') {
        // Answered when the run is applied; its place in the answer is kept.
        run.push({ index: results.length, envelope: m, args: parsed.mutation.args });
        results.push({ seq: m.seq, status: 'applied' });
        last = m.seq;
        continue;
      }
      await flushRun();
      const outcome: Outcome = parsed.ok
        ? await applyMutation({ app, tx, userId, clientId, envelope: m, memo }, parsed.mutation)
        : { status: 'rejected', error: { code: parsed.code, message: parsed.message } };
      result = recordOutcome(clientId, m, outcome, records);
    }
    results.push(result);
    last = m.seq;
  }
  await flushRun();
  return finish(tx, clientId, device.lastMutationSeq, records, { results, last });
}

/** The answer to one applied (or refused) mutation, and its record for sync_mutations. */
function recordOutcome(clientId: string, m: MutationEnvelope, outcome: Outcome, records: NewRecord[]): MutationResult {
  const result = answerOf(m.seq, outcome);
  records.push({
    clientId,
    seq: m.seq,
    mutationId: m.id,
    name: m.name,
    status: outcome.status,
    result: {
      ...(result.error ? { error: result.error } : {}),
      ...(result.conflicts ? { conflicts: result.conflicts } : {}),
    },
    clientCreatedAt: new Date(m.createdAt),
  });
  return result;
}

/** Records the chunk's mutations and advances the device's seq (and the transaction that did it) once. */
async function finish(
  tx: Tx,
  clientId: string,
  before: number,
  records: NewRecord[],
  outcome: ChunkOutcome,
): Promise<ChunkOutcome> {
  if (records.length > 0) await tx.insert(syncMutations).values(records);
  if (outcome.last > before)
    await tx
      .update(syncDevices)
      .set({ lastMutationSeq: outcome.last, lastMutationTxid: sql`pg_current_xact_id()`, lastSeenAt: sql`now()` })
      .where(eq(syncDevices.clientId, clientId));
  return outcome;
}

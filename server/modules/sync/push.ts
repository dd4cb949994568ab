/**
 * Push (SYNC.md rule 3): named mutations applied exactly once, in seq order per device.
 *
 * Each mutation runs in its own transaction that locks the device row (two pushes from one
 * device queue behind each other), applies the effect, records (client, seq, mutation id,
 * answer) in sync_mutations and advances sync_devices.last_mutation_seq. So a retry after a
 * lost answer finds the seq already done and answers `duplicate` with the first answer's
 * status; its effect happened once.
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
 * - anything else (a bug, a lost connection, a deadlock): the transaction rolls back, nothing is
 *   recorded for that mutation, the batch stops with a 500; the retry redoes it.
 * The device's `createdAt` is stored as information only; order is the server's.
 */
import { and, eq, sql } from 'drizzle-orm';
import { parseMutation } from '../../../shared/sync/mutations.js';
import type { MutationResult, PushAnswer, PushBody } from '../../../shared/sync/protocol.js';
import type { AppContext } from '../../context.js';
import { syncDevices, syncMutations } from '../../db/schema/index.js';
import { applyMutation, type Outcome } from './apply.js';
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

export async function push(app: AppContext, userId: string, body: PushBody): Promise<PushAnswer> {
  const { clientId } = body;
  let last = (await findDevice(app.db, clientId, userId)).lastMutationSeq;
  const results: MutationResult[] = [];
  for (const m of body.mutations) {
    const step = await app.db.transaction(async (tx) => {
      const device = await findDevice(tx, clientId, userId, true);
      if (m.seq <= device.lastMutationSeq) {
        const [recorded] = await tx
          .select()
          .from(syncMutations)
          .where(and(eq(syncMutations.clientId, clientId), eq(syncMutations.seq, m.seq)));
        return { result: duplicateOf(m.seq, recorded), last: device.lastMutationSeq };
      }
      if (m.seq > device.lastMutationSeq + 1) return { gap: true as const, last: device.lastMutationSeq };
      const [seen] = await tx
        .select({ recorded: syncMutations, owner: syncDevices.userId })
        .from(syncMutations)
        .innerJoin(syncDevices, eq(syncDevices.clientId, syncMutations.clientId))
        .where(eq(syncMutations.mutationId, m.id));
      let result: MutationResult;
      if (seen && seen.owner !== userId) {
        // Another person's mutation id: never answer with their record.
        result = { seq: m.seq, status: 'rejected', error: { code: 'invalid_arguments', message: 'id: already used' } };
      } else if (seen) {
        result = duplicateOf(m.seq, seen.recorded);
      } else {
        const parsed = parseMutation(m.name, m.args);
        // The change log records this device as the writer of the fields it changes (per-field merge).
        await tx.execute(sql`select set_config('nexus.sync_client', ${clientId}, true)`);
        const outcome: Outcome = parsed.ok
          ? await applyMutation({ app, tx, userId, clientId, envelope: m }, parsed.mutation)
          : { status: 'rejected', error: { code: parsed.code, message: parsed.message } };
        result = answerOf(m.seq, outcome);
        await tx.insert(syncMutations).values({
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
      }
      await tx
        .update(syncDevices)
        .set({ lastMutationSeq: m.seq, lastMutationTxid: sql`pg_current_xact_id()`, lastSeenAt: sql`now()` })
        .where(eq(syncDevices.clientId, clientId));
      return { result, last: m.seq };
    });
    last = step.last;
    if ('gap' in step) {
      results.push({
        seq: m.seq,
        status: 'rejected',
        error: {
          code: 'seq_gap',
          message: `Mutation ${m.seq} came before ${step.last + 1}: send from ${step.last + 1}; nothing after the gap was applied`,
        },
      });
      break;
    }
    results.push(step.result);
  }
  return { results, lastMutationSeq: last };
}

/**
 * The outbox of named mutations (SYNC.md rules 3 and 4) and what the server answers about them.
 *
 * Rules it keeps:
 * - A mutation is checked with parseMutation before anything is written; an invalid one throws
 *   `validation_failed` and writes nothing.
 * - The caller's optimistic local write and the outbox entry commit in ONE transaction: if either
 *   throws, neither is stored and the seq is not consumed.
 * - seq is strictly increasing without gaps for the life of the store: the next one comes from
 *   sync_state.last_local_seq, bumped in the same transaction, so entries leaving the outbox never
 *   make a number come round again. An epoch reset keeps the outbox and the counter.
 * - An answer is recorded once: rejected ones leave the outbox with their reason kept in
 *   `rejections`; applied, duplicate and conflict ones (the server applied them; conflicts keep the
 *   losing values in `conflicts`) become `acked`: no longer pushed or counted as pending, but still
 *   rebased over pulled rows until a pull whose lastMutationSeq reaches them shows their effect
 *   (confirmApplied), so the screen never shows a row without them. Mutations the answer does not
 *   mention stay for the next push.
 * - When the server cannot continue our numbering (a restored backup forgot some of it, or the
 *   device was registered afresh), the outbox is renumbered from 1 for a new client id: mutation
 *   ids are unique on the server, so what it already applied answers `duplicate`.
 */
import { AppError } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { parseMutation } from '../../../shared/sync/mutations.js';
import type { MutationEnvelope, PushAnswer } from '../../../shared/sync/protocol.js';
import type { OutboxStatus } from './schema.js';
import type { Store } from './store.js';

export interface MutationInput {
  name: string;
  args: unknown;
  /** The version of the row the edit started from (field patches, SYNC.md rule 6). */
  baseVersion?: number;
  /** Minted here when absent; a caller may mint it first to use it as a reference in its local write. */
  id?: string;
}

export interface OutboxEntry extends MutationEnvelope {
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
}

interface OutboxRow {
  seq: number;
  id: string;
  name: string;
  args: string;
  baseVersion: number | null;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
}

const statements = (store: Store) =>
  store.cached('outbox', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const columns = `seq, id, name, args, base_version AS baseVersion, created_at AS createdAt, status, attempts,
      last_error AS lastError`;
    return {
      nextSeq: q(
        'UPDATE sync_state SET last_local_seq = last_local_seq + 1 WHERE id = 1 RETURNING last_local_seq',
      ).pluck(),
      insert: q('INSERT INTO outbox (seq, id, name, args, base_version, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      pending: q(`SELECT ${columns} FROM outbox WHERE status <> 'acked' ORDER BY seq LIMIT ?`),
      acked: q("UPDATE outbox SET status = 'acked', last_error = NULL WHERE seq = ?"),
      confirm: q(
        `DELETE FROM outbox WHERE status = 'acked' AND seq <= @seq AND (@final = 1 OR name <> 'order.note'
           OR EXISTS (SELECT 1 FROM order_events e WHERE e.id = outbox.id))`,
      ),
      pulledSeq: q('UPDATE sync_state SET pulled_mutation_seq = ? WHERE id = 1'),
      allSeqs: q('SELECT seq FROM outbox ORDER BY seq').pluck(),
      moveSeq: q("UPDATE outbox SET seq = ?, status = 'pending' WHERE seq = ?"),
      renumbered: q(
        `UPDATE sync_state SET client_id = ?, last_local_seq = ?, last_mutation_seq = 0, pulled_mutation_seq = 0,
           device_registered = 0 WHERE id = 1`,
      ),
      bySeq: q(`SELECT ${columns} FROM outbox WHERE seq = ?`),
      remove: q('DELETE FROM outbox WHERE seq = ?'),
      markSent: q("UPDATE outbox SET status = 'sent', attempts = attempts + 1 WHERE seq = ?"),
      markError: q("UPDATE outbox SET status = 'pending', last_error = ? WHERE seq = ?"),
      pushed: q(
        'UPDATE sync_state SET last_push_at = ?, last_error = NULL, last_mutation_seq = max(last_mutation_seq, ?) WHERE id = 1',
      ),
      syncError: q('UPDATE sync_state SET last_error = ? WHERE id = 1'),
      reject: q(
        'INSERT INTO rejections (mutation_id, mutation_seq, name, args, code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      conflict: q(
        `INSERT INTO conflicts (table_name, row_id, field, server_value, client_value, mutation_id, mutation_seq, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      stats: q(
        `SELECT count(*) AS pending, coalesce(sum(status = 'sent'), 0) AS sent,
           (SELECT last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY seq LIMIT 1) AS lastEntryError
         FROM outbox WHERE status <> 'acked'`,
      ),
      oldestSeq: q("SELECT created_at FROM outbox WHERE status <> 'acked' ORDER BY seq LIMIT 1").pluck(),
    };
  });

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    seq: row.seq,
    id: row.id,
    name: row.name,
    args: JSON.parse(row.args) as unknown,
    ...(row.baseVersion === null ? {} : { baseVersion: row.baseVersion }),
    createdAt: row.createdAt,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
  };
}

/**
 * Validates the mutation, then runs `localWrite` (the optimistic change, synchronous, on this
 * store) and appends the outbox entry with the next seq, in one transaction.
 */
export function enqueueMutation(
  store: Store,
  input: MutationInput,
  localWrite?: (store: Store) => void,
  options: { now?: Date } = {},
): OutboxEntry {
  const parsed = parseMutation(input.name, input.args);
  if (!parsed.ok)
    throw new AppError('validation_failed', `mutation ${input.name}: ${parsed.message}`, {
      errors: [{ path: parsed.code === 'unknown_mutation' ? 'name' : 'args', message: parsed.message }],
    });
  if (input.baseVersion !== undefined && (!Number.isSafeInteger(input.baseVersion) || input.baseVersion < 0))
    throw new AppError('validation_failed', 'baseVersion must be a non-negative integer', {
      errors: [{ path: 'baseVersion', message: 'must be a non-negative integer' }],
    });
  const st = statements(store);
  const id = input.id ?? newId();
  const createdAt = (options.now ?? new Date()).toISOString();
  return store.transaction(() => {
    if (localWrite) {
      const result: unknown = localWrite(store);
      if (result instanceof Promise) throw new Error('the local write must be synchronous (one SQLite transaction)');
    }
    const seq = st.nextSeq.get() as number;
    st.insert.run(
      seq,
      id,
      parsed.mutation.name,
      JSON.stringify(parsed.mutation.args),
      input.baseVersion ?? null,
      createdAt,
    );
    return toEntry(st.bySeq.get(seq) as OutboxRow);
  });
}

/** Unacknowledged mutations, oldest first: what the next push sends (sent ones again, their answer may be lost). */
export function pendingMutations(store: Store, limit: number): OutboxEntry[] {
  return (statements(store).pending.all(Math.max(0, Math.trunc(limit))) as OutboxRow[]).map(toEntry);
}

/** The wire envelope of an entry (protocol.ts mutationEnvelope). */
export function toEnvelope(entry: OutboxEntry): MutationEnvelope {
  const { seq, id, name, args, baseVersion, createdAt } = entry;
  return { seq, id, name, args, ...(baseVersion === undefined ? {} : { baseVersion }), createdAt };
}

/** Marks entries as pushed (in flight); their answer is recorded by `acknowledge`. */
export function markSent(store: Store, seqs: readonly number[]): void {
  const st = statements(store);
  store.transaction(() => {
    for (const seq of seqs) st.markSent.run(seq);
  });
}

/** Records a failed push or pull (network, server error) for the status bar; entries stay queued. */
export function recordSyncError(store: Store, message: string, seqs: readonly number[] = []): void {
  const st = statements(store);
  store.transaction(() => {
    st.syncError.run(message);
    for (const seq of seqs) st.markError.run(message, seq);
  });
}

const TABLE_OF_MUTATION: Record<string, string> = {
  product: 'products',
  variant: 'variants',
  category: 'categories',
  stock: 'variants',
  order: 'orders',
  review: 'reviews',
};

function targetOf(entry: OutboxEntry): { table: string; rowId: string } {
  const args = (entry.args ?? {}) as Record<string, unknown>;
  const rowId = [args.productId, args.variantId, args.categoryId, args.orderId, args.reviewId, args.id].find(
    (v): v is string => typeof v === 'string',
  );
  return { table: TABLE_OF_MUTATION[entry.name.split('.')[0]!] ?? entry.name, rowId: rowId ?? '' };
}

export interface AcknowledgeSummary {
  /** Entries whose answer was recorded (rejected ones left the outbox, the others are acked). */
  answered: number;
  rejected: number;
  conflicts: number;
  unknown: number;
}

/** Records the server's answer to a push (all in one transaction). */
export function acknowledge(store: Store, answer: PushAnswer, options: { now?: Date } = {}): AcknowledgeSummary {
  const st = statements(store);
  const at = (options.now ?? new Date()).toISOString();
  const summary: AcknowledgeSummary = { answered: 0, rejected: 0, conflicts: 0, unknown: 0 };
  store.transaction(() => {
    for (const result of answer.results) {
      const row = st.bySeq.get(result.seq) as OutboxRow | undefined;
      if (!row) {
        summary.unknown++;
        continue;
      }
      const entry = toEntry(row);
      // seq_gap: not applied and the seq did not advance; the entry stays to be pushed again.
      if (row.status === 'acked' || result.error?.code === 'seq_gap') continue;
      const status = result.status === 'duplicate' && result.originalStatus ? result.originalStatus : result.status;
      if (status === 'rejected') {
        const error = result.error ?? { code: 'rejected', message: 'rejected by the server' };
        st.reject.run(entry.id, entry.seq, entry.name, row.args, error.code, error.message, at);
        summary.rejected++;
        st.remove.run(result.seq);
        summary.answered++;
        continue;
      }
      if (status === 'conflict') {
        const { table, rowId } = targetOf(entry);
        const list = result.conflicts ?? (result.conflict ? [result.conflict] : []);
        for (const c of list) {
          st.conflict.run(
            table,
            rowId,
            c.field,
            JSON.stringify(c.serverValue ?? null),
            JSON.stringify(c.clientValue ?? null),
            entry.id,
            entry.seq,
            at,
          );
          summary.conflicts++;
        }
      }
      st.acked.run(result.seq);
      summary.answered++;
    }
    st.pushed.run(at, answer.lastMutationSeq);
  });
  return summary;
}

/**
 * A pull showed the effects of every mutation up to `lastMutationSeq` (its page's value): acked
 * entries up to there leave the outbox. Call inside the page's transaction, after the rebase.
 *
 * Except a note, until its event is stored: the entry is the note's only trace here (the order
 * timeline shows it from the outbox), and a page in the middle of a pass may report the seq while
 * the event (its id is the mutation's) comes on a later page. An interrupted pass would then leave
 * the note out of sight until the next one. The last page of a pass (`final`) has every effect up to
 * its seq, so there every acked entry goes (an order deleted meanwhile has no event to wait for).
 */
export function confirmApplied(store: Store, lastMutationSeq: number, options: { final?: boolean } = {}): number {
  const st = statements(store);
  st.pulledSeq.run(lastMutationSeq);
  return st.confirm.run({ seq: lastMutationSeq, final: options.final === false ? 0 : 1 }).changes;
}

/**
 * Gives the outbox to a new client id, numbered 1..n in the old order, every entry pending again:
 * the server continues a fresh device's numbering from 1, and acked entries are pushed again too (a
 * restored server may have lost them; one that has them answers `duplicate` by mutation id).
 * Register `clientId` before pushing.
 */
export function renumberOutbox(store: Store, clientId: string): number {
  const st = statements(store);
  return store.transaction(() => {
    const seqs = st.allSeqs.all() as number[];
    // Through negative numbers, so no new number collides with an old one on the way.
    seqs.forEach((seq, i) => st.moveSeq.run(-(i + 1), seq));
    seqs.forEach((_, i) => st.moveSeq.run(i + 1, -(i + 1)));
    st.renumbered.run(clientId, seqs.length);
    return seqs.length;
  });
}

export interface OutboxStats {
  pending: number;
  sent: number;
  oldestPendingAt: string | null;
  oldestPendingAgeMs: number | null;
  lastEntryError: string | null;
}

export function outboxStats(store: Store, now: Date = new Date()): OutboxStats {
  const row = statements(store).stats.get() as {
    pending: number;
    sent: number;
    lastEntryError: string | null;
  };
  // The oldest by seq is the one waiting longest; createdAt is the device clock (informational), so clamp at 0.
  const oldest = (statements(store).oldestSeq.get() as string | undefined) ?? null;
  return {
    pending: row.pending,
    sent: row.sent,
    oldestPendingAt: oldest,
    oldestPendingAgeMs: oldest === null ? null : Math.max(0, now.getTime() - Date.parse(oldest)),
    lastEntryError: row.lastEntryError,
  };
}

/**
 * The pull feed (SYNC.md rules 1 and 2).
 *
 * Every change to a synced row upserts its `sync_log` entry (migration sync_log): the row's
 * latest position `version` (from sync_change_seq) and `txid`, the 64-bit id of the writing
 * transaction. A page serves entries with (txid, version) after the cursor AND
 * txid < pg_snapshot_xmin(pg_current_snapshot()), ordered by (txid, version).
 *
 * Why nothing can appear behind a cursor: every transaction with an id below the snapshot's
 * xmin has finished (committed or rolled back), so the entries below xmin are final and visible
 * to the pull's snapshot. Any transaction still running has an id >= xmin, and one that has not
 * written yet gets an id >= xmax (> xmin) when it first writes. Every later write therefore
 * carries a txid >= the xmin of the pull that served the cursor, which is above the cursor's
 * txid, so it sorts after the cursor. A row written again moves its entry forward (never
 * backward past a cursor, by the same argument), so it is served again with its new state.
 * The price: a long-running transaction holds every device's feed back until it ends.
 *
 * A page is read in one REPEATABLE READ transaction, so the entries and the rows loaded for them
 * come from one snapshot: one query, whose rows Postgres renders as JSON text (row-json.ts) that
 * the route splices into the answer without parsing it (raw-route.ts). A page that reaches the horizon answers a cursor at the horizon itself
 * (txid = xmin - 1, version = max), so a device never rescans what it has.
 *
 * First download: the cursor carries `s`, and stock_movements older than 30 days (at the start)
 * are skipped; levels carry the totals, and the device gets every movement from then on. The
 * page that starts a download (no cursor, or a restart after an epoch change) answers `remaining`
 * (changes after it, for the progress bar); the host keeps that total with its cursor.
 */
import { sql } from 'drizzle-orm';
import { PROTOCOL_VERSION, type PullAnswer, SYNCED_TABLES, syncedTablesFor } from '../../../shared/sync/protocol.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { queryRows } from '../../db/sql.js';
import { decodeCursor, encodeCursor, MAX_VERSION, type Cursor } from './cursor.js';
import type { Device } from './devices.js';
import { currentEpoch, rotateEpoch } from './epoch.js';
import { rowJsonById } from './row-json.js';
import { SOURCES, WIRE_NAME } from './rows.js';

export const RECENT_MOVEMENTS_MS = 30 * 24 * 3600 * 1000;

interface LogEntry {
  table_name: string;
  row_id: string;
  version: string;
  txid: string;
  /** The wire row as JSON text; null for a tombstone, or a row this snapshot cannot see. */
  row: string | null;
}

/** A pull answer whose `changes` is already JSON text: pullBody renders the whole answer. */
export type PullPage = Omit<PullAnswer, 'changes'> & { changes: string };

/** Each synced table's row for the entry `p`, looked up by id (row-json.ts). */
const entryRow = sql`case when p.deleted then null ${sql.join(
  SYNCED_TABLES.map(
    (wire) => sql`when p.table_name = ${SOURCES[wire].logName} then ${rowJsonById(wire, sql`p.row_id`)}`,
  ),
  sql` `,
)} end`;

/**
 * The sync_log entries of tables a device speaking `protocolVersion` is not sent (protocol.ts
 * TABLE_SINCE), as a condition on the log alias `l`; empty when it gets them all. Its cursor moves
 * past them: a device that later speaks the newer protocol downloads again (the host's migration
 * that adds the table forgets its cursor).
 */
export function tablesFilter(protocolVersion: number) {
  const sent = new Set(syncedTablesFor(protocolVersion));
  const unknown = SYNCED_TABLES.filter((t) => !sent.has(t)).map((t) => SOURCES[t].logName);
  return unknown.length === 0
    ? sql``
    : sql`and l.table_name not in (${sql.join(
        unknown.map((name) => sql`${name}`),
        sql`, `,
      )})`;
}

/** True when the cursor names a position this database has not reached: its history went back. */
export async function beyondHistory(db: Db, c: Cursor): Promise<boolean> {
  const [now] = await queryRows<{ xmax: string; last: string }>(
    db,
    sql`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax, (select last_value from sync_change_seq)::text as last`,
  );
  if (BigInt(c.t) >= BigInt(now!.xmax)) return true;
  return c.v !== MAX_VERSION && BigInt(c.v) > BigInt(now!.last);
}

/**
 * Postgres compiles a query whose estimated cost is high (a page's dozen correlated row lookups
 * are) with LLVM first: that took ~0.5 s per page, ten times the query itself. Pulls are short
 * queries: plain execution is always faster. (PGlite has no JIT; the setting is accepted there.)
 */
export const noJit = (tx: DbOrTx) => tx.execute(sql`set local jit = off`);

export async function pull(
  db: Db,
  device: Device,
  input: { cursor?: string | undefined; limit: number; protocolVersion?: number },
  now = Date.now(),
): Promise<PullPage> {
  let cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  let epoch = await currentEpoch(db);
  if (cursor && cursor.e === epoch && (await beyondHistory(db, cursor))) epoch = await rotateEpoch(db);
  if (cursor && cursor.e !== epoch) cursor = undefined;
  const from: Cursor = cursor ?? { e: epoch, t: '0', v: '0', s: now - RECENT_MOVEMENTS_MS };

  return db.transaction(
    async (tx) => {
      await noJit(tx);
      const skipOld =
        from.s === undefined
          ? sql``
          : sql`and not (l.table_name = 'stock_movements' and exists (
              select 1 from stock_movements m where m.id = l.row_id and m.created_at < ${new Date(from.s).toISOString()}::timestamptz))`;
      const tables = tablesFilter(input.protocolVersion ?? PROTOCOL_VERSION);
      const after = sql`(l.txid, l.version) > (${from.t}::xid8, ${from.v}::bigint)
        and l.txid < pg_snapshot_xmin(pg_current_snapshot()) ${skipOld} ${tables}`;
      const [entries, [horizon]] = await Promise.all([
        queryRows<LogEntry>(
          tx,
          sql`select p.table_name, p.row_id::text as row_id, p.version::text as version, p.txid::text as txid,
                ${entryRow} as row
              from (select l.table_name, l.row_id, l.version, l.txid, l.deleted from sync_log l where ${after} order by l.txid, l.version limit ${input.limit + 1}) p
              order by p.txid, p.version`,
        ),
        queryRows<{ xmin: string; seq: number }>(tx, lastVisibleSeq(device.clientId)),
      ]);
      const hasMore = entries.length > input.limit;
      const page = entries.slice(0, input.limit);
      const changes = changesJson(page);
      const last = page.at(-1);
      const next: Cursor = hasMore
        ? { e: epoch, t: last!.txid, v: last!.version, ...(from.s === undefined ? {} : { s: from.s }) }
        : { e: epoch, t: (BigInt(horizon!.xmin) - 1n).toString(), v: MAX_VERSION };
      // Counting is a scan of what is left: only on the page that starts a download (see remaining).
      let remaining = 0;
      if (hasMore && !cursor) {
        const nextAfter = sql`(l.txid, l.version) > (${next.t}::xid8, ${next.v}::bigint)
          and l.txid < pg_snapshot_xmin(pg_current_snapshot()) ${skipOld} ${tables}`;
        const [count] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from sync_log l where ${nextAfter}`,
        );
        remaining = count?.n ?? 0;
      }
      return {
        changes,
        cursor: encodeCursor(next),
        hasMore,
        lastMutationSeq: horizon!.seq,
        epoch,
        ...(cursor ? {} : { remaining }),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * The snapshot horizon, and the device's last mutation seq whose effects this pull serves: the
 * device's own seq once its transaction is below the horizon, else the last recorded mutation that
 * is. (A seq acknowledged by a push may therefore be reported a little later than the push: the
 * host keeps rebasing that mutation until then, so its screen never shows the row without it.)
 */
export function lastVisibleSeq(clientId: string) {
  return sql`with h as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
    select h.xmin::text as xmin, (case when d.last_mutation_txid < h.xmin then d.last_mutation_seq
      else coalesce((select max(m.seq) from sync_mutations m where m.client_id = d.client_id and m.txid < h.xmin), 0)
      end)::int as seq
    from h, sync_devices d where d.client_id = ${clientId}`;
}

/**
 * The page's changes as the JSON text of the answer's `changes` array. Rows come rendered by
 * Postgres (row-json.ts) and are spliced in as they are: table names and ids are uuids and plain
 * words, versions digits, so nothing else needs escaping.
 */
function changesJson(page: readonly LogEntry[]): string {
  const parts: string[] = [];
  for (const e of page) {
    const table = WIRE_NAME.get(e.table_name);
    if (!table) continue;
    const head = `{"table":"${table}","op":"${e.row === null ? 'delete' : 'upsert'}","id":"${e.row_id}","version":${e.version}`;
    // A row whose entry is live but which this snapshot cannot find is gone: say so.
    parts.push(e.row === null ? `${head}}` : `${head},"row":${e.row}}`);
  }
  return `[${parts.join(',')}]`;
}

/** The pull answer's JSON text (PullAnswer's shape; the route sends it as it is). */
export function pullBody(page: PullPage): string {
  const { changes, ...rest } = page;
  const tail = JSON.stringify(rest);
  return `{"changes":${changes}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

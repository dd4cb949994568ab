/**
 * The first download as one stream of JSON lines (shared/sync/protocol.ts "snapshot"), read table
 * by table in row-id order instead of in change order: a paged first download looks every row up
 * by id through the change log, page after page; this reads each table's rows in index order with
 * their log entries (a merge join) and lets Postgres write the lines (row-json.ts). Node passes the
 * text through.
 *
 * Why nothing is skipped (SYNC.md rule 1). The stream starts by taking the horizon H =
 * pg_snapshot_xmin of a snapshot S0; its end cursor is the pull position (H - 1, max): the pull that
 * follows serves every log entry whose transaction is H or later. Each batch is then read in its own
 * short REPEATABLE READ snapshot Sk, taken after S0. A change committed before S0 by a transaction
 * below H is visible to every Sk, so it is in the stream. Any other change comes from a transaction
 * that was running at S0 or began after it: its id is >= H, so the pull that follows serves it (and
 * its delete as a tombstone), whether or not some Sk also showed it. Rows served twice carry the
 * same or a newer version: the replica keeps the newest. A resumed stream continues with H of its
 * first part, so the same holds across a cut.
 *
 * Short snapshots, not one long one: PGlite has one connection (a long read would stall every other
 * request), and nothing is held while the device applies a batch or the network is slow.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  PROTOCOL_VERSION,
  SNAPSHOT_TABLES,
  type SnapshotBegin,
  type SnapshotLine,
  type SyncedTable,
  syncedTablesFor,
} from '../../../shared/sync/protocol.js';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/sql.js';
import {
  decodeSnapshotPosition,
  encodeCursor,
  encodeSnapshotPosition,
  MAX_VERSION,
  type SnapshotPosition,
} from './cursor.js';
import type { Device } from './devices.js';
import { currentEpoch, rotateEpoch } from './epoch.js';
import { beyondHistory, lastVisibleSeq, noJit, RECENT_MOVEMENTS_MS, tablesFilter } from './pull.js';
import { rowJsonOf } from './row-json.js';
import { SOURCES } from './rows.js';

const line = (value: SnapshotLine) => `${JSON.stringify(value)}\n`;

/** Where to start: the position in `resume` if it still names this epoch's history, else a new one. */
async function startAt(
  db: Db,
  resume: string | undefined,
  protocolVersion: number,
  now: number,
): Promise<SnapshotPosition> {
  const from = resume === undefined ? undefined : decodeSnapshotPosition(resume);
  let epoch = await currentEpoch(db);
  if (from && from.e === epoch && (await beyondHistory(db, { e: from.e, t: from.t, v: MAX_VERSION })))
    epoch = await rotateEpoch(db);
  if (from && from.e === epoch) return from;
  return db.transaction(
    async (tx) => {
      await noJit(tx);
      const since = now - RECENT_MOVEMENTS_MS;
      const [head] = await queryRows<{ xmin: string; total: number }>(
        tx,
        sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
              ((select count(*) from sync_log l
                where not l.deleted and l.table_name <> 'stock_movements' ${tablesFilter(protocolVersion)})
               + (select count(*) from stock_movements where created_at >= ${new Date(since).toISOString()}::timestamptz))::int as total`,
      );
      return { e: epoch, t: (BigInt(head!.xmin) - 1n).toString(), k: 0, s: since, n: 0, N: head!.total };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** The next batch of `wire` after row `after`: its lines (newline-terminated), count and last id. */
function batchQuery(wire: SyncedTable, after: string | undefined, since: number, limit: number): SQL {
  const { logName, table } = SOURCES[wire];
  const recent =
    wire === 'stock_movements' ? sql`and t.created_at >= ${new Date(since).toISOString()}::timestamptz` : sql``;
  const head = sql.raw(`'{"table":"${wire}","op":"upsert","id":"'`);
  return sql`select count(*)::int as n, max(x.id::text) as last, string_agg(x.line, '') as lines from (
      select l.row_id as id,
        ${head} || l.row_id::text || '","version":' || l.version::text || ',"row":' || ${rowJsonOf(wire, 't')} || ${'}\n'} as line
      from sync_log l join ${table} t on t.id = l.row_id
      where l.table_name = ${logName} and not l.deleted ${after ? sql`and l.row_id > ${after}::uuid` : sql``} ${recent}
      order by l.row_id limit ${limit}) x`;
}

interface Batch {
  lines: string;
  rows: number;
  last: string | null;
  lastMutationSeq: number;
}

async function readBatch(
  db: Db,
  device: Device,
  wire: SyncedTable,
  p: SnapshotPosition,
  limit: number,
): Promise<Batch> {
  return db.transaction(
    async (tx) => {
      await noJit(tx);
      const [rows] = await queryRows<{ n: number; last: string | null; lines: string | null }>(
        tx,
        batchQuery(wire, p.a, p.s, limit),
      );
      const [seen] = await queryRows<{ seq: number }>(tx, lastVisibleSeq(device.clientId));
      return {
        lines: rows?.lines ?? '',
        rows: rows?.n ?? 0,
        last: rows?.last ?? null,
        lastMutationSeq: seen?.seq ?? 0,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * The stream's text, piece by piece: the begin line, then each batch with its resume line, then the
 * end line. Each piece is read when asked for, so the caller's backpressure paces the database.
 */
export async function* snapshotStream(
  db: Db,
  device: Device,
  query: { resume?: string | undefined; limit: number; protocolVersion?: number },
  now = Date.now(),
): AsyncGenerator<string> {
  const version = query.protocolVersion ?? PROTOCOL_VERSION;
  // Tables the device's protocol does not know are passed over (pull.ts tablesFilter).
  const sent: ReadonlySet<SyncedTable> = new Set(syncedTablesFor(version));
  let p = await startAt(db, query.resume, version, now);
  const begin: SnapshotBegin = {
    epoch: p.e,
    cursor: encodeCursor({ e: p.e, t: p.t, v: MAX_VERSION }),
    total: p.N,
    done: p.n,
  };
  yield line({ begin });
  let rows = 0;
  while (p.k < SNAPSHOT_TABLES.length) {
    const wire = SNAPSHOT_TABLES[p.k]!;
    if (!sent.has(wire)) {
      p = { e: p.e, t: p.t, k: p.k + 1, s: p.s, n: p.n, N: p.N };
      continue;
    }
    const batch = await readBatch(db, device, wire, p, query.limit);
    rows += batch.rows;
    // A short batch ends its table: the position moves on to the next one.
    p =
      batch.rows < query.limit
        ? { e: p.e, t: p.t, k: p.k + 1, s: p.s, n: p.n + batch.rows, N: p.N }
        : { ...p, a: batch.last!, n: p.n + batch.rows };
    if (batch.rows > 0)
      yield (
        batch.lines + line({ resume: { token: encodeSnapshotPosition(p), lastMutationSeq: batch.lastMutationSeq } })
      );
  }
  yield line({ end: { rows } });
}

/**
 * Applies a batch of a first download's snapshot stream (shared/sync/protocol.ts "snapshot") with
 * its resume token, in ONE transaction, as applyPullPage does a pull page: a crash anywhere leaves
 * neither, and the download asks again after the previous token.
 *
 * Rows arrive as the JSON text the server wrote (sync/snapshot-stream.ts slices it out of the line),
 * so the hot path is lean: one JSON.parse per row, the mirrored fields checked and encoded as
 * toParams does (synced-tables.ts encode, same errors), one positional insert, and `data` is the
 * row text itself whenever it already is what toParams would store (the row's own id and version,
 * no never-stored field: every row a server sends). Nested objects then keep the server's spacing
 * in `data`; they read back as the same values.
 *
 * Derived data: tables come levels, variants, products (SNAPSHOT_TABLES). Into a store that held
 * none of them, a variant's stock sums and a product's price range and stock state are summed from
 * the stream's own rows as they go by (snapshot-totals.ts) and bound as values; otherwise they are
 * computed in their own INSERT from rows already stored (derived.ts VARIANT_STOCK, PRODUCT_DERIVED).
 * Either way instead of rewriting every row afterwards. A stream in another order still ends right:
 * the caller then recomputes them all at its end. Category links and search rows are left to the
 * first download's last page (rebuildProductIndex).
 */
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { AppError } from '../../../shared/domain/errors.js';
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';
import { PRODUCT_DERIVED, VARIANT_STOCK } from './derived.js';
import type { StreamTotals } from './snapshot-totals.js';
import type { Store } from './store.js';
import { NEVER_STORED, SYNCED, columnsOf, encode, type DriverValue } from './synced-tables.js';

/** One row of the stream: its table, id, version and wire row as JSON text. */
export interface SnapshotRow {
  table: SyncedTable;
  id: string;
  version: number;
  row: string;
}

export interface SnapshotBatchState {
  epoch: string;
  /** What sync_state.cursor holds after this batch (the caller's marked resume token). */
  cursor: string;
  lastMutationSeq: number;
  /** Rows of the download applied once this batch is, and the download's expected total. */
  done: number;
  total: number;
}

export type SnapshotApplyResult =
  | { status: 'applied'; written: number; skipped: number }
  | { status: 'epoch_changed'; storedEpoch: string; epoch: string };

type Insert = (id: string, version: number, row: string, where: string, totals: StreamTotals | undefined) => boolean;

/** The JS type of a column's wire value that encode() passes through or simply converts. */
const KIND: Record<string, 'number' | 'boolean' | 'object' | undefined> = {
  SQLiteInteger: 'number',
  SQLiteBoolean: 'boolean',
  SQLiteTextJson: 'object',
};

interface Field {
  key: string;
  column: SQLiteColumn;
  kind: 'number' | 'boolean' | 'object' | 'string';
}

/**
 * encode()'s result, with the usual cases inline (this runs ten times per row); null or absent
 * (defaults), a wrong type and its error are encode()'s own.
 */
function fieldValue(field: Field, value: unknown, where: string): DriverValue {
  if (value !== null && typeof value === field.kind) {
    if (field.kind === 'string') return value as string;
    if (field.kind === 'boolean') return value ? 1 : 0;
    if (field.kind === 'object') return JSON.stringify(value);
    if (Number.isSafeInteger(value)) return value as number;
  }
  return encode(field.column, field.key, value, where);
}

/** The derived columns a table's snapshot insert computes, and how (derived.ts). */
const DERIVED_ON_INSERT: Partial<
  Record<SyncedTable, { columns: string[]; values?: (id: string) => string[]; select?: (id: string) => string }>
> = {
  variants: VARIANT_STOCK,
  products: PRODUCT_DERIVED,
};

/** The table's INSERT of `columns` (quoted) up to its VALUES or SELECT, and its upsert clause. */
function insertParts(table: SyncedTable, columns: string[]): { into: string; upsert: string } {
  const set = columns.slice(1).map((n) => `${n} = excluded.${n}`);
  return {
    into: `INSERT INTO "${getTableConfig(SYNCED[table].table).name}" (${columns.join(', ')})`,
    upsert: `ON CONFLICT ("id") DO UPDATE SET ${set.join(', ')} WHERE excluded."version" > "version"`,
  };
}

/**
 * The table's insert: VALUES, with the derived columns as scalar subqueries or (products) as a
 * one-row SELECT joined on. The row's id goes last, once per use. INSERT ... SELECT needs a WHERE
 * before ON CONFLICT (SQLite's parsing rule).
 */
function insertSql(table: SyncedTable, names: string[]): { sql: string; idUses: number } {
  const derived = DERIVED_ON_INSERT[table];
  const { into, upsert } = insertParts(
    table,
    [...names, ...(derived?.columns ?? [])].map((n) => `"${n}"`),
  );
  const slots = names.map(() => '?');
  if (derived?.select)
    return {
      sql: `${into} SELECT ${slots.join(', ')}, * FROM (${derived.select('?')}) WHERE true ${upsert}`,
      idUses: 1,
    };
  const values = derived?.values?.('?') ?? [];
  return { sql: `${into} VALUES (${[...slots, ...values].join(', ')}) ${upsert}`, idUses: values.length };
}

/** The table's insert with its derived columns bound as values (computed by StreamTotals). */
function plainInsertSql(table: SyncedTable, names: string[]): string {
  const columns = [...names, ...(DERIVED_ON_INSERT[table]?.columns ?? [])].map((n) => `"${n}"`);
  const { into, upsert } = insertParts(table, columns);
  return `${into} VALUES (${columns.map(() => '?').join(', ')}) ${upsert}`;
}

/**
 * The derived values a table's row gets from the stream's totals (appended to its insert's
 * values), given its id and its mirrored fields' bound values; levels only feed the totals.
 */
const FROM_TOTALS: Partial<
  Record<SyncedTable, (totals: StreamTotals, id: string, field: (key: string) => DriverValue) => DriverValue[]>
> = {
  stock_levels: (totals, _id, field) => {
    totals.addLevel(field('variantId') as string, field('onHand') as number, field('reserved') as number);
    return [];
  },
  variants: (totals, id, field) =>
    totals.variant(
      id,
      field('productId') as string,
      field('priceCents') as number,
      field('lowStockThreshold') as number,
      field('currency') as string,
    ),
  products: (totals, id) => totals.product(id),
};

function insertFor(store: Store, table: SyncedTable): Insert {
  return store.cached(`snapshot-insert:${table}`, () => {
    const { table: t, mirrored } = SYNCED[table];
    const columns = columnsOf(t);
    const fields = mirrored.map((key): Field => ({
      key,
      column: columns[key]!,
      kind: KIND[columns[key]!.columnType] ?? 'string',
    }));
    const names = ['id', 'version', 'data', ...mirrored].map((k) => columns[k]!.name);
    const { sql, idUses } = insertSql(table, names);
    const statement = store.sqlite.prepare(sql);
    const args: DriverValue[] = new Array<DriverValue>(names.length + idUses).fill(null);
    const fromTotals = FROM_TOTALS[table];
    const derivedColumns = DERIVED_ON_INSERT[table]?.columns.length ?? 0;
    const plain = derivedColumns > 0 ? store.sqlite.prepare(plainInsertSql(table, names)) : statement;
    const plainArgs: DriverValue[] = derivedColumns > 0 ? new Array<DriverValue>(names.length + derivedColumns) : args;
    const position = new Map(mirrored.map((key, i) => [key, 3 + i]));
    const field = (key: string) => args[position.get(key)!]!;
    return (id, version, text, where, totals) => {
      const row = parseRow(text, where);
      args[0] = id;
      args[1] = version;
      for (let i = 0; i < fields.length; i++) args[3 + i] = fieldValue(fields[i]!, row[fields[i]!.key], where);
      args[2] = storable(row, text, id, version);
      if (totals && fromTotals) {
        totals.inOrder(table, id);
        const derived = fromTotals(totals, id, field);
        if (plainArgs !== args) {
          for (let i = 0; i < names.length; i++) plainArgs[i] = args[i]!;
          for (let i = 0; i < derived.length; i++) plainArgs[names.length + i] = derived[i]!;
        }
        return plain.run(plainArgs).changes > 0;
      }
      for (let i = names.length; i < args.length; i++) args[i] = id;
      return statement.run(args).changes > 0;
    };
  });
}

function parseRow(text: string, where: string): Record<string, unknown> {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    row = undefined;
  }
  if (!row || typeof row !== 'object' || Array.isArray(row))
    throw new AppError('bad_request', `${where}: the row is not a JSON object`);
  return row as Record<string, unknown>;
}

/**
 * `data` as toParams makes it: the text as it came when it already is exactly that, or with the
 * version appended where the wire row has none (customers, movements and order events: toParams
 * appends it last too). Rebuilding such a row instead cost an order event 12 µs, not 2.6.
 */
function storable(row: Record<string, unknown>, text: string, id: string, version: number): string {
  let asIs = row.id === id;
  for (const key of NEVER_STORED) if (key in row) asIs = false;
  if (asIs && row.version === version) return text;
  // A row with its own id is a non-empty object: its text ends with the closing brace.
  if (asIs && !('version' in row)) return `${text.slice(0, text.lastIndexOf('}'))},"version":${version}}`;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!NEVER_STORED.has(key)) kept[key] = value;
  kept.id = id;
  kept.version = version;
  return JSON.stringify(kept);
}

const statements = (store: Store) =>
  store.cached('snapshot-apply', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      epoch: q('SELECT epoch FROM sync_state WHERE id = 1').pluck(),
      anyTombstone: q('SELECT EXISTS (SELECT 1 FROM sync_tombstones)').pluck(),
      tombstone: q('SELECT version FROM sync_tombstones WHERE table_name = ? AND row_id = ?').pluck(),
      dropTombstone: q('DELETE FROM sync_tombstones WHERE table_name = ? AND row_id = ?'),
      saveState: q(
        `UPDATE sync_state SET cursor = ?, epoch = ?, last_mutation_seq = max(last_mutation_seq, ?),
           last_pull_at = ?, last_error = NULL, first_download_done = ?, first_download_total = ? WHERE id = 1`,
      ),
    };
  });

const SYNCED_SET: ReadonlySet<string> = new Set(SYNCED_TABLES);

/**
 * Writes the batch's rows (an upsert replaces only an older row; a tombstone at least as new keeps a
 * row out, as in applyPullPage) and its state, then lets `rebase` re-apply pending mutations over
 * the rows written, all in one transaction. A bad row fails the whole batch with a clear error.
 */
export function applySnapshotBatch(
  store: Store,
  rows: readonly SnapshotRow[],
  state: SnapshotBatchState,
  options: {
    rebase?: (store: Store, touched: { table: SyncedTable; id: string }[]) => void;
    now?: Date;
    /** Derived columns from the stream's own rows (snapshot-totals.ts), else from stored rows. */
    totals?: StreamTotals;
  } = {},
): SnapshotApplyResult {
  const { totals } = options;
  const st = statements(store);
  return store.transaction((): SnapshotApplyResult => {
    const storedEpoch = st.epoch.get() as string | null;
    if (storedEpoch !== null && storedEpoch !== state.epoch)
      return { status: 'epoch_changed', storedEpoch, epoch: state.epoch };
    const tombstones = st.anyTombstone.get() === 1;
    const touched: { table: SyncedTable; id: string }[] = [];
    let skipped = 0;
    for (const { table, id, version, row } of rows) {
      const where = `${table} ${id}`;
      if (!SYNCED_SET.has(table)) throw new AppError('bad_request', `${where}: unknown table`);
      const tombstone = tombstones ? (st.tombstone.get(table, id) as number | undefined) : undefined;
      if (
        (tombstone !== undefined && tombstone >= version) ||
        !insertFor(store, table)(id, version, row, where, totals)
      ) {
        totals?.spoil(`${where} was kept out`);
        skipped++;
        continue;
      }
      if (tombstone !== undefined) st.dropTombstone.run(table, id);
      if (options.rebase) touched.push({ table, id });
    }
    options.rebase?.(store, touched);
    const at = (options.now ?? new Date()).toISOString();
    st.saveState.run(state.cursor, state.epoch, state.lastMutationSeq, at, state.done, state.total);
    return { status: 'applied', written: rows.length - skipped, skipped };
  });
}

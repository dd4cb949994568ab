/**
 * Applies one pull answer to the local store (SYNC.md rule 2): the page's upserts and tombstone
 * deletes, the derived data they touch, and the new cursor / epoch / lastMutationSeq, all in ONE
 * SQLite transaction. A crash or a bad row anywhere in the page leaves neither the rows nor the
 * cursor, so the next pull asks for the same page again; applying a page twice changes nothing.
 *
 * Versions only move forward: an upsert replaces a stored row only when its `version` is higher,
 * a delete removes only a row no newer than itself, and a tombstone stops an older upsert from
 * bringing a deleted row back. A page from another epoch (restored server) is not applied: the
 * caller resets the store (resetForNewEpoch) and downloads again.
 *
 * During a first download the caller may defer the product index (`deferProductIndex`): pages then
 * keep stock sums and product columns as usual but write no category links or FTS rows, and the
 * page that completes the download builds them for every product (derived.ts rebuildProductIndex)
 * in its transaction. A crash mid-download loses nothing: the rows are committed, and whichever
 * later run applies the final page builds the index from all of them. Until then (the progress
 * bar is up) search and the category filter find nothing.
 */
import { Param, Placeholder, sql } from 'drizzle-orm';
import { AppError } from '../../../shared/domain/errors.js';
import { type Change, type PullAnswer, SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';
import { rebuildProductIndex, refreshDerived, removeProductIndex } from './derived.js';
import type { Store } from './store.js';
import { SYNCED, columnsOf, toParams } from './synced-tables.js';

export type ApplyResult =
  | { status: 'applied'; upserted: number; deleted: number; skipped: number; cursor: string }
  | { status: 'epoch_changed'; storedEpoch: string; epoch: string };

/** A row a page wrote (an upsert that added or replaced it): it now holds the server's state. */
export interface TouchedRow {
  table: SyncedTable;
  id: string;
}

export interface ApplyOptions {
  /**
   * Runs inside the page's transaction after its rows: the sync engine re-applies pending mutations
   * here (rule 4). `touched` lists the rows the page wrote, the only ones that lost local effects.
   */
  rebase?: (store: Store, touched: TouchedRow[]) => void;
  now?: Date;
  /**
   * While the first download is incomplete: no category links or FTS rows per page; the page that
   * completes the download builds them all. Pass it on every page of the download (the sync engine
   * does) or on none: a final page applied without it builds nothing.
   */
  deferProductIndex?: boolean;
}

const SYNCED_SET: ReadonlySet<string> = new Set(SYNCED_TABLES);

interface Upsert {
  run(params: Record<string, unknown>): { changes: number };
}

/**
 * The table's upsert, built by drizzle (columns from the schema, version guard in the conflict
 * clause) and prepared once as plain better-sqlite3 SQL: values arrive already encoded
 * (synced-tables.ts), which skips drizzle's per-value mapping on the hottest path.
 */
export function upsertStatement(store: Store, table: SyncedTable): Upsert {
  return store.cached(`upsert:${table}`, () => {
    const { table: t, mirrored } = SYNCED[table];
    const columns = columnsOf(t);
    const keys = ['id', 'version', 'data', ...mirrored];
    const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));
    const set = Object.fromEntries(
      keys.filter((k) => k !== 'id').map((k) => [k, sql`excluded.${sql.identifier(columns[k]!.name)}`]),
    );
    const query = store.db
      .insert(t)
      .values(values as never)
      .onConflictDoUpdate({
        target: columns.id!,
        set: set as never,
        setWhere: sql`excluded.version > ${columns.version}`,
      })
      .toSQL();
    // Each parameter is a named placeholder, or a column default drizzle filled in (encoded once here).
    type Slot = { name: string } | { constant: unknown };
    const slots = query.params.map((p: unknown): Slot => {
      if (!(p instanceof Param)) return { constant: p };
      const value: unknown = p.value;
      if (value instanceof Placeholder) return { name: (value as Placeholder<string>).name };
      return { constant: p.encoder ? p.encoder.mapToDriverValue(value) : value };
    });
    const statement = store.sqlite.prepare(query.sql);
    return {
      run: (params) =>
        statement.run(...slots.map((slot): unknown => ('name' in slot ? params[slot.name] : slot.constant))),
    };
  });
}

const statements = (store: Store) =>
  store.cached('apply', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const byTable = <T>(make: (table: SyncedTable) => T) =>
      Object.fromEntries(SYNCED_TABLES.map((t) => [t, make(t)])) as Record<SyncedTable, T>;
    return {
      tombstone: q('SELECT version FROM sync_tombstones WHERE table_name = ? AND row_id = ?').pluck(),
      anyTombstone: q('SELECT EXISTS (SELECT 1 FROM sync_tombstones)').pluck(),
      putTombstone: q(
        `INSERT INTO sync_tombstones (table_name, row_id, version) VALUES (?, ?, ?)
         ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version WHERE excluded.version > version`,
      ),
      dropTombstone: q('DELETE FROM sync_tombstones WHERE table_name = ? AND row_id = ?'),
      version: byTable((t) => q(`SELECT version FROM ${t} WHERE id = ?`).pluck()),
      remove: byTable((t) => q(`DELETE FROM ${t} WHERE id = ?`)),
      variantProduct: q('SELECT product_id FROM variants WHERE id = ?').pluck(),
      levelVariant: q('SELECT variant_id FROM stock_levels WHERE id = ?').pluck(),
      productRid: q('SELECT rid FROM products WHERE id = ?').pluck(),
      // Events leave no tombstones of their own: they go with their order (server migration 0015).
      orderEvents: q('DELETE FROM order_events WHERE order_id = ?'),
      state: q(
        `SELECT epoch, first_download_done AS done, first_download_complete AS complete FROM sync_state WHERE id = 1`,
      ),
      saveState: q(
        `UPDATE sync_state SET cursor = ?, epoch = ?, last_mutation_seq = max(last_mutation_seq, ?),
           last_pull_at = ?, last_error = NULL, first_download_done = ?, first_download_total = coalesce(?, first_download_total),
           first_download_complete = ? WHERE id = 1`,
      ),
    };
  });

function describe(change: Change, index: number): string {
  return `change #${index} (${String(change.table)} ${String(change.id)})`;
}

export function applyPullPage(store: Store, page: PullAnswer, options: ApplyOptions = {}): ApplyResult {
  if (!Array.isArray(page.changes) || typeof page.cursor !== 'string' || typeof page.epoch !== 'string')
    throw new AppError('bad_request', 'pull page needs changes, cursor and epoch');
  const st = statements(store);
  const at = (options.now ?? new Date()).toISOString();

  return store.transaction((): ApplyResult => {
    const state = st.state.get() as { epoch: string | null; done: number; complete: number };
    if (state.epoch !== null && state.epoch !== page.epoch)
      return { status: 'epoch_changed', storedEpoch: state.epoch, epoch: page.epoch };
    const deferIndex = options.deferProductIndex === true && !state.complete;

    const productIds = new Set<string>();
    const variantIds = new Set<string>();
    // Variants whose stock levels alone changed: no product index refresh for them (derived.ts).
    const stockVariantIds = new Set<string>();
    let upserted = 0;
    let deleted = 0;
    let skipped = 0;
    const touched: TouchedRow[] = [];
    // A first download has no tombstones: skip the lookup per row until the page writes one.
    let tombstones = st.anyTombstone.get() === 1;

    page.changes.forEach((change, index) => {
      const { table, op, id, version } = change;
      if (!SYNCED_SET.has(table)) throw new AppError('bad_request', `${describe(change, index)}: unknown table`);
      if (typeof id !== 'string' || id.length === 0 || !Number.isSafeInteger(version))
        throw new AppError('bad_request', `${describe(change, index)}: needs a string id and an integer version`);
      const tombstone = tombstones ? (st.tombstone.get(table, id) as number | undefined) : undefined;
      if (tombstone !== undefined && tombstone >= version) {
        skipped++;
        return;
      }

      if (op === 'upsert') {
        if (!change.row || typeof change.row !== 'object')
          throw new AppError('bad_request', `${describe(change, index)}: an upsert needs a row`);
        const params = toParams(table, id, version, change.row, describe(change, index));
        const before =
          table === 'variants'
            ? (st.variantProduct.get(id) as string | undefined)
            : table === 'stock_levels'
              ? (st.levelVariant.get(id) as string | undefined)
              : undefined;
        if (upsertStatement(store, table).run(params).changes === 0) {
          skipped++;
          return;
        }
        upserted++;
        if (options.rebase) touched.push({ table, id });
        if (tombstone !== undefined) st.dropTombstone.run(table, id);
        if (table === 'products') productIds.add(id);
        else if (table === 'variants') {
          variantIds.add(id);
          productIds.add(params.productId as string);
          if (before) productIds.add(before);
        } else if (table === 'stock_levels') {
          stockVariantIds.add(params.variantId as string);
          if (before) stockVariantIds.add(before);
        }
        return;
      }

      if (op !== 'delete') throw new AppError('bad_request', `${describe(change, index)}: unknown op`);
      const stored = st.version[table].get(id) as number | undefined;
      if (stored !== undefined && stored > version) {
        skipped++;
        return;
      }
      if (stored !== undefined) {
        if (table === 'products') removeProductIndex(store, id, st.productRid.get(id) as number);
        else if (table === 'variants') productIds.add(st.variantProduct.get(id) as string);
        else if (table === 'stock_levels') stockVariantIds.add(st.levelVariant.get(id) as string);
        else if (table === 'orders') st.orderEvents.run(id);
        st.remove[table].run(id);
        deleted++;
      } else skipped++;
      st.putTombstone.run(table, id, version);
      tombstones = true;
    });

    refreshDerived(store, { variantIds, productIds, stockVariantIds }, { productIndex: !deferIndex });
    options.rebase?.(store, touched);
    // After the rebase, so the index shows what locally re-applied edits changed.
    if (deferIndex && !page.hasMore) rebuildProductIndex(store);

    const done = state.complete ? state.done : state.done + page.changes.length;
    const total = page.remaining === undefined ? null : done + page.remaining;
    st.saveState.run(
      page.cursor,
      page.epoch,
      page.lastMutationSeq,
      at,
      done,
      state.complete ? null : total,
      state.complete || !page.hasMore ? 1 : 0,
    );
    return { status: 'applied', upserted, deleted, skipped, cursor: page.cursor };
  });
}

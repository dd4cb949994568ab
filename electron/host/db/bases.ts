/**
 * Pre-images of rows under optimistic local edits (schema.ts rowBases), so a mutation the server
 * rejects can be taken back: the touched rows return to the server's state, then the mutations
 * still pending are re-applied over them (the caller's rebase).
 *
 * - captureBase: called by every local effect before it writes a synced row (inside its
 *   transaction). The first capture for a row at a given version wins; a row pulled since (another
 *   version) gets a fresh base.
 * - restoreRows: puts rows back to their base (deleting rows that were local creates) and answers
 *   which rows it restored; bases of rows pulled since are stale and simply dropped.
 * - clearBases: when nothing is pending any more, every row is the server's: no base is needed.
 */
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';
import { upsertStatement } from './apply.js';
import { refreshDerived, removeProductIndex } from './derived.js';
import type { Store } from './store.js';
import { toParams } from './synced-tables.js';

const SYNCED_SET: ReadonlySet<string> = new Set(SYNCED_TABLES);

const statements = (store: Store) =>
  store.cached('bases', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const byTable = <T>(make: (table: SyncedTable) => T) =>
      Object.fromEntries(SYNCED_TABLES.map((t) => [t, make(t)])) as Record<SyncedTable, T>;
    return {
      row: byTable((t) => q(`SELECT version, data FROM ${t} WHERE id = ?`)),
      remove: byTable((t) => q(`DELETE FROM ${t} WHERE id = ?`)),
      capture: q(
        `INSERT INTO row_bases (table_name, row_id, version, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version, data = excluded.data
         WHERE row_bases.version <> excluded.version`,
      ),
      base: q('SELECT version, data FROM row_bases WHERE table_name = ? AND row_id = ?'),
      drop: q('DELETE FROM row_bases WHERE table_name = ? AND row_id = ?'),
      clear: q('DELETE FROM row_bases'),
      all: q('SELECT table_name AS "table", row_id AS id FROM row_bases'),
      productRid: q('SELECT rid FROM products WHERE id = ?').pluck(),
      variantProduct: q('SELECT product_id FROM variants WHERE id = ?').pluck(),
      levelVariant: q('SELECT variant_id FROM stock_levels WHERE id = ?').pluck(),
    };
  });

/** Local creates have no server version yet: their base says "absent" (version -1, no data). */
const ABSENT = -1;

export function captureBase(store: Store, table: SyncedTable, id: string): void {
  const st = statements(store);
  const row = st.row[table].get(id) as { version: number; data: string } | undefined;
  st.capture.run(table, id, row ? row.version : ABSENT, row ? row.data : null);
}

export function restoreRows(
  store: Store,
  rows: readonly { table: string; id: string }[],
): { table: string; id: string }[] {
  const st = statements(store);
  const restored: { table: string; id: string }[] = [];
  const productIds = new Set<string>();
  const variantIds = new Set<string>();
  const stockVariantIds = new Set<string>();
  store.transaction(() => {
    for (const { table, id } of rows) {
      if (!SYNCED_SET.has(table)) continue;
      const t = table as SyncedTable;
      const base = st.base.get(t, id) as { version: number; data: string | null } | undefined;
      if (!base) continue;
      st.drop.run(t, id);
      const current = st.row[t].get(id) as { version: number } | undefined;
      const currentVersion = current ? current.version : ABSENT;
      // Pulled since the capture: the row already is the server's (plus whatever was rebased on it).
      // A local create carries version 0 until the server's row arrives with a real version.
      const pulledSince = base.version === ABSENT ? currentVersion > 0 : currentVersion !== base.version;
      if (pulledSince) continue;
      if (t === 'variants') productIds.add(st.variantProduct.get(id) as string);
      if (t === 'stock_levels') variantIds.add(st.levelVariant.get(id) as string);
      if (t === 'products' && current) removeProductIndex(store, id, st.productRid.get(id) as number);
      if (current) st.remove[t].run(id);
      if (base.data !== null) {
        const row = JSON.parse(base.data) as Record<string, unknown>;
        const params = toParams(t, id, base.version, row, `restoring ${t} ${id}`);
        upsertStatement(store, t).run(params);
        if (t === 'products') productIds.add(id);
        if (t === 'variants') {
          variantIds.add(id);
          productIds.add(params.productId as string);
        }
        if (t === 'stock_levels') stockVariantIds.add(params.variantId as string);
      }
      restored.push({ table: t, id });
    }
    productIds.delete(undefined as unknown as string);
    variantIds.delete(undefined as unknown as string);
    stockVariantIds.delete(undefined as unknown as string);
    refreshDerived(store, { productIds, variantIds, stockVariantIds });
  });
  return restored;
}

export function clearBases(store: Store): void {
  statements(store).clear.run();
}

/** Restores every row under a local edit (the caller re-applies what is still pending). */
export function restoreAll(store: Store): { table: string; id: string }[] {
  return restoreRows(store, statements(store).all.all() as { table: string; id: string }[]);
}

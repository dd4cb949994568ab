/**
 * Optimistic local writes (SYNC.md rule 4): what a mutation does to the synced tables at once, and
 * its re-application over rows a pull replaced. The row logic is pure (shared/sync/rebase.ts);
 * this module reads and writes the rows.
 *
 * Rules it keeps:
 * - A row is written with the pull's own encoding (synced-tables.ts toParams: `data` JSON plus the
 *   mirrored columns) and keeps its `version`: the server's next version of the row replaces it
 *   whole. Rows made here (creates, a stock level not synced yet) get version 0, below any server one.
 * - Derived data (stock sums, price ranges, search rows) is refreshed in the same transaction.
 * - Stock changes move the level of the default location (or the one named); no ledger movement
 *   is invented here: the server's movements arrive with the pull.
 * - Rebasing re-applies a change only to rows that hold the server's state without it (the rows a
 *   page just wrote, or every row after a fresh download): re-applying a delta to a row that
 *   already carries it would count it twice. A change the row no longer allows (an order the
 *   server cancelled) is skipped, so the server's state shows; so is one whose row is gone.
 * - Creates are never re-applied: the row made here stays until the server's replaces it.
 * - Before its first local edit a row's server state is kept (db/bases.ts), so the engine can take
 *   a rejected change back: restore the rows, then rebasePending over them.
 */
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { type Mutation, parseMutation } from '../../../shared/sync/mutations.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import {
  applyToRow,
  checkAdjustment,
  type CreateMutation,
  isCreate,
  mutationTarget,
  newCategoryRow,
  newLevelRow,
  newProductRows,
  newVariantRow,
  type RowMutation,
  type WireRow,
} from '../../../shared/sync/rebase.js';
import { captureBase } from '../db/bases.js';
import { refreshDerived } from '../db/derived.js';
import type { Store } from '../db/store.js';
import { SYNCED, columnsOf, toParams } from '../db/synced-tables.js';

type Stored = { version: number; data: WireRow };
/** Rows whose derived data to refresh; `stockVariantIds`: only their stock levels changed (derived.ts). */
type Derived = { variantIds: Set<string>; productIds: Set<string>; stockVariantIds: Set<string> };
/** `strict`: refuse (throw) instead of skipping, for a person's change rather than a rebase. */
type Mode = { strict: boolean; at: string };

const LABELS: Partial<Record<SyncedTable, string>> = {
  products: 'Product',
  variants: 'Variant',
  categories: 'Category',
  orders: 'Order',
  reviews: 'Review',
};

const statements = (store: Store) =>
  store.cached('local', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      defaultLocation: q('SELECT id FROM stock_locations WHERE is_default = 1 ORDER BY id LIMIT 1').pluck(),
      variantLocation: q(
        'SELECT location_id FROM stock_levels WHERE variant_id = ? ORDER BY version DESC LIMIT 1',
      ).pluck(),
      level: q(
        'SELECT id FROM stock_levels WHERE variant_id = ? AND location_id = ? ORDER BY version DESC LIMIT 1',
      ).pluck(),
      levelKey: q('SELECT variant_id AS variantId, location_id AS locationId, version FROM stock_levels WHERE id = ?'),
      dropPlaceholders: q(
        'DELETE FROM stock_levels WHERE variant_id = ? AND location_id = ? AND version = 0 AND id <> ?',
      ),
      dropAllPlaceholders: q(
        `DELETE FROM stock_levels WHERE version = 0 AND EXISTS (SELECT 1 FROM stock_levels s
           WHERE s.variant_id = stock_levels.variant_id AND s.location_id = stock_levels.location_id AND s.version > 0)
         RETURNING variant_id`,
      ).pluck(),
      skus: q('SELECT sku FROM variants WHERE sku = ? COLLATE NOCASE').pluck(),
      variantCount: q('SELECT count(*) FROM variants WHERE product_id = ?').pluck(),
      entriesAfter: q('SELECT seq, name, args, created_at AS createdAt FROM outbox WHERE seq > ? ORDER BY seq'),
    };
  });

/** Read and write of one synced table's rows, keeping the stored version on update. */
const rowStatements = (store: Store, table: SyncedTable) =>
  store.cached(`local:${table}`, () => {
    const columns = columnsOf(SYNCED[table].table);
    const keys = ['id', 'version', 'data', ...SYNCED[table].mirrored];
    const names = keys.map((k) => `"${columns[k]!.name}"`);
    const updates = names.filter((n) => n !== '"id"' && n !== '"version"').map((n) => `${n} = excluded.${n}`);
    return {
      read: store.sqlite.prepare(`SELECT version, data FROM ${table} WHERE id = ?`),
      write: store.sqlite.prepare(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`,
      ),
    };
  });

function readRow(store: Store, table: SyncedTable, id: string): Stored | undefined {
  const row = rowStatements(store, table).read.get(id) as { version: number; data: string } | undefined;
  return row && { version: row.version, data: JSON.parse(row.data) as WireRow };
}

/**
 * Writes a row over `stored` (undefined: a new row, version 0). Its server state is kept first as
 * its base (bases.ts) so a rejected change can be taken back; a row made here (version 0) keeps
 * the "absent" base of its create.
 */
function writeRow(store: Store, table: SyncedTable, id: string, stored: Stored | undefined, row: WireRow): void {
  if (!stored || stored.version > 0) captureBase(store, table, id);
  rowStatements(store, table).write.run(toParams(table, id, stored?.version ?? 0, row, `local ${table} ${id}`));
}

/** Throws in strict mode; in a rebase the change is skipped (returns false). */
function refuse(mode: Mode, error: AppError): false {
  if (mode.strict) throw error;
  return false;
}

/** Where a stock change lands: the location named, else the default one, else the variant's own. */
export function stockLocationFor(store: Store, variantId: string, named: string | undefined): string | undefined {
  const st = statements(store);
  return (
    named ??
    (st.defaultLocation.get() as string | undefined) ??
    (st.variantLocation.get(variantId) as string | undefined)
  );
}

/** The server refuses a SKU another variant has (its unique index is case-sensitive). */
function assertSkusFree(store: Store, skus: string[]): void {
  const seen = new Set<string>();
  for (const sku of skus) {
    const taken = (statements(store).skus.all(sku) as string[]).includes(sku);
    if (taken || seen.has(sku)) throw new AppError('conflict', `Another variant already uses the SKU ${sku}`);
    seen.add(sku);
  }
}

function addStock(store: Store, variantId: string, onHand: number, at: string): void {
  const locationId = stockLocationFor(store, variantId, undefined);
  // Without any known location the opening stock simply waits for the server's level.
  if (locationId === undefined) return;
  const id = newId();
  writeRow(store, 'stock_levels', id, undefined, { ...newLevelRow(id, variantId, locationId, at), onHand });
}

function applyCreate(store: Store, m: CreateMutation, at: string, derived: Derived): void {
  const exists = (table: SyncedTable, id: string) => {
    if (readRow(store, table, id)) throw new AppError('conflict', `${LABELS[table]} ${id} already exists`);
  };
  if (m.name === 'category.create') {
    exists('categories', m.args.id);
    writeRow(store, 'categories', m.args.id, undefined, newCategoryRow(m.args, at));
    return;
  }
  if (m.name === 'product.create') {
    exists('products', m.args.id);
    const rows = newProductRows(m.args, at);
    if (rows.variants.length !== m.args.variants.length)
      throw new AppError('validation_failed', 'every variant needs an id when it is created on this device');
    for (const v of rows.variants) exists('variants', String(v.id));
    assertSkusFree(
      store,
      m.args.variants.map((v) => v.sku),
    );
    writeRow(store, 'products', m.args.id, undefined, rows.product);
    for (const v of rows.variants) writeRow(store, 'variants', String(v.id), undefined, v);
    for (const s of rows.stock) addStock(store, s.variantId, s.onHand, at);
    for (const v of rows.variants) derived.variantIds.add(String(v.id));
    derived.productIds.add(m.args.id);
    return;
  }
  const { productId, initialStock, ...variant } = m.args;
  const product = readRow(store, 'products', productId);
  if (!product) throw notFound('Product');
  if (product.data.status === 'archived')
    throw new AppError('conflict', `"${String(product.data.name)}" is archived: restore it before adding variants`);
  exists('variants', variant.id);
  assertSkusFree(store, [variant.sku]);
  const index = statements(store).variantCount.get(productId) as number;
  const options = (product.data.options ?? []) as { name: string; values: string[] }[];
  writeRow(store, 'variants', variant.id, undefined, newVariantRow(productId, variant, index, options, at));
  if (initialStock) addStock(store, variant.id, initialStock, at);
  derived.variantIds.add(variant.id);
  derived.productIds.add(productId);
}

function applyStock(store: Store, m: Extract<RowMutation, { name: 'stock.adjust' | 'stock.count' }>, mode: Mode) {
  const { variantId } = m.args;
  if (!readRow(store, 'variants', variantId)) return refuse(mode, notFound('Variant'));
  const wrongSign = m.name === 'stock.adjust' ? checkAdjustment(m.args) : null;
  if (wrongSign) return refuse(mode, new AppError(wrongSign.code, wrongSign.message));
  const locationId = stockLocationFor(store, variantId, m.args.locationId);
  if (locationId === undefined)
    return refuse(mode, new AppError('conflict', 'No stock location is known yet: sync once before changing stock'));
  const levelId = statements(store).level.get(variantId, locationId) as string | undefined;
  const stored = levelId === undefined ? undefined : readRow(store, 'stock_levels', levelId);
  if (!stored && !mode.strict) return false;
  const level = stored?.data ?? newLevelRow(newId(), variantId, locationId, mode.at);
  const outcome = applyToRow(m, level, mode.at);
  if (!outcome.ok) return refuse(mode, new AppError(outcome.code, outcome.message));
  writeRow(store, 'stock_levels', String(level.id), stored, outcome.row);
  return true;
}

/** Applies one row mutation; false when a rebase skips it. */
function applyRow(store: Store, m: RowMutation, mode: Mode, derived: Derived): boolean {
  if (m.name === 'stock.adjust' || m.name === 'stock.count') {
    const applied = applyStock(store, m, mode);
    if (applied) derived.stockVariantIds.add(m.args.variantId);
    return applied;
  }
  const target = mutationTarget(m);
  if (target.kind !== 'row') return false;
  const stored = readRow(store, target.table, target.id);
  if (!stored) return refuse(mode, notFound(LABELS[target.table] ?? 'Row'));
  const product =
    m.name === 'variant.update' ? readRow(store, 'products', String(stored.data.productId))?.data : undefined;
  const outcome = applyToRow(m, stored.data, mode.at, product);
  if (!outcome.ok) return refuse(mode, new AppError(outcome.code, outcome.message));
  if (outcome.row === stored.data) return true;
  writeRow(store, target.table, target.id, stored, outcome.row);
  if (target.table === 'products') derived.productIds.add(target.id);
  if (target.table === 'variants') derived.variantIds.add(target.id);
  return true;
}

const newDerived = (): Derived => ({ variantIds: new Set(), productIds: new Set(), stockVariantIds: new Set() });

/**
 * Writes a person's change to the local rows at once. Throws (and writes nothing) when the change
 * cannot apply: `not_found` for an unknown row, the server's own refusal codes otherwise. Pass it
 * to enqueueMutation as the local write, so the row and the outbox entry commit together.
 */
export function applyLocal(store: Store, mutation: Mutation, at: string = new Date().toISOString()): void {
  store.transaction(() => {
    const derived = newDerived();
    if (isCreate(mutation)) applyCreate(store, mutation, at, derived);
    else applyRow(store, mutation, { strict: true, at }, derived);
    refreshDerived(store, derived);
  });
}

/** Which target a row mutation changes, as `touchedKeys` names the rows a page wrote. */
function targetKey(store: Store, m: RowMutation): string | undefined {
  const target = mutationTarget(m);
  if (target.kind === 'row') return `${target.table}:${target.id}`;
  if (target.kind !== 'stock') return undefined;
  return `stock_levels:${target.variantId}:${stockLocationFor(store, target.variantId, target.locationId)}`;
}

/** Keys of the written rows; a server stock level also retires the level made here for the same place. */
function touchedKeys(store: Store, touched: { table: string; id: string }[], derived: Derived): Set<string> {
  const st = statements(store);
  const keys = new Set<string>();
  for (const { table, id } of touched) {
    if (table !== 'stock_levels') {
      keys.add(`${table}:${id}`);
      continue;
    }
    const level = st.levelKey.get(id) as { variantId: string; locationId: string; version: number } | undefined;
    if (!level) continue;
    keys.add(`stock_levels:${level.variantId}:${level.locationId}`);
    if (level.version > 0 && st.dropPlaceholders.run(level.variantId, level.locationId, id).changes > 0)
      derived.stockVariantIds.add(level.variantId);
  }
  return keys;
}

/**
 * Re-applies, in seq order, every outbox entry above `afterSeq` (the pull page's lastMutationSeq:
 * the server's rows already show those up to it) whose target row is in `touched` (the rows the
 * page wrote). Without `touched`, every stored row is taken to hold the server's state without
 * these entries, which is true only right after a fresh download. Runs inside the caller's
 * transaction (the page's), or its own.
 */
export function rebasePending(store: Store, afterSeq: number, touched?: { table: string; id: string }[]): void {
  const st = statements(store);
  store.transaction(() => {
    const derived = newDerived();
    const keys = touched && touchedKeys(store, touched, derived);
    if (!touched)
      for (const variantId of st.dropAllPlaceholders.all() as string[]) derived.stockVariantIds.add(variantId);
    type Entry = { seq: number; name: string; args: string; createdAt: string };
    // A page that wrote nothing needs no outbox read.
    const entries = keys?.size === 0 ? [] : (st.entriesAfter.all(afterSeq) as Entry[]);
    for (const entry of entries) {
      const parsed = parseMutation(entry.name, JSON.parse(entry.args));
      if (!parsed.ok || isCreate(parsed.mutation)) continue;
      const m = parsed.mutation;
      if (keys && !keys.has(targetKey(store, m) ?? '')) continue;
      applyRow(store, m, { strict: false, at: entry.createdAt }, derived);
    }
    refreshDerived(store, derived);
  });
}

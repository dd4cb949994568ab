/**
 * What a person does with what sync flagged (SYNC.md rules 6, 7 and 5): conflicts, rejections and
 * oversells. A conflict recorded here means this device's push won (the later push wins, rule 6)
 * and overwrote `serverValue`, someone else's edit. `mine` keeps what is there now and marks it
 * resolved; `server` restores the overwritten value by queueing it as a new field patch (based on
 * the row's current version), so nothing is lost without a person choosing so.
 */
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { mutationArgs } from '../../../shared/sync/mutations.js';
import { listRejections, resolveConflict, resolveRejection } from '../db/state.js';
import type { Store } from '../db/store.js';
import { conflictById, openConflicts, openOversells, rejectionDismissed } from './records.queries.js';
import { queuePatch } from './write.js';

const PATCHES = {
  products: { name: 'product.update', key: 'productId' },
  variants: { name: 'variant.update', key: 'variantId' },
  categories: { name: 'category.update', key: 'categoryId' },
} as const;

const isPatchTable = (table: string): table is keyof typeof PATCHES => Object.hasOwn(PATCHES, table);

export const conflictList = (store: Store) => ({ items: openConflicts(store) });

export function resolveConflictWith(
  store: Store,
  { id, keep }: ChannelArgs<'conflicts:resolve'>,
): ChannelOutput<'conflicts:resolve'> {
  const conflict = conflictById(store, id);
  if (!conflict) throw notFound('Conflict');
  if (conflict.resolved) throw new AppError('conflict', 'This conflict was already resolved');
  if (keep === 'mine') {
    resolveConflict(store, id);
    return { id, keep, queuedSeq: null };
  }
  const { table, rowId, field, serverValue } = conflict;
  if (!isPatchTable(table)) throw new AppError('conflict', `A conflict on ${table} cannot be re-applied`);
  const spec = PATCHES[table];
  const args = { [spec.key]: rowId, patch: { [field]: serverValue } };
  // The value was valid when it was pushed; rules may have changed since (a server of a newer build).
  if (!mutationArgs[spec.name].safeParse(args).success)
    throw new AppError('conflict', `The value of ${field} can no longer be applied as it was`);
  return store.transaction(() => {
    const entry = queuePatch(store, spec.name, table, rowId, args);
    resolveConflict(store, id);
    return { id, keep, queuedSeq: entry.seq };
  });
}

export function rejectionList(store: Store): ChannelOutput<'rejections:list'> {
  return {
    items: listRejections(store).map((r) => ({
      id: r.id,
      mutationId: r.mutationId,
      name: r.name,
      args: r.args,
      code: r.code,
      message: r.message,
      at: r.at,
    })),
  };
}

/** Dismissing twice is fine (the person's intent holds); an unknown id is not. */
export function dismissRejection(store: Store, { id }: ChannelArgs<'rejections:dismiss'>) {
  if (rejectionDismissed(store, id) === undefined) throw notFound('Rejection');
  resolveRejection(store, id);
  return { ok: true as const };
}

export const oversellList = (store: Store) => ({ items: openOversells(store) });

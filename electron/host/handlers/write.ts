/**
 * The one way a handler changes data: a named mutation, checked, written to the local rows and
 * queued in the outbox in ONE transaction (SYNC.md rule 4). Works the same with or without a
 * server: the sync engine pushes the outbox whenever it can.
 */
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { type MutationName, parseMutation } from '../../../shared/sync/mutations.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { enqueueMutation, type OutboxEntry } from '../db/outbox.js';
import type { Store } from '../db/store.js';
import { applyLocal } from '../sync/local.js';
import { storedVersion } from './rows.queries.js';

export function queueMutation(store: Store, name: MutationName, args: unknown, baseVersion?: number): OutboxEntry {
  const parsed = parseMutation(name, args);
  if (!parsed.ok)
    throw new AppError('validation_failed', `${name}: ${parsed.message}`, {
      errors: [{ path: 'args', message: parsed.message }],
    });
  const { mutation } = parsed;
  return enqueueMutation(
    store,
    { name, args: mutation.args, ...(baseVersion === undefined ? {} : { baseVersion }) },
    (s) => applyLocal(s, mutation),
  );
}

/**
 * A field patch against the row's stored version (the server merges per field from there, SYNC.md
 * rule 6). A row made here has version 0: nobody else's edit can predate it, which is what 0 says.
 */
export function queuePatch(store: Store, name: MutationName, table: SyncedTable, id: string, args: unknown) {
  const version = storedVersion(store, table, id);
  if (version === undefined) throw notFound(LABELS[table] ?? 'Row');
  return queueMutation(store, name, args, version);
}

const LABELS: Partial<Record<SyncedTable, string>> = {
  products: 'Product',
  variants: 'Variant',
  categories: 'Category',
};

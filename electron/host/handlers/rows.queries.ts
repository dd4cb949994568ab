/** Small lookups of synced rows the handlers' services need before they queue a change. */
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import type { Store } from '../db/store.js';

export function storedVersion(store: Store, table: SyncedTable, id: string): number | undefined {
  return store
    .cached(`handlers:version:${table}`, () =>
      store.sqlite.prepare(`SELECT version FROM ${table} WHERE id = ?`).pluck(),
    )
    .get(id) as number | undefined;
}

export function variantProductId(store: Store, variantId: string): string | undefined {
  return store
    .cached('handlers:variant-product', () =>
      store.sqlite.prepare('SELECT product_id FROM variants WHERE id = ?').pluck(),
    )
    .get(variantId) as string | undefined;
}

/** What sync flagged for a person, read with the names that make it recognisable: open conflicts and oversells. */
import type { ChannelOutput } from '../../../shared/contract/backoffice.js';
import type { Store } from '../db/store.js';

type ConflictItem = ChannelOutput<'conflicts:list'>['items'][number];
type OversellItem = ChannelOutput<'oversells:list'>['items'][number];

export interface ConflictRecord {
  id: number;
  table: string;
  rowId: string;
  field: string;
  /** The value our push overwrote (someone else's edit). */
  serverValue: unknown;
  clientValue: unknown;
  resolved: boolean;
}

const statements = (store: Store) =>
  store.cached('handlers:records', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      conflicts: q(
        `SELECT c.id, c.table_name AS "table", c.row_id AS rowId, c.field, c.server_value AS serverValue,
           c.client_value AS clientValue, c.mutation_id AS mutationId, c.at,
           CASE c.table_name WHEN 'products' THEN (SELECT name FROM products WHERE id = c.row_id)
             WHEN 'variants' THEN (SELECT sku FROM variants WHERE id = c.row_id)
             WHEN 'categories' THEN (SELECT name FROM categories WHERE id = c.row_id) END AS label
         FROM conflicts c WHERE c.resolved = 0 ORDER BY c.id`,
      ),
      conflict: q(
        `SELECT id, table_name AS "table", row_id AS rowId, field, server_value AS serverValue,
           client_value AS clientValue, resolved
         FROM conflicts WHERE id = ?`,
      ),
      rejectionResolved: q('SELECT resolved FROM rejections WHERE id = ?').pluck(),
      oversells: q(
        `SELECT o.id, o.variant_id AS variantId, v.sku, p.name AS productName, o.location_id AS locationId, o.level,
           o.created_at AS createdAt
         FROM stock_oversells o LEFT JOIN variants v ON v.id = o.variant_id LEFT JOIN products p ON p.id = v.product_id
         WHERE o.resolved_at IS NULL ORDER BY o.created_at, o.id`,
      ),
    };
  });

const fromJson = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);

export function openConflicts(store: Store): ConflictItem[] {
  return (statements(store).conflicts.all() as (ConflictItem & { serverValue: string; clientValue: string })[]).map(
    (c) => ({ ...c, serverValue: fromJson(c.serverValue), clientValue: fromJson(c.clientValue) }),
  );
}

export function conflictById(store: Store, id: number): ConflictRecord | undefined {
  const row = statements(store).conflict.get(id) as
    | (Omit<ConflictRecord, 'resolved' | 'clientValue' | 'serverValue'> & {
        resolved: number;
        serverValue: string;
        clientValue: string;
      })
    | undefined;
  return (
    row && {
      ...row,
      serverValue: fromJson(row.serverValue),
      clientValue: fromJson(row.clientValue),
      resolved: row.resolved === 1,
    }
  );
}

/** undefined: no such rejection; otherwise whether it was already dismissed. */
export function rejectionDismissed(store: Store, id: number): boolean | undefined {
  const resolved = statements(store).rejectionResolved.get(id) as number | undefined;
  return resolved === undefined ? undefined : resolved === 1;
}

export function openOversells(store: Store): OversellItem[] {
  return statements(store).oversells.all() as OversellItem[];
}

/** Stock reads the handlers add to db/queries.ts: one level as the admin API shows it, and the movement ledger. */
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { TOTAL_CAP } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { num } from './wire.js';

type Level = ChannelOutput<'stock:adjust'>;
type MovementPage = ChannelOutput<'stock:movements'>;

const statements = (store: Store) =>
  store.cached('handlers:stock', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const where = `(@variantId IS NULL OR variant_id = @variantId) AND (@kind IS NULL OR kind = @kind)
      AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to)`;
    return {
      // A level made here and the server's may meet for a moment in one transaction: the server's wins.
      level: q(
        `SELECT l.on_hand AS onHand, l.reserved, v.low_stock_threshold AS threshold
         FROM stock_levels l JOIN variants v ON v.id = l.variant_id
         WHERE l.variant_id = ? AND l.location_id = ? ORDER BY l.version DESC LIMIT 1`,
      ),
      threshold: q('SELECT low_stock_threshold FROM variants WHERE id = ?').pluck(),
      movements: q(
        `SELECT m.data, v.sku, p.name AS productName FROM (SELECT data, variant_id, created_at, id FROM stock_movements
           WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset) m
         LEFT JOIN variants v ON v.id = m.variant_id LEFT JOIN products p ON p.id = v.product_id
         ORDER BY m.created_at DESC, m.id DESC`,
      ),
      count: q(`SELECT count(*) FROM (SELECT 1 FROM stock_movements WHERE ${where} LIMIT ${TOTAL_CAP + 1})`).pluck(),
    };
  });

/** The variant's level at a location (zero when none is stored), or undefined for an unknown variant. */
export function levelOf(store: Store, variantId: string, locationId: string): Level | undefined {
  const st = statements(store);
  const threshold = st.threshold.get(variantId) as number | undefined;
  if (threshold === undefined) return undefined;
  const row = (st.level.get(variantId, locationId) as { onHand: number; reserved: number } | undefined) ?? {
    onHand: 0,
    reserved: 0,
  };
  const available = row.onHand - row.reserved;
  return {
    variantId,
    locationId,
    onHand: row.onHand,
    reserved: row.reserved,
    available,
    lowStock: available <= threshold,
    oversold: row.onHand < 0,
  };
}

/** The synced ledger (recent movements only: the store prunes old ones), newest first. */
export function listMovements(store: Store, query: ChannelArgs<'stock:movements'>): MovementPage {
  const st = statements(store);
  const filter = {
    variantId: query.variantId ?? null,
    kind: query.kind ?? null,
    from: query.from === undefined ? null : new Date(query.from).toISOString(),
    to: query.to === undefined ? null : new Date(query.to).toISOString(),
  };
  const count = st.count.get(filter) as number;
  type Row = { data: string; sku: string | null; productName: string | null };
  const rows = st.movements.all({ ...filter, limit: query.limit, offset: query.offset }) as Row[];
  const items = rows.map(({ data, sku, productName }) => {
    const d = JSON.parse(data) as Record<string, unknown>;
    return {
      id: String(d.id),
      variantId: String(d.variantId),
      locationId: String(d.locationId),
      kind: d.kind as MovementPage['items'][number]['kind'],
      onHandDelta: num(d.onHandDelta),
      reservedDelta: num(d.reservedDelta),
      onHandAfter: Number(d.onHandAfter),
      reason: String(d.reason),
      note: (d.note ?? null) as string | null,
      actorId: (d.actorId ?? null) as string | null,
      reference: (d.reference ?? null) as string | null,
      createdAt: String(d.createdAt),
      sku,
      productName,
    };
  });
  return { items, total: Math.min(count, TOTAL_CAP), totalCapped: count > TOTAL_CAP };
}

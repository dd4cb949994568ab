/**
 * Runs a report on the local store: its query, its pure shaping, then the row cap and the notes
 * that tell the reader what the figures do and do not include (the store is a partial replica).
 */
import type { ReportName, ReportOutput, ReportParams } from '../../../shared/contract/reports.js';
import type { Store } from '../db/store.js';
import { addDays, utcWindow } from './dates.js';
import * as q from './reports.queries.js';
import { summarizeSales } from './sales.js';
import { movementTotals, orderTotals, rankProducts, shapeLowStock, valueStock } from './shape.js';

/** Why a figure may differ from the server's: stated on screen and in every export. */
export const NOTES = {
  sales:
    'Revenue counts orders that were paid (paid, fulfilled, delivered, refunded, partially refunded), by the day they ' +
    'were placed; cancelled and unpaid orders are excluded. Refunds are those recorded on the orders so far, counted ' +
    'in the period the order was placed (refund dates are not kept on this device).',
  topProducts:
    'Revenue is the sum of line totals (before shipping, tax and refunds) of paid orders placed in the range; ' +
    'cancelled and unpaid orders are excluded.',
  valuation:
    'Units on hand are valued at cost where the variant has a cost price; variants without one are valued at their ' +
    'selling price (basis "price"). Oversold (negative) stock is valued at zero.',
  lowStock:
    'Variants of non-archived products whose available stock (on hand minus reserved) is at or below their threshold.',
  movements: 'Only the last 30 days of stock movements are synced to this device: older movements are not included.',
  truncated: (shown: number) => `Only the first ${shown} rows are listed; the totals cover every match.`,
  offline: "Computed from this device's local copy: changes not yet synced from the server are not included.",
};

type Computed<N extends ReportName> = Pick<ReportOutput<N>, 'rows' | 'totals'> & { notes?: string[] };
type Runner<N extends ReportName> = (store: Store, params: ReportParams<N>, now: Date) => Computed<N>;

const window = (p: { from: string; to: string; timeZone: string }) => utcWindow(p.from, p.to, p.timeZone);

const RUNNERS: { [N in ReportName]: Runner<N> } = {
  sales: (store, p) => ({ ...summarizeSales(q.salesOrders(store, window(p)), p), notes: [NOTES.sales] }),
  topProducts: (store, p) => {
    const { rows, totals } = rankProducts(q.productSales(store, window(p)), p);
    return { rows: rows.slice(0, p.limit), totals, notes: [NOTES.topProducts] };
  },
  inventoryValuation: (store, p) => ({
    ...valueStock(q.stockValues(store, p.includeArchived)),
    notes: [NOTES.valuation],
  }),
  lowStock: (store) => ({ ...shapeLowStock(q.lowStockVariants(store)), notes: [NOTES.lowStock] }),
  movements: (store, p, now) => {
    const rows = q.movementsIn(store, window(p), p);
    const synced = addDays(now.toISOString().slice(0, 10), -30);
    // Say it loudest when the range asks for days this device cannot have.
    return {
      rows,
      totals: movementTotals(rows),
      notes: [p.from < synced ? `${NOTES.movements} (${synced} onwards)` : NOTES.movements],
    };
  },
  orders: (store, p) => {
    const rows = q.ordersIn(store, window(p), p.status);
    return { rows, totals: orderTotals(rows) };
  },
};

/** The report as its channel answers it. Top products are capped by rank; other reports list rows up to `limit`. */
export function runReport<N extends ReportName>(
  store: Store,
  name: N,
  params: ReportParams<N>,
  now: Date = new Date(),
): ReportOutput<N> {
  const computed = (RUNNERS[name] as Runner<N>)(store, params, now);
  const limit = 'limit' in params && name !== 'topProducts' ? params.limit : Infinity;
  const truncated = computed.rows.length > limit;
  const notes = [...(computed.notes ?? []), ...(truncated ? [NOTES.truncated(limit)] : []), NOTES.offline];
  return {
    rows: truncated ? computed.rows.slice(0, limit) : computed.rows,
    totals: computed.totals,
    truncated,
    notes,
    generatedAt: now.toISOString(),
  } as ReportOutput<N>;
}

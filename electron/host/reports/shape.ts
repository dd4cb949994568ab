/** Pure shaping of the other reports' query rows: ranking, valuation basis, shortfalls and totals. */
import type { ReportOutput, ReportParams } from '../../../shared/contract/reports.js';
import type { LowStockSource, MovementSource, OrderSource, ProductSales, StockValueSource } from './reports.queries.js';

type Shaped<N extends keyof Outputs> = Pick<Outputs[N], 'rows' | 'totals'>;
interface Outputs {
  topProducts: ReportOutput<'topProducts'>;
  inventoryValuation: ReportOutput<'inventoryValuation'>;
  lowStock: ReportOutput<'lowStock'>;
  movements: ReportOutput<'movements'>;
  orders: ReportOutput<'orders'>;
}

/** Sums `fields` of rows per currency, currencies in alphabetical order. */
function perCurrency<R extends { currency: string }, F extends string>(
  rows: readonly R[],
  fields: readonly F[],
  value: (row: R, field: F) => number,
): ({ currency: string } & Record<F, number>)[] {
  const sums = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const sum = sums.get(row.currency) ?? Object.fromEntries(fields.map((f) => [f, 0]));
    for (const f of fields) sum[f]! += value(row, f);
    sums.set(row.currency, sum);
  }
  return [...sums.keys()].sort().map((currency) => ({ currency, ...(sums.get(currency) as Record<F, number>) }));
}

/** Best first by the chosen measure (then the other, then name), ranked 1..n; totals cover every product, not only the top. */
export function rankProducts(
  sales: readonly ProductSales[],
  params: Pick<ReportParams<'topProducts'>, 'by'>,
): Shaped<'topProducts'> {
  const [first, second] =
    params.by === 'units' ? (['unitsSold', 'revenueCents'] as const) : (['revenueCents', 'unitsSold'] as const);
  const sorted = [...sales].sort(
    (a, b) => b[first] - a[first] || b[second] - a[second] || a.name.localeCompare(b.name),
  );
  const rows = sorted.map((s, i) => ({ rank: i + 1, ...s }));
  return { rows, totals: perCurrency(sales, ['unitsSold', 'revenueCents'] as const, (r, f) => r[f]) };
}

/**
 * Stock at cost where the variant has a cost price; otherwise at its selling price, marked `price`
 * so nobody mistakes it for cost. Oversold (negative) stock is listed but valued at zero: owing
 * units is not an asset.
 */
export function valueStock(sources: readonly StockValueSource[]): Shaped<'inventoryValuation'> {
  const rows = sources.map(({ costCents, priceCents, ...rest }) => {
    const basis = costCents === null ? ('price' as const) : ('cost' as const);
    const unitValueCents = costCents ?? priceCents;
    return { ...rest, basis, unitValueCents, valueCents: Math.max(rest.onHand, 0) * unitValueCents };
  });
  const totals = perCurrency(rows, ['units', 'valueCents', 'variantsAtPrice'] as const, (r, f) =>
    f === 'units' ? Math.max(r.onHand, 0) : f === 'valueCents' ? r.valueCents : Number(r.basis === 'price'),
  );
  return { rows, totals };
}

export function shapeLowStock(sources: readonly LowStockSource[]): Shaped<'lowStock'> {
  const rows = sources.map((s) => {
    const available = s.onHand - s.reserved;
    return { ...s, available, shortfall: s.lowStockThreshold - available };
  });
  return { rows, totals: { variants: rows.length, outOfStock: rows.filter((r) => r.available <= 0).length } };
}

export function movementTotals(rows: readonly MovementSource[]): Outputs['movements']['totals'] {
  let unitsIn = 0;
  let unitsOut = 0;
  for (const r of rows) {
    if (r.onHandDelta > 0) unitsIn += r.onHandDelta;
    else unitsOut -= r.onHandDelta;
  }
  return { movements: rows.length, unitsIn, unitsOut, netUnits: unitsIn - unitsOut };
}

export function orderTotals(rows: readonly OrderSource[]): Outputs['orders']['totals'] {
  return perCurrency(rows, ['orders', 'totalCents', 'refundedCents'] as const, (r, f) => (f === 'orders' ? 1 : r[f]));
}

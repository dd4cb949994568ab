/**
 * The headline figures above a report's chart and table, from the report's totals (over every
 * match, not just the rows shown). Totals in several currencies stack, one line each: a store may
 * sell in more than one, and adding them up would be wrong.
 */
import type { ReactNode } from 'react';
import type { ReportName, ReportOutput } from '../../../../shared/contract/reports.js';
import { Money } from '../../components/Money.js';
import { formatCount } from '../../lib/format.js';
import { signed } from './report-format.js';

export interface Kpi {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: 'danger' | 'warning';
}

type Totals = { currency: string }[];
/** One line per currency of a money figure. */
function moneyLines<T extends { currency: string }>(totals: T[], cents: (t: T) => number): ReactNode {
  if (totals.length === 0) return <Money cents={0} currency="USD" />;
  return totals.map((t) => (
    <div key={t.currency}>
      <Money cents={cents(t)} currency={t.currency} />
    </div>
  ));
}
const sum = <T,>(totals: T[], pick: (t: T) => number) => totals.reduce((n, t) => n + pick(t), 0);
const currencies = (totals: Totals) => (totals.length > 1 ? `${totals.length} currencies` : undefined);

export function kpisOf<N extends ReportName>(report: N, output: ReportOutput<N>): Kpi[] {
  const o = output as ReportOutput<ReportName>;
  switch (report) {
    case 'sales': {
      const t = (o as ReportOutput<'sales'>).totals;
      return [
        { label: 'Revenue', value: moneyLines(t, (x) => x.revenueCents), hint: currencies(t) },
        {
          label: 'Orders',
          value: formatCount(sum(t, (x) => x.orders)),
          hint: `paid · ${formatCount(sum(t, (x) => x.cancelledOrders))} cancelled`,
        },
        { label: 'Average order value', value: moneyLines(t, (x) => x.averageOrderValueCents) },
        { label: 'Refunds', value: moneyLines(t, (x) => x.refundsCents) },
        { label: 'Net revenue', value: moneyLines(t, (x) => x.netRevenueCents) },
      ];
    }
    case 'topProducts': {
      const t = (o as ReportOutput<'topProducts'>).totals;
      return [
        { label: 'Revenue, all products', value: moneyLines(t, (x) => x.revenueCents), hint: currencies(t) },
        { label: 'Units sold, all products', value: formatCount(sum(t, (x) => x.unitsSold)) },
        { label: 'Products ranked', value: formatCount(o.rows.length) },
      ];
    }
    case 'inventoryValuation': {
      const t = (o as ReportOutput<'inventoryValuation'>).totals;
      const atPrice = sum(t, (x) => x.variantsAtPrice);
      return [
        { label: 'Stock value', value: moneyLines(t, (x) => x.valueCents), hint: currencies(t) },
        { label: 'Units on hand', value: formatCount(sum(t, (x) => x.units)) },
        { label: 'Variants in stock', value: formatCount(o.rows.length) },
        {
          label: 'Valued at selling price',
          value: formatCount(atPrice),
          hint: 'variants without a cost price',
          ...(atPrice > 0 ? { tone: 'warning' as const } : {}),
        },
      ];
    }
    case 'lowStock': {
      const t = (o as ReportOutput<'lowStock'>).totals;
      return [
        {
          label: 'At or below threshold',
          value: formatCount(t.variants),
          ...(t.variants > 0 ? { tone: 'warning' } : {}),
        },
        { label: 'Out of stock', value: formatCount(t.outOfStock), ...(t.outOfStock > 0 ? { tone: 'danger' } : {}) },
      ];
    }
    case 'movements': {
      const t = (o as ReportOutput<'movements'>).totals;
      return [
        { label: 'Movements', value: formatCount(t.movements) },
        { label: 'Units in', value: formatCount(t.unitsIn) },
        { label: 'Units out', value: formatCount(t.unitsOut) },
        { label: 'Net change', value: signed(t.netUnits) },
      ];
    }
    case 'orders': {
      const t = (o as ReportOutput<'orders'>).totals;
      return [
        { label: 'Orders', value: formatCount(sum(t, (x) => x.orders)) },
        { label: 'Order total', value: moneyLines(t, (x) => x.totalCents), hint: currencies(t) },
        { label: 'Refunded', value: moneyLines(t, (x) => x.refundedCents) },
      ];
    }
  }
  return [];
}

/** Cards in a row; `kpis` undefined shows placeholders of the same size, so nothing jumps when data lands. */
export function KpiRow({ kpis, placeholders = 4 }: { kpis: Kpi[] | undefined; placeholders?: number }) {
  if (!kpis)
    return (
      <div className="report-kpis" aria-busy="true">
        {Array.from({ length: placeholders }, (_, i) => (
          <div key={i} className="report-kpi">
            <span className="skeleton report-kpi-skeleton-label" />
            <span className="skeleton report-kpi-skeleton-value" />
          </div>
        ))}
      </div>
    );
  return (
    <dl className="report-kpis">
      {kpis.map((kpi) => (
        <div key={kpi.label} className={kpi.tone ? `report-kpi report-kpi-${kpi.tone}` : 'report-kpi'}>
          <dt className="report-kpi-label">{kpi.label}</dt>
          <dd className="report-kpi-value">{kpi.value}</dd>
          {kpi.hint && <dd className="report-kpi-hint">{kpi.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}

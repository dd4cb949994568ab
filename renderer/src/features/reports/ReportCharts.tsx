/**
 * Charts (recharts) for the reports that read best as a picture: revenue and orders per period,
 * and the best sellers. One currency per chart: bars in different currencies on one axis would
 * compare numbers that are not comparable, so the chart shows the currency that sold the most.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { ReportOutput } from '../../../../shared/contract/reports.js';
import { formatCents, formatCount } from '../../lib/format.js';
import { periodLabel } from './report-format.js';

// SVG presentation attributes cannot read CSS variables: these mirror tokens.css.
const ACCENT = '#3158d4';
const SUCCESS = '#1d7a46';
const GRID = '#e1e5eb';
const AXIS = '#8a94a3';
const HEIGHT = 260;

/** Bars grow in unless the user asked the system for less motion. */
const animate = (): boolean =>
  typeof window.matchMedia !== 'function' || !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** The currency with the most revenue, or undefined when nothing sold. */
export function mainCurrency(totals: { currency: string; revenueCents: number }[]): string | undefined {
  return [...totals].sort((a, b) => b.revenueCents - a.revenueCents)[0]?.currency;
}

/** 123456 cents → '$1.2K': axis ticks need to be short. */
function compactMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact' }).format(cents / 100);
  } catch {
    return formatCents(cents, currency);
  }
}

interface ChartTipRow {
  label: string;
  value: string;
  color: string;
}
function ChartTip({ title, rows }: { title: string; rows: ChartTipRow[] }) {
  return (
    <div className="chart-tip">
      <div className="chart-tip-title">{title}</div>
      {rows.map((row) => (
        <div key={row.label} className="chart-tip-row">
          <svg width="8" height="8" aria-hidden>
            <rect width="8" height="8" rx="2" fill={row.color} />
          </svg>
          <span className="chart-tip-label">{row.label}</span>
          <span className="chart-tip-value">{row.value}</span>
        </div>
      ))}
    </div>
  );
}

type SalesRow = ReportOutput<'sales'>['rows'][number];
type GroupBy = 'day' | 'week' | 'month';

export function SalesChart({ output, groupBy }: { output: ReportOutput<'sales'>; groupBy: GroupBy }) {
  const currency = mainCurrency(output.totals) ?? 'USD';
  const data = output.rows.filter((r) => r.currency === currency || output.totals.length === 0);
  const tip = ({ active, payload }: TooltipContentProps) => {
    const row = active ? (payload[0]?.payload as SalesRow | undefined) : undefined;
    if (!row) return null;
    return (
      <ChartTip
        title={periodLabel(row.period, groupBy)}
        rows={[
          { label: 'Revenue', value: formatCents(row.revenueCents, currency), color: ACCENT },
          { label: 'Orders', value: formatCount(row.orders), color: SUCCESS },
          { label: 'Avg. order', value: formatCents(row.averageOrderValueCents, currency), color: GRID },
        ]}
      />
    );
  };
  return (
    <figure className="report-chart" aria-label={`Revenue and orders by ${groupBy} (${currency})`}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis
            dataKey="period"
            tickFormatter={(p: string) => periodLabel(p, groupBy, true)}
            tick={{ fill: AXIS, fontSize: 11 }}
            tickLine={false}
            axisLine={{ stroke: GRID }}
            minTickGap={16}
          />
          <YAxis
            yAxisId="money"
            tickFormatter={(c: number) => compactMoney(c, currency)}
            tick={{ fill: AXIS, fontSize: 11 }}
            tickLine={false}
            axisLine={false}
            width={64}
          />
          <YAxis
            yAxisId="orders"
            orientation="right"
            allowDecimals={false}
            tick={{ fill: AXIS, fontSize: 11 }}
            tickLine={false}
            axisLine={false}
            width={36}
          />
          <Tooltip content={tip} cursor={{ fill: '#eef1f6' }} />
          <Bar
            yAxisId="money"
            dataKey="revenueCents"
            name="Revenue"
            fill={ACCENT}
            radius={[3, 3, 0, 0]}
            maxBarSize={36}
            isAnimationActive={animate()}
          />
          <Line
            yAxisId="orders"
            dataKey="orders"
            name="Orders"
            stroke={SUCCESS}
            strokeWidth={2}
            dot={false}
            type="monotone"
            isAnimationActive={animate()}
          />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="report-chart-legend">
        <span className="legend-swatch" data-color="accent" /> Revenue ({currency})
        <span className="legend-swatch" data-color="success" /> Orders
      </figcaption>
    </figure>
  );
}

type TopRow = ReportOutput<'topProducts'>['rows'][number];

export function TopProductsChart({ output, by }: { output: ReportOutput<'topProducts'>; by: 'revenue' | 'units' }) {
  const currency = mainCurrency(output.totals);
  const data = output.rows.filter((r) => r.currency === currency).slice(0, 10);
  const key = by === 'revenue' ? 'revenueCents' : 'unitsSold';
  const tip = ({ active, payload }: TooltipContentProps) => {
    const row = active ? (payload[0]?.payload as TopRow | undefined) : undefined;
    if (!row) return null;
    return (
      <ChartTip
        title={row.name}
        rows={[
          { label: 'Revenue', value: formatCents(row.revenueCents, row.currency), color: ACCENT },
          { label: 'Units sold', value: formatCount(row.unitsSold), color: SUCCESS },
        ]}
      />
    );
  };
  if (data.length === 0) return null;
  return (
    <figure className="report-chart" aria-label={`Top ${data.length} products by ${by}`}>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 30 + 24)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={GRID} horizontal={false} />
          <XAxis
            type="number"
            dataKey={key}
            tickFormatter={(v: number) => (by === 'revenue' ? compactMoney(v, currency ?? 'USD') : formatCount(v))}
            tick={{ fill: AXIS, fontSize: 11 }}
            tickLine={false}
            axisLine={false}
          />
          <YAxis
            type="category"
            dataKey="name"
            width={200}
            tick={{ fill: '#556070', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            interval={0}
          />
          <Tooltip content={tip} cursor={{ fill: '#eef1f6' }} />
          <Bar
            dataKey={key}
            fill={by === 'revenue' ? ACCENT : SUCCESS}
            radius={[0, 3, 3, 0]}
            barSize={16}
            isAnimationActive={animate()}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

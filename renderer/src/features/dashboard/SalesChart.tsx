/**
 * Revenue per day over the last 30 days (recharts), in the store's main currency, with orders in the
 * tooltip. Every day is drawn, zero included, so a quiet week reads as a dip rather than a gap.
 */
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCents, formatCount, userLocale } from '../../lib/format.js';
import type { ChartPoint } from './sales-series.js';

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
// Calendar days are formatted as UTC midnights: the day itself, whatever this machine's zone.
const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
const longDayLabel = (day: string) => longDayFormat.format(new Date(`${day}T00:00:00Z`));

/** "$1.2K" on the axis: exact figures are in the tooltip. */
function compactMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat(userLocale(), {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(cents / 100);
}

export function SalesChart({ points, currency }: { points: readonly ChartPoint[]; currency: string }) {
  const total = points.reduce((sum, p) => sum + p.revenueCents, 0);
  const orders = points.reduce((sum, p) => sum + p.orders, 0);
  const summary = `Revenue over the last ${points.length} days: ${formatCents(total, currency)} from ${formatCount(orders)} orders`;
  return (
    <div className="sales-chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 240 }}>
        <AreaChart data={[...points]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id="sales-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#3158d4" stopOpacity={0.22} />
              <stop offset="100%" stopColor="#3158d4" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid vertical={false} stroke="#e1e5eb" />
          <XAxis
            dataKey="day"
            tickFormatter={dayLabel}
            tickLine={false}
            axisLine={{ stroke: '#c9d0da' }}
            tick={{ fill: '#556070', fontSize: 11 }}
            minTickGap={24}
          />
          <YAxis
            tickFormatter={(value: number) => compactMoney(value, currency)}
            tickLine={false}
            axisLine={false}
            tick={{ fill: '#556070', fontSize: 11 }}
            width={56}
            allowDecimals={false}
          />
          <Tooltip
            cursor={{ stroke: '#c9d0da' }}
            content={({ active, payload }) => {
              const point = active ? (payload[0]?.payload as ChartPoint | undefined) : undefined;
              if (!point) return null;
              return (
                <div className="chart-tooltip">
                  <div className="chart-tooltip-title">{longDayLabel(point.day)}</div>
                  <div>{formatCents(point.revenueCents, currency)}</div>
                  <div className="muted">{point.orders === 1 ? '1 order' : `${formatCount(point.orders)} orders`}</div>
                </div>
              );
            }}
          />
          <Area
            type="monotone"
            dataKey="revenueCents"
            stroke="#3158d4"
            strokeWidth={2}
            fill="url(#sales-fill)"
            isAnimationActive={false}
            name="Revenue"
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

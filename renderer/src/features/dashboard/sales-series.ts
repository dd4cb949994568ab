/**
 * Pure helpers behind the dashboard's sales figures: calendar days in the shop's (this computer's)
 * time zone, the 30-day series a chart needs (every day present, zero when nothing sold), and which
 * currency to headline when a store sells in several.
 */
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { FALLBACK_CURRENCY } from '../products/format.js';

type SalesReport = ChannelOutput<'reports:sales'>;
export type SalesFigures = SalesReport['totals'][number];
export type SalesRow = SalesReport['rows'][number];

export const CHART_DAYS = 30;

/** `YYYY-MM-DD` of the local calendar day containing `at`: "today" means today where the staff are. */
export function localDay(at: Date | number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Day arithmetic on calendar dates (UTC maths on the date alone, so DST shifts cannot skip or repeat a day). */
export function addDays(day: string, days: number): string {
  const time = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The currency with the most revenue (a store with one currency: that one). */
export function primaryCurrency(figures: readonly SalesFigures[]): string {
  let best: SalesFigures | undefined;
  for (const f of figures) if (!best || f.revenueCents > best.revenueCents) best = f;
  return best?.currency ?? FALLBACK_CURRENCY;
}

export const zeroFigures = (currency: string): SalesFigures => ({
  currency,
  orders: 0,
  revenueCents: 0,
  refundsCents: 0,
  netRevenueCents: 0,
  averageOrderValueCents: 0,
  cancelledOrders: 0,
});

export interface ChartPoint {
  day: string;
  revenueCents: number;
  orders: number;
}

/** One point per day from `from` to `to` in `currency`; days the report left out count as zero. */
export function dailySeries(rows: readonly SalesRow[], from: string, to: string, currency: string): ChartPoint[] {
  const byDay = new Map<string, SalesRow>();
  for (const row of rows) if (row.currency === currency) byDay.set(row.period, row);
  const points: ChartPoint[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const row = byDay.get(day);
    points.push({ day, revenueCents: row?.revenueCents ?? 0, orders: row?.orders ?? 0 });
  }
  return points;
}

/** Relative change from `before` to `now`, or null when there is nothing to compare with. */
export function change(now: number, before: number): number | null {
  if (before === 0) return null;
  return (now - before) / before;
}

import { describe, expect, it } from 'vitest';
import { addDays, change, dailySeries, localDay, primaryCurrency, type SalesRow, zeroFigures } from './sales-series.js';

const row = (period: string, currency: string, revenueCents: number, orders: number): SalesRow => ({
  ...zeroFigures(currency),
  period,
  revenueCents,
  orders,
});

describe('sales series', () => {
  it('walks calendar days across month ends and DST changes without skipping', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
  });

  it('names the local calendar day, not the UTC one', () => {
    const lateEvening = new Date(2026, 10, 29, 23, 30);
    expect(localDay(lateEvening)).toBe('2026-11-29');
    expect(localDay(new Date(2026, 0, 5, 0, 5))).toBe('2026-01-05');
  });

  it('fills every day of the range, zero where the report has nothing, in one currency', () => {
    const rows = [row('2026-11-02', 'USD', 500, 1), row('2026-11-02', 'EUR', 900, 3), row('2026-11-04', 'USD', 250, 2)];
    const points = dailySeries(rows, '2026-11-01', '2026-11-05', 'USD');
    expect(points.map((p) => p.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']);
    expect(points.map((p) => p.revenueCents)).toEqual([0, 500, 0, 250, 0]);
    expect(points.map((p) => p.orders)).toEqual([0, 1, 0, 2, 0]);
  });

  it('headlines the currency with the most revenue, and USD when nothing sold', () => {
    expect(
      primaryCurrency([
        { ...zeroFigures('EUR'), revenueCents: 10 },
        { ...zeroFigures('GBP'), revenueCents: 99 },
      ]),
    ).toBe('GBP');
    expect(primaryCurrency([])).toBe('USD');
  });

  it('compares with the day before only when there was something', () => {
    expect(change(150, 100)).toBeCloseTo(0.5);
    expect(change(50, 100)).toBeCloseTo(-0.5);
    expect(change(10, 0)).toBeNull();
  });
});

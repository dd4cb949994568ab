import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffice } from '../../../shared/contract/backoffice.js';
import type { Store } from '../db/store.js';
import { reportsHandlers } from '../handlers/reports.handlers.js';
import { emptyStore, productId, reportStore } from './fixture.js';

const JAN = { from: '2026-01-01', to: '2026-01-31' };
const NY = 'America/New_York';
let store: Store;
let h: ReturnType<typeof reportsHandlers>;
beforeEach(() => {
  store = reportStore();
  h = reportsHandlers(store);
});
afterEach(() => store.close());

/** Runs a channel and checks its answer against the channel's own output schema. */
async function call<K extends keyof ReturnType<typeof reportsHandlers>>(name: K, input: unknown) {
  const output = await h[name](input);
  expect(backoffice[name].output.safeParse(output).success).toBe(true);
  return output as Awaited<ReturnType<(typeof h)[K]>>;
}
const usd = <T extends { currency: string }>(rows: T[]) => rows.filter((r) => r.currency === 'USD');

describe('sales summary', () => {
  it('sums paid orders per day, leaving out cancelled and unpaid ones, with refunds and AOV', async () => {
    const out = await call('reports:sales', JAN);
    expect(out.totals).toEqual([
      {
        currency: 'EUR',
        orders: 1,
        revenueCents: 1000,
        refundsCents: 0,
        netRevenueCents: 1000,
        averageOrderValueCents: 1000,
        cancelledOrders: 0,
      },
      // 2500 + 4000 + 1500 (the 9999 unpaid and the 3000 cancelled are out); 8000 / 3 rounds to 2667.
      {
        currency: 'USD',
        orders: 3,
        revenueCents: 8000,
        refundsCents: 2500,
        netRevenueCents: 5500,
        averageOrderValueCents: 2667,
        cancelledOrders: 1,
      },
    ]);
    expect(out.rows).toHaveLength(31 * 2); // every day, for each currency seen
    expect(out.rows.find((r) => r.period === '2026-01-05' && r.currency === 'USD')).toMatchObject({
      orders: 1,
      revenueCents: 2500,
      cancelledOrders: 1,
    });
    expect(out.rows.find((r) => r.period === '2026-01-12' && r.currency === 'USD')).toMatchObject({
      orders: 1,
      revenueCents: 1500,
      refundsCents: 1500,
      netRevenueCents: 0,
    });
    expect(out.rows.find((r) => r.period === '2026-01-20')).toMatchObject({ orders: 0, revenueCents: 0 });
    expect(out.notes.join(' ')).toMatch(/cancelled and unpaid orders are excluded/);
  });

  it('puts orders on the day they were placed in the chosen time zone', async () => {
    const out = await call('reports:sales', { ...JAN, timeZone: NY });
    // Order 2 (03:00 UTC on the 6th) belongs to the 5th in New York; order 7 (02:00 UTC on 1 Feb) to 31 Jan.
    expect(out.rows.find((r) => r.period === '2026-01-05' && r.currency === 'USD')).toMatchObject({
      orders: 2,
      revenueCents: 6500,
    });
    expect(out.rows.find((r) => r.period === '2026-01-06' && r.currency === 'USD')).toMatchObject({ orders: 0 });
    expect(out.rows.find((r) => r.period === '2026-01-31' && r.currency === 'USD')).toMatchObject({
      orders: 1,
      revenueCents: 500,
    });
    expect(usd(out.totals)[0]).toMatchObject({ orders: 4, revenueCents: 8500 });
  });

  it('groups by ISO week (Monday) and by month', async () => {
    const weeks = await call('reports:sales', { ...JAN, groupBy: 'week' });
    expect(usd(weeks.rows).map((r) => [r.period, r.orders, r.revenueCents])).toEqual([
      ['2025-12-29', 0, 0],
      ['2026-01-05', 2, 6500],
      ['2026-01-12', 1, 1500],
      ['2026-01-19', 0, 0],
      ['2026-01-26', 0, 0],
    ]);
    const months = await call('reports:sales', { ...JAN, groupBy: 'month' });
    expect(usd(months.rows)).toEqual([{ period: '2026-01', ...usd(months.totals)[0]! }]);
  });

  it('answers empty rows and totals when no order falls in the range', async () => {
    const out = await call('reports:sales', { from: '2025-01-01', to: '2025-01-31' });
    expect(out).toMatchObject({ rows: [], totals: [], truncated: false });
    const empty = emptyStore();
    expect((await reportsHandlers(empty)['reports:sales'](JAN)).totals).toEqual([]);
    empty.close();
  });
});

describe('top products', () => {
  it('ranks paid line totals by revenue or by units, per currency, totals over all products', async () => {
    const byRevenue = await call('reports:topProducts', JAN);
    expect(byRevenue.rows.map((r) => [r.rank, r.name, r.currency, r.unitsSold, r.revenueCents, r.orders])).toEqual([
      [1, 'Merino black 2', 'USD', 4, 3504, 2], // cancelled (5) and unpaid (9) units are out
      [2, 'Trail black 1', 'USD', 5, 3250, 2],
      [3, 'Trail black 1', 'EUR', 1, 1000, 1],
    ]);
    const byUnits = await call('reports:topProducts', { ...JAN, by: 'units', limit: 1 });
    expect(byUnits.rows).toEqual([
      {
        rank: 1,
        productId: productId(1),
        name: 'Trail black 1',
        currency: 'USD',
        unitsSold: 5,
        revenueCents: 3250,
        orders: 2,
      },
    ]);
    expect(byUnits.totals).toEqual([
      { currency: 'EUR', unitsSold: 1, revenueCents: 1000 },
      { currency: 'USD', unitsSold: 9, revenueCents: 6754 },
    ]);
  });

  it('keeps a product that is gone under the name it was sold as', async () => {
    const out = await call('reports:topProducts', { ...JAN, timeZone: NY });
    expect(out.rows.at(-1)).toMatchObject({ productId: null, name: 'Old mug', unitsSold: 3, revenueCents: 500 });
  });
});

describe('inventory valuation', () => {
  it('values at cost, falls back to price (marked), values oversold stock at zero, skips archived', async () => {
    const out = await call('reports:inventoryValuation', {});
    expect(out.rows.map((r) => [r.sku, r.onHand, r.basis, r.unitValueCents, r.valueCents])).toEqual([
      ['SKU-5-0', -2, 'cost', 400, 0],
      ['SKU-2-0', 3, 'price', 1002, 3006],
      ['SKU-1-0', 10, 'cost', 400, 4000],
      ['SKU-1-1', 10, 'cost', 400, 4000],
    ]);
    expect(out.totals).toEqual([{ currency: 'USD', units: 23, valueCents: 11006, variantsAtPrice: 1 }]);
    const all = await call('reports:inventoryValuation', { includeArchived: true });
    expect(all.rows.map((r) => r.sku)).toContain('SKU-4-0');
    expect(all.totals[0]!.valueCents).toBe(11406);
  });
});

describe('low stock', () => {
  it('lists non-archived variants at or below their threshold, emptiest first', async () => {
    const out = await call('reports:lowStock', undefined);
    expect(out.rows.map((r) => [r.sku, r.onHand, r.reserved, r.available, r.shortfall])).toEqual([
      ['SKU-5-0', -2, 0, -2, 7],
      ['SKU-3-0', 0, 0, 0, 5],
      ['SKU-2-0', 3, 1, 2, 3],
    ]);
    expect(out.totals).toEqual({ variants: 3, outOfStock: 2 });
  });
});

describe('stock movements', () => {
  it('lists the range in time order with totals, in the chosen time zone and filters', async () => {
    const day = { from: '2026-01-04', to: '2026-01-04' };
    const utc = await call('reports:movements', day);
    expect(utc.rows.map((r) => [r.sku, r.onHandDelta, r.location, r.reference])).toEqual([
      ['SKU-2-0', 3, 'main', ''],
      ['SKU-1-0', -2, 'main', 'NX-1'],
    ]);
    expect(utc.totals).toEqual({ movements: 2, unitsIn: 3, unitsOut: 2, netUnits: 1 });
    expect((await call('reports:movements', { ...day, timeZone: NY })).rows.map((r) => r.sku)).toEqual(['SKU-1-0']);
    expect((await call('reports:movements', { ...JAN, kind: 'sale' })).totals.movements).toBe(1);
  });

  it('says only the last 30 days are synced', async () => {
    const out = await call('reports:movements', JAN);
    expect(out.notes[0]).toMatch(/last 30 days/);
  });
});

describe('orders', () => {
  it('lists orders of every status with customer, items and per-currency totals', async () => {
    const out = await call('reports:orders', JAN);
    expect(out.rows.map((r) => [r.number, r.status, r.customerName, r.items])).toEqual([
      ['NX-100001', 'paid', 'Ada Lovelace', 4],
      ['NX-100003', 'cancelled', 'Ada Lovelace', 5],
      ['NX-100004', 'pending_payment', 'Ada Lovelace', 9],
      ['NX-100002', 'partially_refunded', 'Grace Hopper', 3], // a guest: the shipping name
      ['NX-100006', 'paid', 'Ada Lovelace', 1],
      ['NX-100005', 'refunded', 'Ada Lovelace', 2],
    ]);
    expect(out.totals).toEqual([
      { currency: 'EUR', orders: 1, totalCents: 1000, refundedCents: 0 },
      { currency: 'USD', orders: 5, totalCents: 20999, refundedCents: 2500 },
    ]);
    const cancelled = await call('reports:orders', { ...JAN, status: ['cancelled'] });
    expect(cancelled.rows.map((r) => r.number)).toEqual(['NX-100003']);
  });

  it('caps the rows at limit, says so, and keeps totals over every match', async () => {
    const out = await call('reports:orders', { ...JAN, limit: 2 });
    expect(out.rows).toHaveLength(2);
    expect(out.truncated).toBe(true);
    expect(out.notes.join(' ')).toMatch(/first 2 rows/);
    expect(out.totals.find((t) => t.currency === 'USD')!.orders).toBe(5);
  });
});

describe('bad parameters', () => {
  const cases: [string, keyof ReturnType<typeof reportsHandlers>, unknown, string][] = [
    ['no range', 'reports:sales', {}, 'from'],
    ['a bad date', 'reports:sales', { ...JAN, from: '2026-13-01' }, 'from'],
    ['a timestamp for a date', 'reports:orders', { ...JAN, to: '2026-01-31T00:00:00Z' }, 'to'],
    ['from after to', 'reports:sales', { from: '2026-02-01', to: '2026-01-01' }, 'from'],
    ['a range over two years', 'reports:movements', { from: '2024-01-01', to: '2026-01-31' }, 'to'],
    ['an unknown time zone', 'reports:sales', { ...JAN, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a number for a time zone', 'reports:sales', { ...JAN, timeZone: 5 }, 'timeZone'],
    ['an unknown grouping', 'reports:sales', { ...JAN, groupBy: 'year' }, 'groupBy'],
    ['a zero limit', 'reports:topProducts', { ...JAN, limit: 0 }, 'limit'],
    ['a limit over the cap', 'reports:topProducts', { ...JAN, limit: 101 }, 'limit'],
    ['a fractional limit', 'reports:lowStock', { limit: 1.5 }, 'limit'],
    ['a string flag', 'reports:inventoryValuation', { includeArchived: 'yes' }, 'includeArchived'],
    ['an unknown kind', 'reports:movements', { ...JAN, kind: 'theft' }, 'kind'],
    ['an empty status list', 'reports:orders', { ...JAN, status: [] }, 'status'],
    ['an extra field', 'reports:lowStock', { limit: 5, extra: 1 }, ''],
    ['a string input', 'reports:sales', 'x', ''],
    ['no format', 'reports:export', { report: 'lowStock', params: {} }, 'format'],
    ['an unknown format', 'reports:export', { report: 'lowStock', params: {}, format: 'docx' }, 'format'],
    ['an unknown report', 'reports:export', { report: 'payroll', params: {}, format: 'csv' }, 'report'],
    ['params of another report', 'reports:export', { report: 'lowStock', params: JAN, format: 'csv' }, 'params'],
    [
      'bad params of the report',
      'reports:export',
      { report: 'sales', params: { from: 'x', to: JAN.to }, format: 'pdf' },
      'params',
    ],
  ];

  it.each(cases)('refuses %s with validation_failed', async (_label, name, input, path) => {
    const error = (await h[name](input).catch((e: unknown) => e)) as { code: string; errors: { path: string }[] };
    expect(error).toMatchObject({ name: 'AppError', code: 'validation_failed' });
    expect(error.errors.length).toBeGreaterThan(0);
    if (path) expect(error.errors.map((e) => e.path.split('.')[0])).toContain(path);
  });

  it('accepts the longest range and fills defaults', async () => {
    const out = await call('reports:sales', { from: '2024-01-31', to: '2026-01-30' });
    expect(out.rows.length).toBe(731 * 2);
  });
});

import { act, render, screen, waitFor, within } from '@testing-library/react';
import { cloneElement, type ReactElement } from 'react';
import type * as Recharts from 'recharts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { useDataVersionStore } from '../../lib/stores/data-version.js';
import { handleHostEvent } from '../../lib/stores/host-events.js';
import { type FakeBridge, installFakeBridge } from '../../test/fake-bridge.js';
import { DashboardScreen } from './DashboardScreen.js';
import { addDays, localDay, zeroFigures } from './sales-series.js';

// happy-dom lays nothing out, so the chart's container measures 0×0: give the chart a fixed size instead.
vi.mock('recharts', async (importOriginal) => {
  const actual = await importOriginal<typeof Recharts>();
  return {
    ...actual,
    ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) =>
      cloneElement(children, { width: 600, height: 220 }),
  };
});

const ORDER_ID = '01890000-0000-7000-8000-0000000000a1';
const PRODUCT_ID = '01890000-0000-7000-8000-0000000000b1';
const today = localDay(Date.now());
const yesterday = addDays(today, -1);

type Sales = ChannelOutput<'reports:sales'>;
const sales = (rows: Sales['rows'], totals: Sales['totals']): Sales => ({
  rows,
  totals,
  truncated: false,
  notes: [],
  generatedAt: new Date().toISOString(),
});
const usd = (over: Partial<Sales['totals'][number]>) => ({ ...zeroFigures('USD'), ...over });

let fake: FakeBridge;
let orderListCalls = 0;

function serveAll() {
  fake.answer('reports:sales', (input) => {
    const { from } = input as { from: string };
    // Today alone → today's totals; the 30-day range → yesterday and today as rows.
    if (from === today)
      return { ok: true, value: sales([], [usd({ orders: 3, revenueCents: 15_000, averageOrderValueCents: 5000 })]) };
    return {
      ok: true,
      value: sales(
        [
          { ...usd({ orders: 2, revenueCents: 10_000, averageOrderValueCents: 5000 }), period: yesterday },
          { ...usd({ orders: 3, revenueCents: 15_000, averageOrderValueCents: 5000 }), period: today },
        ],
        [usd({ orders: 5, revenueCents: 25_000, refundsCents: 1200 })],
      ),
    };
  });
  fake.answer('orders:list', () => {
    orderListCalls++;
    return {
      ok: true,
      value: {
        items: [
          {
            id: ORDER_ID,
            number: '1042',
            status: 'paid',
            email: 'ada@example.com',
            customerName: 'Ada Lovelace',
            totalCents: 4999,
            currency: 'USD',
            paymentStatus: 'succeeded',
            needsAttention: false,
            itemCount: 2,
            createdAt: new Date().toISOString(),
          },
        ],
        total: 1000,
        totalCapped: true,
      },
    };
  });
  fake.answer('stock:lowStock', {
    items: [
      {
        variantId: '01890000-0000-7000-8000-0000000000c1',
        sku: 'MUG-RED',
        title: 'Red',
        productId: PRODUCT_ID,
        productName: 'Enamel Mug',
        onHand: 2,
        reserved: 0,
        available: 2,
        lowStockThreshold: 5,
      },
    ],
    total: 1,
    totalCapped: false,
  });
  fake.answer('oversells:list', { items: [] });
  fake.answer('reports:topProducts', {
    rows: [],
    totals: [],
    truncated: false,
    notes: [],
    generatedAt: new Date().toISOString(),
  });
}

beforeEach(() => {
  fake = installFakeBridge();
  useDataVersionStore.setState({ versions: {} });
  orderListCalls = 0;
  serveAll();
});

const card = (name: string) => screen.getByRole('region', { name: new RegExp(name) });

describe('DashboardScreen', () => {
  it("shows today's sales for the local day, compared with yesterday", async () => {
    render(<DashboardScreen />);
    const kpis = screen.getByRole('region', { name: "Today's sales" });
    await waitFor(() => expect(within(kpis).getByText('$150.00')).toBeTruthy());
    expect(within(kpis).getByText('3')).toBeTruthy();
    // 15,000 vs 10,000 cents yesterday: up 50%.
    expect(within(kpis).getAllByText(/Up 50% vs yesterday/).length).toBe(2);
    const todayCall = fake.calls.find(
      (c) => c.channel === 'reports:sales' && (c.input as { from: string }).from === today,
    );
    expect(todayCall?.input).toMatchObject({ to: today, groupBy: 'day' });
    expect(typeof (todayCall?.input as { timeZone: string }).timeZone).toBe('string');
    // The month's total above the chart, and the chart of 30 days (with a text alternative).
    await waitFor(() => expect(screen.getByText('$250.00')).toBeTruthy());
    const chart = screen.getByRole('img', { name: /Revenue over the last 30 days: \$250\.00 from 5 orders/ });
    expect(chart.querySelector('svg')).toBeTruthy();
  });

  it('lists paid orders to fulfil, shows a capped count as 1,000+, and links each order', async () => {
    render(<DashboardScreen />);
    const orders = card('Orders to fulfil');
    await waitFor(() => expect(within(orders).getByText('1,000+')).toBeTruthy());
    const link = within(orders).getByRole('link', { name: /1042/ });
    expect(link.getAttribute('href')).toContain(`/orders/${ORDER_ID}`);
    const call = fake.calls.find((c) => c.channel === 'orders:list');
    expect(call?.input).toMatchObject({ status: ['paid'] });
  });

  it('shows low stock with what is left, and an empty state for oversells', async () => {
    render(<DashboardScreen />);
    const low = card('Low stock');
    await waitFor(() => expect(within(low).getByText('2 left')).toBeTruthy());
    expect(
      within(low)
        .getByRole('link', { name: /Enamel Mug/ })
        .getAttribute('href'),
    ).toContain(`/products/${PRODUCT_ID}`);
    await waitFor(() => expect(within(card('Oversells')).getByText(/No oversells/)).toBeTruthy());
  });

  it('reads the orders again when a sync pass changes them', async () => {
    render(<DashboardScreen />);
    await waitFor(() => expect(orderListCalls).toBe(1));
    act(() => handleHostEvent({ type: 'changed', tables: ['products'] }));
    act(() => handleHostEvent({ type: 'changed', tables: ['orders'] }));
    await waitFor(() => expect(orderListCalls).toBe(2));
  });

  it('keeps the other cards when one fails, and says what failed on that card', async () => {
    fake.fail('oversells:list', 'internal', 'The local store is busy');
    render(<DashboardScreen />);
    await waitFor(() => expect(within(card('Oversells')).getByRole('alert').textContent).toContain('busy'));
    await waitFor(() => expect(within(card('Low stock')).getByText('Enamel Mug')).toBeTruthy());
  });
});

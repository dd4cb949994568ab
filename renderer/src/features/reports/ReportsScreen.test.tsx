import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportOutput } from '../../../../shared/contract/reports.js';
import { useDataVersionStore } from '../../lib/stores/data-version.js';
import { handleHostEvent } from '../../lib/stores/host-events.js';
import { useToastStore } from '../../lib/stores/toasts.js';
import { type FakeBridge, installFakeBridge } from '../../test/fake-bridge.js';
import { ReportsScreen } from './ReportsScreen.js';
import { useReportsStore } from './reports-store.js';

const GENERATED = new Date().toISOString();
const figures = { currency: 'USD', refundsCents: 0, cancelledOrders: 1 };
const SALES: ReportOutput<'sales'> = {
  rows: [
    {
      period: '2026-03-02',
      orders: 2,
      revenueCents: 4000,
      netRevenueCents: 4000,
      averageOrderValueCents: 2000,
      ...figures,
    },
    {
      period: '2026-03-03',
      orders: 1,
      revenueCents: 1999,
      netRevenueCents: 1999,
      averageOrderValueCents: 1999,
      ...figures,
    },
  ],
  totals: [{ orders: 3, revenueCents: 5999, netRevenueCents: 5999, averageOrderValueCents: 2000, ...figures }],
  truncated: false,
  notes: ['Refunds fall in the period their order was placed in.'],
  generatedAt: GENERATED,
};
const NOTHING_LOW: ReportOutput<'lowStock'> = {
  rows: [],
  totals: { variants: 0, outOfStock: 0 },
  truncated: false,
  notes: [],
  generatedAt: GENERATED,
};

// happy-dom lays nothing out: give the tables a viewport so rows render.
const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
});
afterAll(() => {
  if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
});

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  fake.answer('reports:sales', SALES);
  fake.answer('reports:lowStock', NOTHING_LOW);
  useReportsStore.getState().reset();
  useDataVersionStore.setState({ versions: {} });
  useToastStore.setState({ toasts: [] });
});
afterEach(() => vi.restoreAllMocks());

const callsTo = (channel: string) => fake.calls.filter((c) => c.channel === channel);
const lastInput = (channel: string) => callsTo(channel).at(-1)?.input as Record<string, unknown>;

/** The report is on screen once its table shows rows. */
const tableShown = () => screen.findByRole('grid', { name: 'Sales summary' });

async function renderSales() {
  render(<ReportsScreen />);
  await tableShown();
}

describe('ReportsScreen', () => {
  it('shows the sales summary: headline figures, one row per period, notes', async () => {
    await renderSales();
    const input = lastInput('reports:sales');
    expect(input.groupBy).toBe('day');
    expect(typeof input.timeZone).toBe('string');
    expect(input.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const revenue = screen.getByText('Revenue', { selector: 'dt' }).parentElement!;
    expect(within(revenue).getByText('$59.99')).toBeTruthy();
    expect(screen.getByText('paid · 1 cancelled')).toBeTruthy();
    const grid = screen.getByRole('grid', { name: 'Sales summary' });
    const rows = within(grid).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toMatch(/2 Mar|Mar 2/);
    expect(rows[0]!.textContent).toContain('$40.00');
    expect(screen.getByText('Refunds fall in the period their order was placed in.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '2 rows' })).toBeTruthy();
  });

  it('runs again after a parameter changes, with that parameter', async () => {
    await renderSales();
    const before = callsTo('reports:sales').length;
    fireEvent.change(screen.getByLabelText('Group by'), { target: { value: 'week' } });
    await waitFor(() => expect(lastInput('reports:sales').groupBy).toBe('week'));
    expect(callsTo('reports:sales').length).toBe(before + 1);
  });

  it('Enter (submitting the parameters) runs the report again at once, even unchanged', async () => {
    await renderSales();
    const before = callsTo('reports:sales').length;
    fireEvent.submit(screen.getByRole('form', { name: 'Report parameters' }));
    await waitFor(() => expect(callsTo('reports:sales').length).toBe(before + 1));
  });

  it('shows an impossible range on the field, never sends it, and cannot export it', async () => {
    await renderSales();
    const before = callsTo('reports:sales').length;
    const to = screen.getByLabelText<HTMLInputElement>('To').value;
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2099-01-01' } });
    expect(await screen.findByText('must not be after `to`')).toBeTruthy();
    expect(screen.getByLabelText('From').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Export as CSV' })).toHaveProperty('disabled', true);
    await new Promise((r) => setTimeout(r, 400));
    expect(callsTo('reports:sales').length).toBe(before);
    expect(callsTo('reports:export')).toHaveLength(0);
    // Emptying a date box gets plain words.
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '' } });
    expect(await screen.findByText('Pick an end date')).toBeTruthy();
    expect(to).toMatch(/^\d{4}-/);
  });

  it('runs again when the host says orders changed, not for other tables', async () => {
    await renderSales();
    const before = callsTo('reports:sales').length;
    act(() => handleHostEvent({ type: 'changed', tables: ['reviews'] }));
    await new Promise((r) => setTimeout(r, 50));
    expect(callsTo('reports:sales').length).toBe(before);
    act(() => handleHostEvent({ type: 'changed', tables: ['orders'] }));
    await waitFor(() => expect(callsTo('reports:sales').length).toBe(before + 1));
  });

  it('exports with the parameters on screen and downloads the file', async () => {
    fake.answer('reports:export', { fileName: 'sales-summary_x.csv', mimeType: 'text/csv', base64: btoa('a,b') });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await renderSales();
    fireEvent.click(screen.getByRole('button', { name: 'Export as CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(lastInput('reports:export')).toEqual({ report: 'sales', params: lastInput('reports:sales'), format: 'csv' });
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['Exported sales-summary_x.csv']);
  });

  it('a failed export says why and downloads nothing', async () => {
    fake.fail('reports:export', 'internal', 'disk full');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await renderSales();
    fireEvent.click(screen.getByRole('button', { name: 'Export as PDF' }));
    await waitFor(() =>
      expect(useToastStore.getState().toasts[0]).toMatchObject({ tone: 'danger', body: 'disk full' }),
    );
    expect(click).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Export as PDF' })).toHaveProperty('disabled', false);
  });

  it('each tab runs its own report; nothing low shows a calm empty state', async () => {
    await renderSales();
    fireEvent.click(screen.getByRole('tab', { name: 'Low stock' }));
    expect(await screen.findByText('Nothing is running low')).toBeTruthy();
    expect(lastInput('reports:lowStock')).toEqual({});
    expect(screen.queryByLabelText('From')).toBeNull();
    // The choice survives leaving the screen.
    expect(useReportsStore.getState().tab).toBe('lowStock');
  });

  it('order statuses filter as toggles; none pressed means every status', async () => {
    fake.answer('reports:orders', { rows: [], totals: [], truncated: false, notes: [], generatedAt: GENERATED });
    await renderSales();
    fireEvent.click(screen.getByRole('tab', { name: 'Orders' }));
    await screen.findByText('No orders match');
    expect(lastInput('reports:orders')).not.toHaveProperty('status');
    fireEvent.click(screen.getByRole('button', { name: 'Paid' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delivered' }));
    expect(screen.getByRole('button', { name: 'Paid' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(lastInput('reports:orders').status).toEqual(['paid', 'delivered']));
  });

  it('a report that fails says why and can be retried', async () => {
    fake.fail('reports:sales', 'internal', 'database is locked');
    render(<ReportsScreen />);
    expect(await screen.findByText(/database is locked/)).toBeTruthy();
    const before = callsTo('reports:sales').length;
    fake.answer('reports:sales', SALES);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await tableShown();
    expect(callsTo('reports:sales').length).toBe(before + 1);
    expect(screen.queryByText(/database is locked/)).toBeNull();
  });
});

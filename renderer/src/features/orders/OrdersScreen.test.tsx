import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Route, Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { installFakeBridge, type FakeBridge } from '../../test/fake-bridge.js';
import { ORDER_ID } from './order-fixture.js';
import { OrdersScreen } from './OrdersScreen.js';
import { useOrdersStore } from './orders-store.js';

type Row = ChannelOutput<'orders:list'>['items'][number];
const ROW: Row = {
  id: ORDER_ID,
  number: 'NX-100042',
  status: 'paid',
  email: 'ada@example.com',
  customerName: 'Ada Lovelace',
  totalCents: 6500,
  currency: 'USD',
  paymentStatus: 'succeeded',
  needsAttention: true,
  itemCount: 3,
  createdAt: '2026-01-02T10:00:00.000Z',
};

const original = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
});
afterAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', original.clientHeight ?? {});
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', original.clientWidth ?? {});
});

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useOrdersStore.setState({ statuses: [], q: '', range: { from: '', to: '' } });
  fake.answer('orders:list', (input) => {
    const status = (input as { status?: string[] }).status;
    const items = status && !status.includes('paid') ? [] : [ROW];
    return { ok: true, value: { items, total: items.length, totalCapped: false } };
  });
});

const lists = () => fake.calls.filter((c) => c.channel === 'orders:list').map((c) => c.input);

function open() {
  const location = memoryLocation({ path: '/orders', record: true });
  render(
    <Router hook={location.hook}>
      <Route path="/orders" component={OrdersScreen} />
    </Router>,
  );
  return location;
}

describe('OrdersScreen', () => {
  it('lists orders with status, payment, attention flag and total', async () => {
    open();
    expect(await screen.findByText('#NX-100042')).toBeTruthy();
    const grid = within(screen.getByRole('grid', { name: 'Orders' }));
    expect(grid.getByText('To fulfil')).toBeTruthy();
    expect(grid.getByText('Paid')).toBeTruthy();
    expect(grid.getByTitle(/Needs attention/)).toBeTruthy();
    expect(grid.getByText('$65.00')).toBeTruthy();
    expect(grid.getByText('Ada Lovelace')).toBeTruthy();
  });

  it('status chips combine into one status filter; All clears it', async () => {
    const user = userEvent.setup();
    open();
    await screen.findByText('#NX-100042');
    await user.click(screen.getByRole('button', { name: 'Shipped' }));
    await user.click(screen.getByRole('button', { name: 'Delivered' }));
    await waitFor(() => expect(lists().at(-1)).toMatchObject({ status: ['fulfilled', 'delivered'] }));
    expect(await screen.findByText('No orders match')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Delivered' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() => expect(lists().at(-1)).not.toHaveProperty('status'));
  });

  it('searches by text and opens an order with Enter', async () => {
    const user = userEvent.setup();
    const location = open();
    await screen.findByText('#NX-100042');
    await user.type(screen.getByLabelText('Search'), 'ada');
    await waitFor(() => expect(lists().at(-1)).toMatchObject({ q: 'ada' }));
    const grid = screen.getByRole('grid', { name: 'Orders' });
    fireEvent.focus(grid);
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(location.history?.at(-1)).toBe(`/orders/${ORDER_ID}`);
  });
});

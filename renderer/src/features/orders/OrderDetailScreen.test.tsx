import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route, Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { handleHostEvent } from '../../lib/stores/host-events.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { OrderDetailScreen } from './OrderDetailScreen.js';
import { ORDER_ID, orderFixture } from './order-fixture.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useSyncStore.setState({ status: syncStatus({ online: true }) });
});

function show(order: OrderDetail) {
  fake.answer('orders:get', order);
  render(
    <Router hook={memoryLocation({ path: `/orders/${order.id}` }).hook}>
      <Route path="/orders/:id" component={OrderDetailScreen} />
    </Router>,
  );
  return screen.findByRole('heading', { name: `Order #${order.number}` });
}

const sent = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);
const errorOf = (label: RegExp) => {
  const ids = screen.getByLabelText(label).getAttribute('aria-describedby')?.split(' ') ?? [];
  const id = ids.find((i) => i.endsWith('-error'));
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
};

describe('OrderDetailScreen', () => {
  it('shows items, totals and the timeline, marking notes not sent yet', async () => {
    await show(
      orderFixture({ pendingNotes: [{ mutationId: 'm1', note: 'Call first', at: '2026-01-03T00:00:00.000Z' }] }),
    );
    expect(screen.getByRole('cell', { name: /Hoodie \(M\)/ })).toBeTruthy();
    expect(screen.getAllByText('$65.00').length).toBeGreaterThan(0);
    const timeline = screen.getByRole('list', { name: /Order history/ });
    expect(within(timeline).getByText('Call first')).toBeTruthy();
    expect(within(timeline).getByText('Not sent yet')).toBeTruthy();
  });

  it('shows a note synced from elsewhere as soon as the host says order events changed', async () => {
    await show(orderFixture());
    const note = {
      id: '01890000-0000-7000-8000-0000000000e1',
      type: 'note',
      actor: 'user:01890000-0000-7000-8000-0000000000f1',
      actorName: 'Grace Office',
      data: { body: 'Customer called' },
      at: '2026-01-03T00:00:00.000Z',
    };
    fake.answer('orders:get', orderFixture({ timeline: [note] }));
    act(() => handleHostEvent({ type: 'changed', tables: ['order_events'] }));
    const timeline = screen.getByRole('list', { name: /Order history/ });
    expect(await within(timeline).findByText('Customer called')).toBeTruthy();
    expect(within(timeline).getByText('by Grace Office')).toBeTruthy();
  });

  it('adds a note with Enter, and refuses an empty one without sending', async () => {
    await show(orderFixture());
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Add a note'), '{Enter}');
    expect(errorOf(/Add a note/)).toBe('Write the note first');
    fake.answer('orders:note', orderFixture());
    await user.type(screen.getByLabelText('Add a note'), 'Left at the door{Enter}');
    await waitFor(() => expect(sent('orders:note')).toEqual([{ orderId: ORDER_ID, note: 'Left at the door' }]));
  });

  it('offline: refund is disabled and says it needs the server', async () => {
    useSyncStore.setState({ status: syncStatus({ online: false, state: 'offline' }) });
    await show(orderFixture());
    expect(screen.getByRole('button', { name: 'Refund…' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Refunds need a connection to the server')).toBeTruthy();
  });

  it('refunds online, checking the amount against what is refundable first', async () => {
    await show(orderFixture());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Refund…' }));
    const amount = screen.getByLabelText(/Amount/);
    await user.clear(amount);
    await user.type(amount, '70');
    await user.type(screen.getByLabelText(/Reason/), 'Damaged{Enter}');
    expect(errorOf(/Amount/)).toBe('At most $65.00 can be refunded');
    expect(sent('orders:refund')).toEqual([]);

    fake.fail('orders:refund', 'needs_connection', 'the server cannot be reached. Nothing was refunded.');
    await user.clear(amount);
    await user.type(amount, '65{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Refunds need a connection to the server: /);
    expect(sent('orders:refund')).toEqual([{ orderId: ORDER_ID, amountCents: 6500, reason: 'Damaged', restock: true }]);
  });

  it('ships with carrier and tracking number, both required', async () => {
    await show(orderFixture());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark as shipped…' }));
    const dialog = within(screen.getByRole('dialog'));
    await user.click(dialog.getByRole('button', { name: 'Mark as shipped' }));
    expect(errorOf(/Carrier/)).toBe('Enter the carrier, e.g. UPS');
    expect(errorOf(/Tracking number/)).toBe('Enter the tracking number');
    fake.answer('orders:fulfill', orderFixture({ status: 'fulfilled' }));
    await user.type(screen.getByLabelText(/Carrier/), 'UPS');
    await user.type(screen.getByLabelText(/Tracking number/), '1Z999{Enter}');
    await waitFor(() =>
      expect(sent('orders:fulfill')).toEqual([{ orderId: ORDER_ID, carrier: 'UPS', trackingNumber: '1Z999' }]),
    );
  });

  it('cancels an unpaid order only, after a confirmation with a reason', async () => {
    await show(
      orderFixture({ status: 'pending_payment', paidAt: null, payment: { provider: 'test', status: 'pending' } }),
    );
    expect(screen.queryByRole('button', { name: 'Refund…' })).toBeNull();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Cancel order…' }));
    const confirm = screen.getByRole('button', { name: 'Cancel order #NX-100042' });
    await user.click(confirm);
    expect(errorOf(/Reason/)).toMatch(/Say why/);
    expect(sent('orders:cancel')).toEqual([]);
    fake.answer('orders:cancel', orderFixture({ status: 'cancelled' }));
    await user.type(screen.getByLabelText(/Reason/), 'Duplicate order');
    await user.click(confirm);
    await waitFor(() => expect(sent('orders:cancel')).toEqual([{ orderId: ORDER_ID, reason: 'Duplicate order' }]));
  });

  it('a paid order offers no cancel (a full refund cancels it)', async () => {
    await show(orderFixture());
    expect(screen.queryByRole('button', { name: 'Cancel order…' })).toBeNull();
  });

  it('says when the order is not on this device', async () => {
    fake.fail('orders:get', 'not_found', 'Order not found');
    render(
      <Router hook={memoryLocation({ path: `/orders/${ORDER_ID}` }).hook}>
        <Route path="/orders/:id" component={OrderDetailScreen} />
      </Router>,
    );
    expect(await screen.findByText('This order is not on this device')).toBeTruthy();
  });
});

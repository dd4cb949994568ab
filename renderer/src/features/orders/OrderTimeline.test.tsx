import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OrderDetail, OrderTimelineEvent } from '../../../../shared/contract/backoffice.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { OrderTimeline } from './OrderTimeline.js';
import { ORDER_ID, orderFixture } from './order-fixture.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useSyncStore.setState({ status: syncStatus({ online: true }) });
});

const STAFF = '01890000-0000-7000-8000-0000000000f1';
const NOTE_ID = '01890000-0000-7000-8000-0000000000e9';

const event = (id: number, type: string, at: string, more: Partial<OrderTimelineEvent> = {}): OrderTimelineEvent => ({
  id: `01890000-0000-7000-8000-0000000000e${id}`,
  type,
  actor: 'system',
  actorName: null,
  data: {},
  at,
  ...more,
});

/** A paid, shipped order whose whole timeline came from the server. */
const synced = orderFixture({
  status: 'fulfilled',
  fulfillment: { carrier: 'UPS', trackingNumber: '1Z999', shippedAt: '2026-01-02T15:00:00.000Z' },
  timeline: [
    event(1, 'created', '2026-01-02T10:00:00.000Z', { actor: 'customer' }),
    event(2, 'paid', '2026-01-02T10:05:00.000Z', {
      actor: 'provider:test',
      data: { amountCents: 6500, currency: 'usd' },
    }),
    event(3, 'fulfilled', '2026-01-02T15:00:00.000Z', {
      actor: `user:${STAFF}`,
      actorName: 'Ada Staff',
      data: { carrier: 'UPS', trackingNumber: '1Z999' },
    }),
    event(4, 'note', '2026-01-02T16:00:00.000Z', {
      actor: `user:${STAFF}`,
      actorName: 'Grace Office',
      data: { body: 'Customer called about the address' },
    }),
  ],
});

/** The timeline inside the screen's state, as the detail screen holds it. */
function Harness({ initial }: { initial: OrderDetail }) {
  const [order, setOrder] = useState(initial);
  return <OrderTimeline order={order} onChanged={setOrder} />;
}

const entries = () =>
  within(screen.getByRole('list', { name: 'Order history, newest first' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('OrderTimeline', () => {
  it("shows the server's timeline newest first, with who did what, and nothing twice", () => {
    render(<Harness initial={synced} />);
    const list = entries();
    expect(list).toHaveLength(4);
    expect(list[0]).toContain('Note');
    expect(list[0]).toContain('Customer called about the address');
    expect(list[0]).toContain('by Grace Office');
    expect(list[1]).toContain('Shipped');
    expect(list[1]).toContain('UPS · 1Z999');
    expect(list[1]).toContain('by Ada Staff');
    expect(list[2]).toContain('Payment of $65.00 received');
    expect(list[3]).toContain('Order placed');
    expect(screen.queryByText('Not sent yet')).toBeNull();
  });

  it('marks a note written here as not sent yet, then shows it once when its event has come back', async () => {
    const queued = {
      ...synced,
      pendingNotes: [{ mutationId: NOTE_ID, note: 'Leave at the back door', at: '2026-01-03T09:00:00.000Z' }],
    };
    fake.answer('orders:note', queued);
    const { rerender } = render(<Harness initial={synced} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Add a note'), 'Leave at the back door{Enter}');
    await waitFor(() => expect(entries()).toHaveLength(5));
    expect(entries()[0]).toContain('Leave at the back door');
    expect(entries()[0]).toContain('Not sent yet');
    expect(fake.calls.map((c) => c.input)).toEqual([{ orderId: ORDER_ID, note: 'Leave at the back door' }]);

    // After the sync the order comes back with the note's event (under the mutation's id) and the
    // outbox entry gone: one entry, by its author, no longer marked.
    const arrived = event(9, 'note', '2026-01-03T09:00:01.000Z', {
      actor: `user:${STAFF}`,
      actorName: 'Ada Staff',
      data: { body: 'Leave at the back door' },
    });
    expect(arrived.id).toBe(NOTE_ID);
    rerender(<Harness initial={{ ...synced, timeline: [...synced.timeline, arrived] }} key="after-sync" />);
    const list = entries();
    expect(list).toHaveLength(5);
    expect(list.filter((text) => text?.includes('Leave at the back door'))).toHaveLength(1);
    expect(list[0]).toContain('by Ada Staff');
    expect(screen.queryByText('Not sent yet')).toBeNull();
  });
});

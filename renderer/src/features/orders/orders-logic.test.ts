import { describe, expect, it } from 'vitest';
import { ORDER_ID, VARIANT_A, orderFixture } from './order-fixture.js';
import { canCancel, canFulfill } from './order-status.js';
import { toInput, toggle } from './orders-store.js';
import { initialRefund, refundErrors, refundInput } from './refund-form.js';
import { buildTimeline } from './timeline.js';

describe('order list filter', () => {
  it('leaves out what is empty and toggles statuses', () => {
    expect(toInput({ statuses: [], q: '  ', range: { from: '', to: '' } })).toEqual({});
    const input = toInput({
      statuses: toggle(['paid'], 'fulfilled'),
      q: ' NX-1 ',
      range: { from: '2026-01-01', to: '' },
    });
    expect(input).toMatchObject({ status: ['paid', 'fulfilled'], q: 'NX-1' });
    expect(input.from).toBe(new Date(2026, 0, 1).toISOString());
    expect(toggle(['paid', 'fulfilled'], 'paid')).toEqual(['fulfilled']);
  });
});

describe('what an order allows', () => {
  it('ships a paid order once; cancels only an unpaid one', () => {
    expect(canFulfill(orderFixture())).toBe(true);
    const shipped = { carrier: 'UPS', trackingNumber: '1Z', shippedAt: '2026-01-03T00:00:00.000Z' };
    expect(canFulfill(orderFixture({ status: 'partially_refunded', fulfillment: shipped }))).toBe(false);
    expect(canCancel(orderFixture())).toBe(false);
    expect(
      canCancel(orderFixture({ status: 'pending_payment', payment: { provider: 'test', status: 'pending' } })),
    ).toBe(true);
  });
});

describe('timeline', () => {
  it('lists what happened newest first and marks notes still in the outbox', () => {
    const order = orderFixture({
      status: 'fulfilled',
      fulfillment: { carrier: 'UPS', trackingNumber: '1Z999', shippedAt: '2026-01-03T09:00:00.000Z' },
      pendingNotes: [{ mutationId: 'm-1', note: 'Gift wrap please', at: '2026-01-04T08:00:00.000Z' }],
    });
    const entries = buildTimeline(order);
    expect(entries.map((e) => e.title)).toEqual(['Note', 'Shipped', 'Payment of $65.00 received', 'Order placed']);
    expect(entries[0]).toMatchObject({ pending: true, detail: 'Gift wrap please' });
    expect(entries[1]?.detail).toBe('UPS · 1Z999');
    expect(entries.filter((e) => e.pending)).toHaveLength(1);
  });

  it('says why an order was cancelled and how much was refunded', () => {
    const cancelled = buildTimeline(orderFixture({ status: 'cancelled', paidAt: null, cancellationReason: 'expired' }));
    expect(cancelled[0]).toMatchObject({ title: 'Cancelled', detail: expect.stringMatching(/did not arrive in time/) });
    const refunded = buildTimeline(orderFixture({ status: 'partially_refunded', refundedCents: 1500 }));
    expect(refunded.map((e) => e.title)).toContain('Partly refunded: $15.00');
  });

  const ev = (
    n: number,
    type: string,
    at: string,
    data: Record<string, unknown> = {},
    actorName: string | null = null,
  ) => ({
    id: `01890000-0000-7000-8000-00000000000${n}`,
    type,
    actor: actorName ? 'user:01890000-0000-7000-8000-0000000000f1' : 'system',
    actorName,
    data,
    at,
  });

  it("tells each synced event's story, and fills in from the order row only what no event covers yet", () => {
    const order = orderFixture({
      status: 'partially_refunded',
      refundedCents: 1500,
      // Shipped on this device: its event has not come back yet.
      fulfillment: { carrier: 'DHL', trackingNumber: 'JD01', shippedAt: '2026-01-05T09:00:00.000Z' },
      timeline: [
        ev(1, 'created', '2026-01-02T10:00:00.000Z'),
        ev(2, 'payment_failed', '2026-01-02T10:01:00.000Z', { message: 'Card declined' }),
        ev(3, 'paid', '2026-01-02T10:05:00.000Z', { amountCents: 6500, currency: 'usd' }),
        ev(4, 'refund_requested', '2026-01-03T10:00:00.000Z', { amountCents: 1500, reason: 'Damaged' }, 'Ada'),
        ev(5, 'partially_refunded', '2026-01-03T10:00:01.000Z', { refundedCents: 1500, from: 'paid' }),
        ev(6, 'label_printed', '2026-01-04T10:00:00.000Z'),
      ],
    });
    expect(buildTimeline(order).map((e) => [e.title, e.detail, e.by])).toEqual([
      ['Shipped', 'DHL · JD01', undefined],
      ['Label printed', undefined, undefined],
      ['Partly refunded: $15.00', undefined, undefined],
      ['Refund of $15.00 requested', 'Damaged', 'Ada'],
      ['Payment of $65.00 received', 'via test', undefined],
      ['Payment failed', 'Card declined', undefined],
      ['Order placed', 'by ada@example.com', undefined],
    ]);
    const cancelled = orderFixture({
      status: 'cancelled',
      cancellationReason: 'staff',
      timeline: [ev(7, 'cancelled', '2026-01-03T00:00:00.000Z', { reason: 'staff', note: 'Duplicate order' }, 'Ada')],
    });
    expect(buildTimeline(cancelled).filter((e) => e.title === 'Cancelled')).toEqual([
      expect.objectContaining({ detail: 'Cancelled by staff. Duplicate order', by: 'Ada' }),
    ]);
  });
});

describe('refund form', () => {
  it('starts at what is left to refund and restocks everything then (no lines)', () => {
    const order = orderFixture({ status: 'partially_refunded', refundedCents: 1500 });
    const form = { ...initialRefund(order), reason: 'Damaged' };
    expect(form.amountCents).toBe(5000);
    expect(refundErrors(order, form)).toBeNull();
    expect(refundInput(order, form)).toEqual({
      orderId: ORDER_ID,
      amountCents: 5000,
      reason: 'Damaged',
      restock: true,
    });
  });

  it('refuses more than is refundable, nothing, or no reason', () => {
    const order = orderFixture();
    expect(refundErrors(order, { ...initialRefund(order), amountCents: 6501, reason: 'x' })?.amountCents).toBe(
      'At most $65.00 can be refunded',
    );
    expect(refundErrors(order, { ...initialRefund(order), amountCents: 0 })).toMatchObject({
      amountCents: 'Enter an amount above zero',
      reason: 'Say why the money goes back',
    });
  });

  it('asks a partial refund with restock for the units going back, within what was ordered', () => {
    const order = orderFixture();
    const partial = { ...initialRefund(order), amountCents: 2500, reason: 'One hoodie back' };
    expect(refundErrors(order, partial)?.restock).toMatch(/units going back/);
    expect(refundErrors(order, { ...partial, quantities: { 0: 3 } })?.['quantities.0']).toBe('0 to 2');
    const ok = { ...partial, quantities: { 0: 1 } };
    expect(refundErrors(order, ok)).toBeNull();
    expect(refundInput(order, ok).lines).toEqual([{ variantId: VARIANT_A, quantity: 1 }]);
    expect(refundErrors(order, { ...partial, restock: false })).toBeNull();
  });
});

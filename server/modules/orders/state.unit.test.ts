import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { ORDER_STATUSES, type OrderStatus } from '../../db/schema/index.js';
import { assertTransition, canRevive, canTransition, refundStatus, TRANSITIONS } from './state.js';

const allowed: [OrderStatus, OrderStatus][] = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'cancelled'],
  ['paid', 'fulfilled'],
  ['paid', 'cancelled'],
  ['paid', 'refunded'],
  ['paid', 'partially_refunded'],
  ['fulfilled', 'delivered'],
  ['fulfilled', 'refunded'],
  ['fulfilled', 'partially_refunded'],
  ['delivered', 'refunded'],
  ['delivered', 'partially_refunded'],
  ['partially_refunded', 'partially_refunded'],
  ['partially_refunded', 'refunded'],
  ['partially_refunded', 'fulfilled'],
];

describe('order state machine', () => {
  it('allows exactly the documented transitions', () => {
    const all = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));
    const actual = all.filter(([from, to]) => canTransition(from, to));
    expect(actual.map((t) => t.join('→')).sort()).toEqual(allowed.map((t) => t.join('→')).sort());
  });

  it('has a row for every status; cancelled and refunded are final', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    expect(TRANSITIONS.cancelled).toEqual([]);
    expect(TRANSITIONS.refunded).toEqual([]);
  });

  it.each([
    ['pending_payment', 'fulfilled'],
    ['pending_payment', 'refunded'],
    ['cancelled', 'paid'],
    ['cancelled', 'fulfilled'],
    ['refunded', 'paid'],
    ['delivered', 'fulfilled'],
    ['fulfilled', 'cancelled'],
    ['paid', 'pending_payment'],
  ] as [OrderStatus, OrderStatus][])('refuses %s → %s with 409 invalid_order_transition', (from, to) => {
    let error: unknown;
    try {
      assertTransition(from, to);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_order_transition');
    expect((error as AppError).status).toBe(409);
  });

  it('does not throw on an allowed transition', () => {
    expect(() => assertTransition('pending_payment', 'paid')).not.toThrow();
  });

  it('revives only orders cancelled by expiry', () => {
    expect(canRevive('cancelled', 'expired')).toBe(true);
    expect(canRevive('cancelled', 'payment_canceled')).toBe(false);
    expect(canRevive('cancelled', 'staff')).toBe(false);
    expect(canRevive('cancelled', null)).toBe(false);
    expect(canRevive('pending_payment', 'expired')).toBe(false);
  });

  it('tells a full refund from a partial one', () => {
    expect(refundStatus(1000, 1000)).toBe('refunded');
    expect(refundStatus(1200, 1000)).toBe('refunded');
    expect(refundStatus(999, 1000)).toBe('partially_refunded');
  });
});

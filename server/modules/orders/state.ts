/**
 * The order state machine, in one place. Every status change goes through `assertTransition`.
 *
 *   pending_payment → paid | cancelled            (paid; or payment canceled / reservation expired)
 *   paid            → fulfilled | cancelled | refunded | partially_refunded   (cancelled = refunded in full by staff)
 *   fulfilled       → delivered | refunded | partially_refunded
 *   delivered       → refunded | partially_refunded                         (returns)
 *   partially_refunded → partially_refunded | refunded | fulfilled          (another partial refund; shipping what is left)
 *   cancelled, refunded: final.
 *
 * One exception lives in `canRevive`: an order cancelled only because its reservation expired
 * may become paid when a late payment succeeds and its stock can be reserved again.
 */
import { AppError } from '../../../shared/domain/errors.js';
import type { CancellationReason, OrderStatus } from '../../db/schema/index.js';

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['fulfilled', 'cancelled', 'refunded', 'partially_refunded'],
  fulfilled: ['delivered', 'refunded', 'partially_refunded'],
  delivered: ['refunded', 'partially_refunded'],
  partially_refunded: ['partially_refunded', 'refunded', 'fulfilled'],
  cancelled: [],
  refunded: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError(
      'invalid_order_transition',
      `An order that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}`,
    );
  }
}

/** Statuses a provider refund may apply to (money was taken). */
export const REFUNDABLE: readonly OrderStatus[] = ['paid', 'fulfilled', 'delivered', 'partially_refunded'];

/** A late successful payment may revive an order only if nothing but the clock cancelled it. */
export const canRevive = (status: OrderStatus, reason: CancellationReason | null): boolean =>
  status === 'cancelled' && reason === 'expired';

/** The status a provider's refunded total leads to. */
export const refundStatus = (refundedCents: number, totalCents: number): 'refunded' | 'partially_refunded' =>
  refundedCents >= totalCents ? 'refunded' : 'partially_refunded';

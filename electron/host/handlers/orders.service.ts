/**
 * Order services of the host: the order cache's list and detail, and fulfilment, cancellation and
 * notes as queued mutations. Cancelling a paid order refunds it, which needs the payment provider:
 * it is refused here (shared/sync/rebase.ts cancelOrder) rather than queued to be rejected later.
 */
import type { ChannelArgs, OrderDetail } from '../../../shared/contract/backoffice.js';
import { notFound } from '../../../shared/domain/errors.js';
import type { MutationName } from '../../../shared/sync/mutations.js';
import type { Store } from '../db/store.js';
import { listOrders, orderDetail } from './orders.queries.js';
import { queueMutation } from './write.js';

export const orderPage = (store: Store, input: ChannelArgs<'orders:list'>) => listOrders(store, input);

export function getOrder(store: Store, id: string): OrderDetail {
  const order = orderDetail(store, id);
  if (!order) throw notFound('Order');
  return order;
}

/** order.fulfill, order.cancel and order.note: queue it (refused when the order cannot take it), show the order. */
export function changeOrder(store: Store, name: MutationName, input: { orderId: string }): OrderDetail {
  queueMutation(store, name, input);
  return getOrder(store, input.orderId);
}

export const fulfillOrder = (store: Store, input: ChannelArgs<'orders:fulfill'>) =>
  changeOrder(store, 'order.fulfill', input);
export const cancelOrder = (store: Store, input: ChannelArgs<'orders:cancel'>) =>
  changeOrder(store, 'order.cancel', input);
export const addOrderNote = (store: Store, input: ChannelArgs<'orders:note'>) =>
  changeOrder(store, 'order.note', input);

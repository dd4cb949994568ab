/** Order channels: each parses its input (channel.ts bind), then calls one service. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import * as orders from './orders.service.js';

export function ordersHandlers(store: Store) {
  return {
    'orders:list': bind('orders:list', (input) => orders.orderPage(store, input)),
    'orders:get': bind('orders:get', ({ id }) => orders.getOrder(store, id)),
    'orders:fulfill': bind('orders:fulfill', (input) => orders.fulfillOrder(store, input)),
    'orders:cancel': bind('orders:cancel', (input) => orders.cancelOrder(store, input)),
    'orders:note': bind('orders:note', (input) => orders.addOrderNote(store, input)),
  };
}

/** The refund channel: online only (refunds.service.ts), so it needs the server access beside the store. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import { refundOrder } from './refunds.service.js';
import type { ServerAccess } from './server-call.js';

export function refundsHandlers(store: Store, server: ServerAccess) {
  return {
    'orders:refund': bind('orders:refund', (input) => refundOrder(store, server, input)),
  };
}

/**
 * Routes the host's events into the stores: status → sync bar and session, changed → data
 * versions (screens re-query), orderArrived → a toast per order (a summary for a burst).
 */
import type { BackofficeBridge, HostEvent } from '../../../../shared/contract/backoffice.js';
import { formatCents } from '../format.js';
import { useDataVersionStore } from './data-version.js';
import { useSessionStore } from './session.js';
import { useSyncStore } from './sync.js';
import { toast } from './toasts.js';

/** More new orders than this at once (after a night offline) make one toast, not a wall of them. */
const TOAST_EACH_UP_TO = 3;

export function handleHostEvent(event: HostEvent): void {
  switch (event.type) {
    case 'status':
      useSyncStore.getState().setStatus(event.status);
      // Before the first auth:session answer the session store owns the truth.
      if (useSessionStore.getState().user !== undefined) useSessionStore.getState().follow(event.status.user);
      return;
    case 'changed':
      useDataVersionStore.getState().bump(event.tables);
      return;
    case 'orderArrived':
      announceOrders(event.orders);
      return;
  }
}

function announceOrders(orders: Extract<HostEvent, { type: 'orderArrived' }>['orders']): void {
  if (orders.length > TOAST_EACH_UP_TO) {
    toast({ tone: 'info', title: `${orders.length} new orders`, href: '/orders', hrefLabel: 'View orders' });
    return;
  }
  for (const order of orders) {
    const total = formatCents(order.totalCents, order.currency);
    toast({
      tone: 'info',
      title: `New order #${order.number.replace(/^#/, '')} — ${total}`,
      body: order.email,
      href: `/orders/${order.id}`,
      hrefLabel: 'Open',
    });
  }
}

/** Subscribes the stores to the bridge and asks for the current status (Electron sends none first). */
export function connectHostEvents(bridge: BackofficeBridge): () => void {
  const unsubscribe = bridge.onEvent(handleHostEvent);
  void bridge['sync:status']().then((result) => {
    if (result.ok) useSyncStore.getState().setStatus(result.value);
  });
  return unsubscribe;
}

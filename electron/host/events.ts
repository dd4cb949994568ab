/**
 * What the host tells the UI without being asked (shared/contract HostEvent): every sync status
 * change; after a pass that brought rows, which tables changed, so open screens reload; and the
 * orders this store had not seen before, for the "new order" toast. Nothing is announced during the
 * first download: its rows are not news, and a screen reload per page would only slow it down.
 */
import type { HostEvent } from '../../shared/contract/backoffice.js';
import { getSyncState } from './db/state.js';
import type { Store } from './db/store.js';
import { newestOrderMark, ordersAfter, type OrderMark } from './handlers/orders.queries.js';
import type { Touched } from './sync/cycle.js';
import type { SyncEngine } from './sync/engine.js';

/** A toast per order is useful; a burst after a day offline is summarised by the UI. */
const MAX_ARRIVED = 20;

export type HostEventListener = (event: HostEvent) => void;

export interface HostEvents {
  /** Called by the rebase hook with the rows each pulled page touched. */
  noteTouched(touched: Touched): void;
  /** Attaches to the engine's status: call once the engine exists. */
  attach(engine: SyncEngine): void;
  on(listener: HostEventListener): () => void;
  stop(): void;
}

export function createHostEvents(store: Store, onListenerError: (error: unknown) => void): HostEvents {
  const listeners = new Set<HostEventListener>();
  const touchedTables = new Set<string>();
  let orderMark: OrderMark = newestOrderMark(store);
  let detach: (() => void) | undefined;

  const emit = (event: HostEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error);
      }
    }
  };

  // Orders are announced only once a first download has ended: until then every row is the starting point.
  let announcing = getSyncState(store).firstDownloadComplete;

  /** Between passes only: a page in flight may still touch more. */
  const flush = () => {
    if (touchedTables.size === 0 || !getSyncState(store).firstDownloadComplete) return;
    const tables = [...touchedTables].sort();
    touchedTables.clear();
    emit({ type: 'changed', tables });
    if (!announcing || !tables.includes('orders')) return;
    const arrived = ordersAfter(store, orderMark, MAX_ARRIVED);
    orderMark = newestOrderMark(store);
    if (arrived.length > 0) emit({ type: 'orderArrived', orders: arrived });
  };

  return {
    noteTouched(touched) {
      for (const row of touched) touchedTables.add(row.table);
    },
    attach(engine) {
      const onStatus = () => {
        if (!store.sqlite.open) return;
        const status = engine.status();
        emit({ type: 'status', status });
        // A new epoch downloads everything again: its rows are not news either.
        if (status.state === 'downloading') {
          announcing = false;
          return;
        }
        // The first status after a download ended (often the next pass starting, before it pulls):
        // what is stored now was the starting point, and an order pulled from here on is news,
        // even when it comes in the same run of passes as the download's end.
        if (!announcing && getSyncState(store).firstDownloadComplete) {
          announcing = true;
          orderMark = newestOrderMark(store);
        }
        if (status.state !== 'pulling' && status.state !== 'pushing') flush();
      };
      engine.on('status', onStatus);
      detach = () => engine.off('status', onStatus);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      detach?.();
      listeners.clear();
    },
  };
}

/** Report channels: each parses its input (channel.ts bind), then calls the reports service (electron/host/reports). */
import type { Store } from '../db/store.js';
import { exportReport } from '../reports/export.js';
import { runReport } from '../reports/reports.service.js';
import { bind } from './channel.js';

export function reportsHandlers(store: Store) {
  return {
    'reports:sales': bind('reports:sales', (input) => runReport(store, 'sales', input)),
    'reports:topProducts': bind('reports:topProducts', (input) => runReport(store, 'topProducts', input)),
    'reports:inventoryValuation': bind('reports:inventoryValuation', (input) =>
      runReport(store, 'inventoryValuation', input),
    ),
    'reports:lowStock': bind('reports:lowStock', (input) => runReport(store, 'lowStock', input)),
    'reports:movements': bind('reports:movements', (input) => runReport(store, 'movements', input)),
    'reports:orders': bind('reports:orders', (input) => runReport(store, 'orders', input)),
    'reports:export': bind('reports:export', (input) => exportReport(store, input)),
  };
}

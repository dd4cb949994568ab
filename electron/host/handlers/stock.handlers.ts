/** Stock channels: each parses its input (channel.ts bind), then calls one service. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import { listLevels } from './stock-levels.queries.js';
import * as stock from './stock.service.js';

export function stockHandlers(store: Store) {
  return {
    'stock:adjust': bind('stock:adjust', (input) => stock.adjustStock(store, input)),
    'stock:count': bind('stock:count', (input) => stock.countStock(store, input)),
    'stock:movements': bind('stock:movements', (input) => stock.movementPage(store, input)),
    'stock:lowStock': bind('stock:lowStock', (input) => stock.lowStockPage(store, input)),
    'stock:levels': bind('stock:levels', (input) => listLevels(store, input)),
  };
}

/**
 * Stock services of the host. Adjustments and counts are queued deltas / stocktakes (SYNC.md rule
 * 5) that move the local level at once; they are never refused for lack of stock.
 */
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { notFound } from '../../../shared/domain/errors.js';
import { lowStock } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { stockLocationFor } from '../sync/local.js';
import { levelOf, listMovements } from './stock.queries.js';
import { queueMutation } from './write.js';

type Level = ChannelOutput<'stock:adjust'>;

function currentLevel(store: Store, variantId: string, named: string | undefined): Level {
  const locationId = stockLocationFor(store, variantId, named);
  const level = locationId === undefined ? undefined : levelOf(store, variantId, locationId);
  if (!level) throw notFound('Variant');
  return level;
}

export function adjustStock(store: Store, input: ChannelArgs<'stock:adjust'>): Level {
  queueMutation(store, 'stock.adjust', input);
  return currentLevel(store, input.variantId, input.locationId);
}

export function countStock(store: Store, input: ChannelArgs<'stock:count'>): Level {
  queueMutation(store, 'stock.count', input);
  return currentLevel(store, input.variantId, input.locationId);
}

export const movementPage = (store: Store, input: ChannelArgs<'stock:movements'>) => listMovements(store, input);

export const lowStockPage = (store: Store, input: ChannelArgs<'stock:lowStock'>) => lowStock(store, input);

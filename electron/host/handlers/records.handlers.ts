/** Conflict, rejection and oversell channels: each parses its input (channel.ts bind), then calls one service. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import * as records from './records.service.js';

export function recordsHandlers(store: Store) {
  return {
    'conflicts:list': bind('conflicts:list', () => records.conflictList(store)),
    'conflicts:resolve': bind('conflicts:resolve', (input) => records.resolveConflictWith(store, input)),
    'rejections:list': bind('rejections:list', () => records.rejectionList(store)),
    'rejections:dismiss': bind('rejections:dismiss', (input) => records.dismissRejection(store, input)),
    'oversells:list': bind('oversells:list', () => records.oversellList(store)),
  };
}

/**
 * The host's handlers: one function per contract channel (shared/contract/backoffice.ts), each
 * `(rawInput: unknown) => Promise<output>`. Reads come from the local store, writes are queued
 * mutations with their local effect, so every channel but sync, sign-in and refunds works offline
 * (product images queue, media/).
 */
import { type ChannelName, type ChannelOutput, isChannelName } from '../../../shared/contract/backoffice.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import { type MediaQueue, noMediaQueue } from '../media/service.js';
import { catalogHandlers } from './catalog.handlers.js';
import type { Handlers } from './channel.js';
import { mediaHandlers } from './media.handlers.js';
import { ordersHandlers } from './orders.handlers.js';
import { recordsHandlers } from './records.handlers.js';
import { reportsHandlers } from './reports.handlers.js';
import { refundsHandlers } from './refunds.handlers.js';
import { reviewsHandlers } from './reviews.handlers.js';
import { noServer, type ServerAccess } from './server-call.js';
import { stockHandlers } from './stock.handlers.js';
import { type StoreRecovery, type SyncControl, syncHandlers } from './sync.js';

export type { Handler, Handlers } from './channel.js';
export type { SyncControl } from './sync.js';
export type { ServerAccess } from './server-call.js';

export function createHandlers({
  store,
  sync,
  storeRecovery,
  server = noServer,
  media = noMediaQueue,
}: {
  store: Store;
  sync: SyncControl;
  storeRecovery?: () => StoreRecovery;
  /** The server, for what needs it now (refunds); without it they answer `needs_connection`. */
  server?: ServerAccess;
  /** The image upload queue; without it (an in-memory store) uploads are unavailable. */
  media?: MediaQueue;
}): Handlers {
  return {
    ...catalogHandlers(store),
    ...stockHandlers(store),
    ...ordersHandlers(store),
    ...reviewsHandlers(store),
    ...recordsHandlers(store),
    ...reportsHandlers(store),
    ...syncHandlers(sync, storeRecovery),
    ...refundsHandlers(store, server),
    ...mediaHandlers(media),
  } satisfies Handlers;
}

/** For the preload / web bridge, which receive a channel name as a string: unknown names are refused. */
export function handleChannel(handlers: Handlers, name: string, input: unknown): Promise<ChannelOutput<ChannelName>> {
  if (!isChannelName(name)) return Promise.reject(new AppError('bad_request', `unknown channel "${name}"`));
  return handlers[name](input);
}

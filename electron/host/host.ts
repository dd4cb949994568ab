/**
 * The back-office host: the local store, the sync engine and the contract's handlers, wired
 * together. Plain Node: Electron's main process runs it, and so do `npm run backoffice` (browser
 * mode), the tests and the benches.
 *
 * - The store opens through openStoreSafely: a damaged file is moved aside (kept) and a fresh one
 *   opened; `settings:get` tells the UI, and signing in downloads everything again.
 * - Any channel that queued a mutation wakes the engine, which pushes after a short pause.
 * - A stored session starts syncing at once; otherwise the engine waits for `auth:login`.
 * - Product images wait in `<dataDir>/media-queue/` and go up whenever the server answers; each
 *   change of that queue is told to the UI as `changed` with the table `media_uploads`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BridgeResult, ChannelName, ChannelOutput, HostEvent } from '../../shared/contract/backoffice.js';
import { AppError } from '../../shared/domain/errors.js';
import { openStoreSafely, type Recovery } from './db/open-safely.js';
import { createHostEvents, type HostEventListener } from './events.js';
import { getSyncState } from './db/state.js';
import type { Store } from './db/store.js';
import { createHandlers, handleChannel, type Handlers } from './handlers/index.js';
import { listUploads } from './media/queue.js';
import { createMediaQueue } from './media/service.js';
import { createSyncEngine, type EngineOptions, type SyncEngine } from './sync/engine.js';
import { rebasePending } from './sync/local.js';

export interface BackofficeHost {
  store: Store;
  engine: SyncEngine;
  handlers: Handlers;
  /** Set when the store file was damaged and replaced at this start. */
  recovered: Recovery | null;
  /** Runs one channel by name (what the preload and the browser-mode bridge call). */
  call(name: string, input: unknown): Promise<ChannelOutput<ChannelName>>;
  /**
   * The same, answered as the bridge's envelope (what Electron's IPC carries): an AppError becomes
   * `{ok: false, error}` with its code and field errors; anything else is reported to `onError` and
   * answered as `internal`, without its details.
   */
  invoke(name: string, input: unknown): Promise<BridgeResult<unknown>>;
  /** Status changes, changed tables after a pass, new orders (shared/contract HostEvent). */
  onEvent(listener: HostEventListener): () => void;
  /** Changes not yet on the server (queued mutations and images): quitting with some asks first (SYNC.md rule 10). */
  unsyncedCount(): number;
  close(): Promise<void>;
}

export interface HostOptions {
  /** Where the store lives (backoffice.db); created when missing. */
  dataDir: string;
  engine?: Partial<Omit<EngineOptions, 'store' | 'rebase'>>;
  /** Start syncing (timer, event stream). Off for tools that drive sync by hand. */
  autoSync?: boolean;
  /** Told about unexpected errors (a failing channel, a throwing event listener); defaults to console.error. */
  onError?: (error: unknown) => void;
}

export function createBackofficeHost(options: HostOptions): BackofficeHost {
  mkdirSync(options.dataDir, { recursive: true });
  const { store, recovered } = openStoreSafely(path.join(options.dataDir, 'backoffice.db'));
  const onError = options.onError ?? ((error: unknown) => console.error('backoffice host:', error));
  const events = createHostEvents(store, onError);
  const engine = createSyncEngine({
    store,
    rebase: (s, afterSeq, touched) => {
      events.noteTouched(touched);
      rebasePending(s, afterSeq, touched);
    },
    ...options.engine,
  });
  events.attach(engine);
  const media = createMediaQueue({ store, dataDir: options.dataDir, server: engine, onError });
  const storeRecovery = () => (recovered ? { reason: recovered.reason, backupPath: recovered.backupPath } : null);
  const handlers = withPushOnWrite(
    store,
    engine,
    createHandlers({ store, sync: engine, storeRecovery, server: engine, media }),
  );
  if (options.autoSync !== false) {
    engine.start();
    media.follow(engine);
  }
  return {
    store,
    engine,
    handlers,
    recovered,
    call: (name, input) => handleChannel(handlers, name, input),
    invoke: (name, input) => invokeChannel(handlers, name, input, onError),
    onEvent(listener) {
      const offs = [events.on(listener), media.onChange(() => listener(MEDIA_CHANGED))];
      return () => offs.forEach((off) => off());
    },
    unsyncedCount: () => engine.status().pending + listUploads(store).pending,
    async close() {
      events.stop();
      await media.close();
      await engine.stop();
      store.close();
    },
  };
}

const MEDIA_CHANGED: HostEvent = { type: 'changed', tables: ['media_uploads'] };

/** Wraps every handler: when the call queued a mutation (the local seq moved), the engine is told. */
function withPushOnWrite(store: Store, engine: SyncEngine, handlers: Handlers): Handlers {
  const wrapped: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (input: unknown) => Promise<unknown>][]) {
    wrapped[name] = async (input) => {
      const before = getSyncState(store).lastLocalSeq;
      const result = await handler(input);
      if (getSyncState(store).lastLocalSeq !== before) engine.notifyLocalChange();
      return result;
    };
  }
  return wrapped as unknown as Handlers;
}

async function invokeChannel(
  handlers: Handlers,
  name: string,
  input: unknown,
  onError: (error: unknown) => void,
): Promise<BridgeResult<unknown>> {
  try {
    return { ok: true, value: await handleChannel(handlers, name, input) };
  } catch (error) {
    if (!(error instanceof AppError)) {
      onError(error);
      return { ok: false, error: { code: 'internal', message: 'Something went wrong in the back-office host' } };
    }
    const { code, message, errors } = error;
    return { ok: false, error: { code, message, ...(errors ? { errors } : {}) } };
  }
}

/** A BackofficeBridge for tests: every channel answers what `answer()` set (default: an error), events are emitted by hand. */
import {
  type BackofficeBridge,
  type BridgeResult,
  CHANNEL_NAMES,
  type ChannelName,
  type ChannelOutput,
  type HostEvent,
  type SyncStatus,
} from '../../../shared/contract/backoffice.js';
import { setBridge } from '../lib/bridge.js';

type Responder = (input: unknown) => BridgeResult<unknown> | Promise<BridgeResult<unknown>>;

export interface FakeBridge {
  bridge: BackofficeBridge;
  calls: { channel: ChannelName; input: unknown }[];
  answer<K extends ChannelName>(
    channel: K,
    responder:
      ChannelOutput<K> | ((input: unknown) => BridgeResult<ChannelOutput<K>> | Promise<BridgeResult<ChannelOutput<K>>>),
  ): void;
  fail: (channel: ChannelName, code: string, message: string, errors?: { path: string; message: string }[]) => void;
  emit: (event: HostEvent) => void;
}

/** Builds the fake and installs it as the app's bridge. */
export function installFakeBridge(): FakeBridge {
  const responders = new Map<ChannelName, Responder>();
  const listeners = new Set<(event: HostEvent) => void>();
  const calls: FakeBridge['calls'] = [];
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => [
      channel,
      async (input: unknown) => {
        calls.push({ channel, input });
        const responder = responders.get(channel);
        return responder
          ? responder(input)
          : { ok: false, error: { code: 'internal', message: `no answer for ${channel}` } };
      },
    ]),
  );
  const bridge = {
    ...channels,
    onEvent(listener: (event: HostEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as BackofficeBridge;
  setBridge(bridge);
  return {
    bridge,
    calls,
    answer: (channel, responder) => {
      responders.set(channel, typeof responder === 'function' ? responder : () => ({ ok: true, value: responder }));
    },
    fail: (channel, code, message, errors) => {
      responders.set(channel, () => ({ ok: false, error: { code, message, ...(errors ? { errors } : {}) } }));
    },
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
  };
}

export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    online: true,
    state: 'idle',
    pending: 0,
    oldestPendingAgeMs: null,
    lastSyncAt: new Date(Date.now() - 2 * 60_000).toISOString(),
    lastError: null,
    conflicts: 0,
    rejections: 0,
    oversells: 0,
    progress: null,
    epoch: 'e1',
    user: { email: 'staff@nexus.local', name: 'Sam Staff', role: 'staff' },
    serverUrl: 'http://127.0.0.1:3000',
    ...overrides,
  };
}

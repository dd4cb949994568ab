/**
 * The sync, sign-in and settings channels: they delegate to the sync engine through this small
 * interface, so the handlers never depend on how the engine talks to the server.
 */
import type { SessionUser, SyncStatus } from '../../../shared/contract/backoffice.js';
import { bind } from './channel.js';

export interface SyncControl {
  status(): SyncStatus;
  syncNow(): Promise<SyncStatus>;
  login(input: { serverUrl?: string; email: string; password: string }): Promise<SessionUser>;
  logout(): Promise<void>;
  session(): SessionUser | null;
  setServerUrl(url: string): void;
  serverUrl(): string | null;
}

export type StoreRecovery = { reason: string; backupPath: string } | null;

export function syncHandlers(sync: SyncControl, storeRecovery: () => StoreRecovery = () => null) {
  const settings = () => ({ serverUrl: sync.serverUrl(), storeRecovery: storeRecovery() });
  return {
    'sync:status': bind('sync:status', () => sync.status()),
    'sync:now': bind('sync:now', () => sync.syncNow()),
    'auth:login': bind('auth:login', ({ serverUrl, email, password }) =>
      sync.login({ ...(serverUrl === undefined ? {} : { serverUrl }), email, password }),
    ),
    'auth:logout': bind('auth:logout', async () => {
      await sync.logout();
      return { ok: true as const };
    }),
    'auth:session': bind('auth:session', () => sync.session()),
    'settings:get': bind('settings:get', settings),
    'settings:setServerUrl': bind('settings:setServerUrl', ({ url }) => {
      sync.setServerUrl(url);
      return settings();
    }),
  };
}

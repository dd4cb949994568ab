/**
 * The one BackofficeBridge the app talks through: Electron's preload puts it on `window.nexus`;
 * in browser mode it is built over HTTP with the launch secret. Screens never use it directly:
 * they go through `call()` (lib/api.ts) and the stores.
 */
import type { BackofficeBridge } from '../../../shared/contract/backoffice.js';
import { createHttpBridge } from './http-bridge.js';
import { takeSecret } from './secret.js';

declare global {
  interface Window {
    nexus?: BackofficeBridge;
  }
}

let current: BackofficeBridge | null = null;
const connectionListeners = new Set<(connected: boolean) => void>();

/** Picks the bridge for this window; null in browser mode without a secret (the UI then says how to open it). */
export function initBridge(): BackofficeBridge | null {
  if (window.nexus) return (current = window.nexus);
  const secret = takeSecret();
  if (!secret) return null;
  current = createHttpBridge({
    secret,
    WebSocket: window.WebSocket,
    onConnection: (connected) => connectionListeners.forEach((listener) => listener(connected)),
  });
  return current;
}

export function getBridge(): BackofficeBridge {
  if (!current) throw new Error('The back-office bridge is not initialised');
  return current;
}

/** Tests (and initBridge) install the bridge. */
export function setBridge(bridge: BackofficeBridge | null): void {
  current = bridge;
}

/** Browser mode only: the event stream to the host opened or dropped. */
export function onHostConnection(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

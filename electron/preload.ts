/**
 * The preload (sandboxed, bundled to CommonJS by scripts/build-electron.ts): puts exactly the
 * contract on `window.nexus`, one function per channel named as the channel, plus `onEvent`
 * (shared/contract BackofficeBridge). There is no generic invoke: the page can name no IPC message
 * the contract does not list. Menu commands (messages.ts) are carried out here, so the UI needs no
 * Electron-specific code: a screen opens by setting the hash route.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HostEvent } from '../shared/contract/backoffice.js';
import { CHANNEL_NAMES } from '../shared/contract/channels.js';
import { applyMenuCommand, HOST_EVENT_MESSAGE, MENU_MESSAGE } from './messages.js';

type Invoke = (channel: string, input: unknown) => Promise<unknown>;

/** The page globals the preload touches (this file compiles with Node's types, not the DOM's). */
interface PageGlobals {
  location: { hash: string };
  document: { querySelector(selector: string): { focus(): void } | null };
}

type Listener = (event: IpcRendererEvent, hostEvent: HostEvent) => void;
/** The part of ipcRenderer the events need (a plain EventEmitter in tests). */
interface IpcEvents {
  on(channel: string, listener: Listener): unknown;
  off(channel: string, listener: Listener): unknown;
}

/** Built from the contract's names: adding a channel there adds it here. */
export function buildBridge(invoke: Invoke, ipc: IpcEvents) {
  const bridge: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) bridge[name] = (input?: unknown) => invoke(name, input);
  bridge.onEvent = (listener: (event: HostEvent) => void) => {
    // The IPC event object (with its sender) never reaches the page.
    const forward: Listener = (_event, hostEvent) => listener(hostEvent);
    ipc.on(HOST_EVENT_MESSAGE, forward);
    return () => void ipc.off(HOST_EVENT_MESSAGE, forward);
  };
  return bridge;
}

export function exposeBridge(): void {
  contextBridge.exposeInMainWorld(
    'nexus',
    buildBridge((channel, input) => ipcRenderer.invoke(channel, input), ipcRenderer),
  );
  const page = globalThis as unknown as PageGlobals;
  ipcRenderer.on(MENU_MESSAGE, (_event, command: unknown) =>
    applyMenuCommand(command, {
      location: page.location,
      focusSearch: () => page.document.querySelector('[data-search]')?.focus(),
    }),
  );
}

// Under Electron's preload only (not when a unit test imports this file).
if (typeof process === 'object' && process.type === 'renderer') exposeBridge();

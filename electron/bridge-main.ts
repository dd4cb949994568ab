/**
 * The main-process end of the contract over IPC: one `ipcMain.handle` per channel name, answering
 * the host's envelope (`{ok, value}` or `{ok: false, error: {code, message, errors?}}`) so codes and
 * field errors reach the UI intact; and the host's events forwarded to the window.
 */
import { type BridgeResult, CHANNEL_NAMES, type HostEvent } from '../shared/contract/backoffice.js';
import { isAppUrl } from './app-url.js';
import type { BackofficeHost } from './host/host.js';
import { STATUS_THROTTLE_MS, throttle } from './host/web.js';

const FORBIDDEN: BridgeResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Only the back-office page may call the host' },
};

/** Answers a call, or refuses it when the sending frame is not our own page (a stray frame, a foreign page). */
export function answerCall(
  host: Pick<BackofficeHost, 'invoke'>,
  name: string,
  senderUrl: string | undefined,
  input: unknown,
): Promise<BridgeResult<unknown>> {
  return isAppUrl(senderUrl) ? host.invoke(name, input) : Promise.resolve(FORBIDDEN);
}

/** What registerChannels needs of Electron's ipcMain (this file stays free of 'electron'). */
export interface ChannelRegistry {
  handle(channel: string, listener: (event: { senderFrame?: { url: string } | null }, input: unknown) => unknown): void;
  removeHandler(channel: string): void;
}

/** Registers every channel; the answer removes them again. */
export function registerChannels(host: Pick<BackofficeHost, 'invoke'>, ipc: ChannelRegistry): () => void {
  for (const name of CHANNEL_NAMES)
    ipc.handle(name, (event, input: unknown) => answerCall(host, name, event.senderFrame?.url, input));
  return () => CHANNEL_NAMES.forEach((name) => ipc.removeHandler(name));
}

/**
 * Status changes come in bursts during a sync pass: the window gets the latest at most every
 * STATUS_THROTTLE_MS (as browser mode does); `changed` and `orderArrived` go at once.
 */
export function forwardEvents(host: Pick<BackofficeHost, 'onEvent'>, send: (event: HostEvent) => void) {
  let latest: HostEvent | undefined;
  const sendStatus = throttle(() => latest && send(latest), STATUS_THROTTLE_MS);
  const unsubscribe = host.onEvent((event) => {
    if (event.type !== 'status') return send(event);
    latest = event;
    sendStatus();
  });
  return () => {
    unsubscribe();
    sendStatus.cancel();
  };
}

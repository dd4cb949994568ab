/**
 * Channel calls over the host's WebSocket (electron/host/web-socket.ts), for browser mode: a message
 * on an open socket costs the browser well under a millisecond, a fetch() several. Whatever the
 * socket cannot carry goes to `fallback` (HTTP POST) instead, so a call never waits on the socket:
 * - while it connects, calls go over HTTP (at start-up the page's first calls leave with its script
 *   running, where a socket's `open` would only be seen once the script is done);
 * - while it is down, calls go over HTTP, and the next call after RECONNECT_MS tries again;
 * - a call too large for a socket message (an image upload) always goes over HTTP.
 * A call sent on a socket that then drops is answered `host_unreachable`, as a failed fetch is: the
 * host may or may not have run it, so it is not sent again.
 */
import { type BridgeResult, isBridgeResult } from '../../../shared/contract/backoffice.js';
import {
  BRIDGE_SOCKET_MAX_BYTES,
  BRIDGE_SOCKET_PROTOCOL,
  BRIDGE_SOCKET_SECRET_PREFIX,
} from '../../../shared/contract/bridge-socket.js';

/** After a failed or dropped socket, calls go over HTTP for at least this long before it is tried again. */
export const RECONNECT_MS = 2_000;

type Fallback = (channel: string, input: unknown) => Promise<BridgeResult<unknown>>;

export interface SocketCallsOptions {
  /** ws:// or wss:// URL of BRIDGE_SOCKET_PATH. */
  url: string;
  secret: string;
  fallback: Fallback;
  WebSocket?: typeof WebSocket;
  now?: () => number;
}

export interface SocketCalls {
  call: (channel: string, input: unknown) => Promise<BridgeResult<unknown>>;
  close: () => void;
}

const UNREACHABLE: BridgeResult<never> = {
  ok: false,
  error: {
    code: 'host_unreachable',
    message: 'The back-office host stopped answering. Is `npm run backoffice` still running?',
  },
};

export function socketCalls(options: SocketCallsOptions): SocketCalls {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const now = options.now ?? (() => Date.now());
  const pending = new Map<number, (result: BridgeResult<unknown>) => void>();
  let socket: WebSocket | null = null;
  let downSince = -Infinity;
  let nextId = 0;
  let closed = false;

  const connect = () => {
    const ws = new Socket(options.url, [BRIDGE_SOCKET_PROTOCOL, BRIDGE_SOCKET_SECRET_PREFIX + options.secret]);
    socket = ws;
    ws.addEventListener('message', (event: MessageEvent) => settle(event.data));
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      downSince = now();
      for (const answer of pending.values()) answer(UNREACHABLE);
      pending.clear();
    });
  };

  const settle = (data: unknown) => {
    let answer: { id?: unknown; result?: unknown };
    try {
      answer = JSON.parse(String(data)) as typeof answer;
    } catch {
      return;
    }
    const resolve = typeof answer.id === 'number' ? pending.get(answer.id) : undefined;
    if (!resolve) return;
    pending.delete(answer.id as number);
    resolve(
      isBridgeResult(answer.result)
        ? answer.result
        : { ok: false, error: { code: 'internal', message: 'The back-office host gave an unexpected answer' } },
    );
  };

  const send = (ws: WebSocket, message: string, id: number) =>
    new Promise<BridgeResult<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(message);
    });

  const call = (channel: string, input: unknown): Promise<BridgeResult<unknown>> => {
    if (!closed && !socket && now() - downSince >= RECONNECT_MS) connect();
    if (closed || !socket || socket.readyState !== Socket.OPEN) return options.fallback(channel, input);
    const id = ++nextId;
    const message = JSON.stringify(input === undefined ? { id, channel } : { id, channel, input });
    // Length in UTF-16 units; a UTF-8 message is at most three bytes per unit.
    if (message.length * 3 > BRIDGE_SOCKET_MAX_BYTES) return options.fallback(channel, input);
    return send(socket, message, id);
  };

  connect();
  return {
    call,
    close() {
      closed = true;
      socket?.close(1000);
    },
  };
}

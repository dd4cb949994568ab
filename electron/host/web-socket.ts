/**
 * Channel calls over a WebSocket, for browser mode. Measured in Debian's Chromium on this kind of
 * machine, a fetch() to loopback costs 7 ms at the median and 18 ms at p95 (a URL loader per
 * request, headers both ways, the network service in between), a message on an open socket 0.7 and
 * 1.5 ms. Search as you type makes a call per key, so the UI sends its calls here once the socket is
 * open; `POST /api/<channel>` stays, and is what the UI uses until then, for image uploads, and
 * whenever the socket is down.
 *
 * The upgrade passes the same guards as every API request, or is answered 403 and never upgraded:
 * Host and Origin must be this server's own (an Origin is what stops another site's page from
 * opening a socket here), and the secret must match. A page cannot set headers on a WebSocket, so
 * the secret rides in the subprotocol list: as shared/contract/bridge-socket.ts says; the host
 * never echoes the secret.
 *
 * Messages are JSON text. A call: `{"id": 7, "channel": "catalog:search", "input": {...}}`. Its
 * answer: `{"id": 7, "result": <the bridge's envelope>}`, in whatever order calls finish. A message
 * that is not a call is answered with `"id": null` and an error; binary frames and messages over
 * the body limit close the socket (1003, 1009), as the protocol has it.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { BridgeResult } from '../../shared/contract/backoffice.js';
import { isChannelName } from '../../shared/contract/backoffice.js';
import {
  BRIDGE_SOCKET_MAX_BYTES,
  BRIDGE_SOCKET_PATH,
  BRIDGE_SOCKET_PROTOCOL,
  BRIDGE_SOCKET_SECRET_PREFIX,
} from '../../shared/contract/bridge-socket.js';
import { AppError } from '../../shared/domain/errors.js';
import type { BackofficeHost } from './host.js';

export interface SocketGuards {
  /** Why the upgrade request is not from this server's own page, or undefined. */
  foreign(req: IncomingMessage): AppError | undefined;
  secretMatches(given: string): boolean;
}

export interface ChannelSockets {
  /** Ends every open socket (1001, going away); one that does not answer within a moment is cut. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 500;

/** Answers WebSocket upgrades on BRIDGE_SOCKET_PATH of `server`; other upgrade paths are refused (404). */
export function serveChannelSockets(server: Server, host: BackofficeHost, guards: SocketGuards): ChannelSockets {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: BRIDGE_SOCKET_MAX_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(BRIDGE_SOCKET_PROTOCOL) ? BRIDGE_SOCKET_PROTOCOL : false),
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, guards);
    if (refusal) return refuse(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => answerCalls(ws, host));
  };
  server.on('upgrade', onUpgrade);
  return {
    async close() {
      server.off('upgrade', onUpgrade);
      const closed = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
            ws.once('close', () => {
              clearTimeout(cut);
              resolve();
            });
            ws.close(1001, 'The back-office host is stopping');
          }),
      );
      wss.close();
      await Promise.all(closed);
    },
  };
}

function upgradeRefusal(req: IncomingMessage, guards: SocketGuards): AppError | undefined {
  const pathname = new URL(req.url ?? '/', 'http://host.invalid').pathname;
  if (pathname !== BRIDGE_SOCKET_PATH) return new AppError('not_found', `No WebSocket at ${pathname.slice(0, 100)}`);
  const foreign = guards.foreign(req);
  if (foreign) return foreign;
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(BRIDGE_SOCKET_PROTOCOL))
    return new AppError('bad_request', `The socket must offer the subprotocol ${BRIDGE_SOCKET_PROTOCOL}`);
  const given = offered
    .find((p) => p.startsWith(BRIDGE_SOCKET_SECRET_PREFIX))
    ?.slice(BRIDGE_SOCKET_SECRET_PREFIX.length);
  if (!given || !guards.secretMatches(given)) return new AppError('forbidden', 'Missing or wrong secret');
  return undefined;
}

/** An HTTP answer on the raw socket, before any upgrade: the same envelope as the API's errors. */
function refuse(socket: Duplex, error: AppError): void {
  const body = JSON.stringify({ ok: false, error: { code: error.code, message: error.message } });
  socket.end(
    `HTTP/1.1 ${error.status} ${error.code}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

function answerCalls(ws: WebSocket, host: BackofficeHost): void {
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return ws.close(1003, 'Calls are JSON text');
    const call = parseCall(textOf(data));
    if (!call.ok) return send(ws, { id: call.id, result: failure(call.error) });
    // The host answers every call with an envelope (an unexpected error is reported and answered as internal).
    void host.invoke(call.channel, call.input).then((result) => send(ws, { id: call.id, result }));
  });
  // A socket error (a bad frame, too large a message) closes it; nothing to report beyond that.
  ws.on('error', () => ws.terminate());
}

/** A text message's UTF-8 (ws hands a fragmented one over as its pieces). */
const textOf = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');

type Parsed =
  { ok: true; id: number; channel: string; input: unknown } | { ok: false; id: number | null; error: AppError };

/** `{id, channel, input?}`: id a positive integer the page chose, channel one of the contract's names. */
export function parseCall(text: string): Parsed {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: new AppError('invalid_json', 'The message is not valid JSON') };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return { ok: false, id: null, error: new AppError('bad_request', 'A call is an object {id, channel, input}') };
  const { id, channel, input, ...extra } = message as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
    return { ok: false, id: null, error: new AppError('bad_request', 'A call needs an id, a positive integer') };
  const extraKeys = Object.keys(extra);
  if (extraKeys.length > 0)
    return { ok: false, id, error: new AppError('bad_request', `Unknown call field "${extraKeys[0]!.slice(0, 50)}"`) };
  if (typeof channel !== 'string' || !isChannelName(channel))
    return {
      ok: false,
      id,
      error: new AppError('not_found', `Unknown channel "${String(channel).slice(0, 100)}"`),
    };
  return { ok: true, id, channel, input };
}

const failure = ({ code, message }: AppError): BridgeResult<never> => ({ ok: false, error: { code, message } });

function send(ws: WebSocket, answer: { id: number | null; result: BridgeResult<unknown> }): void {
  // The page may have gone while the host worked: its answer has nobody to go to.
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer));
}

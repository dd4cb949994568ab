/**
 * The BackofficeBridge over HTTP, for browser mode (electron/host/web.ts): each channel is
 * `POST /api/<channel>` answering the same envelope as Electron's IPC, and host events arrive on
 * `GET /api/events`. That stream needs the Authorization header, which EventSource cannot send,
 * so it is read with fetch() and parsed here; it reconnects with capped exponential backoff.
 * Given a WebSocket class, calls go over the host's socket while it is open (socket-calls.ts: a
 * fraction of a fetch's cost in the browser), and over POST otherwise.
 */
import { type BackofficeBridge, type BridgeResult, isBridgeResult } from '../../../shared/contract/backoffice.js';
import { BRIDGE_SOCKET_PATH } from '../../../shared/contract/bridge-socket.js';
import { CHANNEL_NAMES } from '../../../shared/contract/channels.js';
import { type HostEvent, hostEventSchema } from '../../../shared/contract/events.js';
import { socketCalls } from './socket-calls.js';
import { SseParser } from './sse.js';

export interface HttpBridgeOptions {
  secret: string;
  /** Where the host answers; '' means this page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Reconnect delays: the first, and the cap it doubles up to. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Told whenever the event stream opens or drops, so the UI can say the host is not answering. */
  onConnection?: (connected: boolean) => void;
  /** Given: channel calls go over the host's WebSocket when it is open (socket-calls.ts), else over HTTP. */
  WebSocket?: typeof WebSocket;
}

export type HttpBridge = BackofficeBridge & { close(): void };

/** Answers that are not our envelope (a proxy page, a crash) still become one, with the status's meaning. */
const STATUS_CODES: Record<number, string> = { 403: 'forbidden', 404: 'not_found', 503: 'service_unavailable' };

export function createHttpBridge(options: HttpBridgeOptions): HttpBridge {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const auth = { Authorization: `Bearer ${options.secret}` };

  const post = async (channel: string, input: unknown): Promise<BridgeResult<unknown>> => {
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        ...(input === undefined ? {} : { body: JSON.stringify(input) }),
      });
    } catch {
      return failure(
        'host_unreachable',
        'The back-office host is not answering. Is `npm run backoffice` still running?',
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (isBridgeResult(body)) return body;
    return failure(
      STATUS_CODES[response.status] ?? 'internal',
      `The back-office host gave an unexpected answer (HTTP ${response.status})`,
    );
  };

  const socket = options.WebSocket
    ? socketCalls({ url: socketUrl(base), secret: options.secret, fallback: post, WebSocket: options.WebSocket })
    : null;
  const call = socket ? socket.call : post;
  const events = eventStream({ ...options, fetch: doFetch, url: `${base}/api/events`, headers: auth });
  const channels = Object.fromEntries(CHANNEL_NAMES.map((name) => [name, (input?: unknown) => call(name, input)]));
  const close = () => {
    events.close();
    socket?.close();
  };
  return { ...channels, onEvent: events.subscribe, close } as HttpBridge;
}

/** The socket's address at the host the bridge posts to ('' = this page's origin). */
function socketUrl(base: string): string {
  const url = new URL(BRIDGE_SOCKET_PATH, base || location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

const failure = (code: string, message: string): BridgeResult<never> => ({ ok: false, error: { code, message } });

interface StreamOptions extends HttpBridgeOptions {
  fetch: typeof fetch;
  url: string;
  headers: Record<string, string>;
}

/** One shared connection while anybody listens; it stops when the last listener leaves. */
function eventStream(options: StreamOptions) {
  const listeners = new Set<(event: HostEvent) => void>();
  const minMs = options.retryMinMs ?? 500;
  const maxMs = options.retryMaxMs ?? 15_000;
  let abort: AbortController | null = null;
  let connected = false;

  const setConnected = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    options.onConnection?.(value);
  };
  const dispatch = (data: string) => {
    let parsed;
    try {
      parsed = hostEventSchema.safeParse(JSON.parse(data));
    } catch {
      return;
    }
    // An unknown or malformed event is skipped: a newer host must not break an older UI.
    if (!parsed.success) return;
    for (const listener of listeners) listener(parsed.data);
  };

  const run = async (signal: AbortSignal) => {
    let delay = minMs;
    while (!signal.aborted) {
      try {
        const response = await options.fetch(options.url, {
          headers: { ...options.headers, Accept: 'text/event-stream' },
          signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            // Only a stream that delivers resets the backoff: one that opens then dies must not hammer.
            setConnected(true);
            delay = minMs;
            dispatch(message.data);
          }
        }
      } catch {
        // Dropped, refused or aborted: decided below.
      }
      if (signal.aborted) break;
      setConnected(false);
      await sleep(delay * (0.5 + Math.random() / 2), signal);
      delay = Math.min(maxMs, delay * 2);
    }
  };

  const start = () => {
    abort = new AbortController();
    void run(abort.signal);
  };
  const stop = () => {
    abort?.abort();
    abort = null;
  };
  return {
    subscribe: (listener: (event: HostEvent) => void) => {
      listeners.add(listener);
      if (!abort) start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    close: () => {
      listeners.clear();
      stop();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

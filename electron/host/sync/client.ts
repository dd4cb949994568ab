/**
 * The host's HTTP client for the central server: sign-in, token refresh, device registration, pull,
 * push and the event stream. It knows the wire, not the store: the engine decides what to do with
 * answers and failures.
 *
 * Failures come out as one of two errors so the engine can react without string matching:
 * - NetworkError: nothing usable came back (refused, reset, timeout, a body cut mid-way, a proxy's
 *   HTML). The request may or may not have reached the server: retry later, safely (pushes are
 *   idempotent per seq, pulls are reads).
 * - ServerError: the server answered with a problem+json status (`code` is the API's error code).
 * An expired access token is refreshed once (single flight) and the request retried; a refused
 * refresh is `unauthorized`, which signs the host out.
 */
import { z } from 'zod';
import { authResult, type AuthResult } from '../../../shared/api/auth.schemas.js';
import {
  PROTOCOL_VERSION,
  pullAnswer,
  pushAnswer,
  type MutationEnvelope,
  type PullAnswer,
  type PushAnswer,
} from '../../../shared/sync/protocol.js';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface ClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per request (the event stream excepted). */
  timeoutMs?: number;
  tokens: () => Tokens | null;
  /** Called with the new pair after a refresh, to persist it before anything else uses it. */
  onTokens: (tokens: Tokens) => void;
  /** Called whenever the server answered (any status): the network is there. */
  onAnswer?: () => void;
}

const deviceAnswer = z.object({ clientId: z.uuid(), name: z.string(), lastMutationSeq: z.number().int() });
export type DeviceAnswer = z.infer<typeof deviceAnswer>;

const tokenPair = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });

const problem = z.object({ code: z.string().optional(), detail: z.string().optional(), title: z.string().optional() });

export class SyncClient {
  private refreshing: Promise<void> | null = null;
  private readonly fetch: typeof fetch;
  readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** How long a request may take (a stream: how long it may stay quiet). */
  get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  login(email: string, password: string): Promise<AuthResult> {
    return this.json('POST', '/api/v1/auth/login', authResult, { body: { email, password }, auth: false });
  }

  async logout(refreshToken: string): Promise<void> {
    await this.request('POST', '/api/v1/auth/logout', { body: { refreshToken }, auth: false });
  }

  registerDevice(clientId: string, name: string): Promise<DeviceAnswer> {
    return this.json('POST', '/api/v1/sync/devices', deviceAnswer, { body: { clientId, name } });
  }

  pull(clientId: string, cursor: string | null, limit?: number): Promise<PullAnswer> {
    const query = new URLSearchParams({ clientId, protocolVersion: String(PROTOCOL_VERSION) });
    if (cursor) query.set('cursor', cursor);
    if (limit) query.set('limit', String(limit));
    return this.json('GET', `/api/v1/sync/pull?${query.toString()}`, pullAnswer);
  }

  /**
   * Opens a first download's snapshot stream (GET /sync/snapshot) after `resume`, if given: the
   * response, whose body snapshot-stream.ts reads. No overall timeout (a large catalog streams for a
   * while): the reader stops it through `signal` when it goes quiet.
   */
  openSnapshot(clientId: string, resume: string | null, limit: number, signal: AbortSignal): Promise<Response> {
    const query = new URLSearchParams({ clientId, protocolVersion: String(PROTOCOL_VERSION), limit: String(limit) });
    if (resume) query.set('resume', resume);
    return this.request('GET', `/api/v1/sync/snapshot?${query.toString()}`, {
      signal,
      stream: true,
      accept: 'application/x-ndjson',
    });
  }

  push(clientId: string, mutations: MutationEnvelope[]): Promise<PushAnswer> {
    return this.json('POST', '/api/v1/sync/push', pushAnswer, {
      body: { clientId, protocolVersion: PROTOCOL_VERSION, mutations },
    });
  }

  /**
   * Opens the event stream and calls `onPoke` per `poke` event until the stream ends, fails or
   * `signal` aborts. Resolves when it ended (the caller reconnects); rejects like any request.
   */
  async events(onOpen: () => void, onPoke: () => void, signal: AbortSignal): Promise<void> {
    const res = await this.request('GET', '/api/v1/sync/events', { signal, stream: true });
    onOpen();
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: poke$/m.test(event)) onPoke();
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw new NetworkError(`event stream broke: ${(error as Error).message}`);
    } finally {
      reader.releaseLock();
    }
  }

  private async json<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    init: { body?: unknown; auth?: boolean } = {},
  ): Promise<T> {
    const res = await this.request(method, path, init);
    let body: unknown;
    try {
      body = await res.json();
    } catch (error) {
      // A body cut mid-way, or not JSON at all: as good as no answer.
      throw new NetworkError(`unreadable answer to ${method} ${path}: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new NetworkError(`unexpected answer to ${method} ${path}`);
    return parsed.data;
  }

  private async request(
    method: string,
    path: string,
    init: { body?: unknown; auth?: boolean; signal?: AbortSignal; stream?: boolean; accept?: string },
    retried = false,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      accept: init.accept ?? (init.stream ? 'text/event-stream' : 'application/json'),
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const tokens = this.options.tokens();
    if (init.auth !== false) {
      if (!tokens) throw new ServerError(401, 'unauthorized', 'Not signed in');
      headers.authorization = `Bearer ${tokens.accessToken}`;
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = init.stream ? init.signal : init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetch(this.baseUrl + path, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // A kept-alive connection the server closed while we were idle fails at once with this code;
      // the request never reached the server, so one immediate retry on a new connection is safe.
      if (!retried && describeFetchError(error) === 'UND_ERR_SOCKET' && !signal?.aborted)
        return this.request(method, path, init, true);
      throw new NetworkError(`${method} ${path}: ${describeFetchError(error)}`);
    }
    this.options.onAnswer?.();
    if (res.ok) return res;
    const failure = await problemOf(res);
    if (res.status === 401 && init.auth !== false && !retried && tokens) {
      await this.refresh(tokens);
      return this.request(method, path, init, true);
    }
    throw failure;
  }

  /** One refresh at a time; callers that raced it retry with whatever it stored. */
  private refresh(used: Tokens): Promise<void> {
    const current = this.options.tokens();
    if (current && current.accessToken !== used.accessToken) return Promise.resolve();
    this.refreshing ??= (async () => {
      try {
        const fresh = await this.json('POST', '/api/v1/auth/refresh', tokenPair, {
          body: { refreshToken: used.refreshToken },
          auth: false,
        });
        this.options.onTokens({ accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
      } catch (error) {
        if (error instanceof ServerError && error.status < 500)
          throw new ServerError(401, 'unauthorized', 'The session has ended: sign in again');
        throw error;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /**
   * A signed-in request whose body and headers the caller chooses (a multipart upload, an
   * Idempotency-Key), for host services beside sync: refunds and image uploads. It shares this
   * client's single-flight token refresh (two clients refreshing one token would revoke the
   * session). Answers whatever status came back, except a 401 the refresh could not cure; no usable
   * answer is a NetworkError, as everywhere here. No automatic retry: the caller knows whether one is safe.
   */
  async send(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | FormData; timeoutMs?: number } = {},
    retried = false,
  ): Promise<Response> {
    const tokens = this.options.tokens();
    if (!tokens) throw new ServerError(401, 'unauthorized', 'Not signed in');
    let res: Response;
    try {
      res = await this.fetch(this.baseUrl + path, {
        method,
        headers: { accept: 'application/json', ...init.headers, authorization: `Bearer ${tokens.accessToken}` },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(init.timeoutMs ?? this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new NetworkError(`${method} ${path}: ${describeFetchError(error)}`);
    }
    this.options.onAnswer?.();
    if (res.status !== 401 || retried) return res;
    await res.body?.cancel();
    await this.refresh(tokens);
    return this.send(method, path, init, true);
  }
}

async function problemOf(res: Response): Promise<Error> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not problem+json (a proxy's page, a cut body): only the status is known.
  }
  const parsed = problem.safeParse(body);
  if (!parsed.success || !parsed.data.code) {
    if (res.status >= 500) return new NetworkError(`server answered ${res.status}`);
    return new ServerError(res.status, `http_${res.status}`, `server answered ${res.status}`);
  }
  return new ServerError(res.status, parsed.data.code, parsed.data.detail ?? parsed.data.title ?? parsed.data.code);
}

function describeFetchError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

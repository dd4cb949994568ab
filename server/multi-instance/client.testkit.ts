/**
 * The client side of the multi-instance tests: every request carries its own X-Request-Id and
 * leaves an outcome (status and body, or the connection error), so what a client saw can be set
 * against what each instance logged.
 */
import http from 'node:http';
import net from 'node:net';
import type { Instance } from './fleet.testkit.js';

/** What one request came to, from the client's side. */
export interface Outcome {
  id: string;
  instance: string;
  method: string;
  path: string;
  sentAt: number;
  doneAt: number;
  /** Present once response headers arrived. */
  status?: number;
  body?: unknown;
  /** A connection error (before or after the headers), e.g. ECONNREFUSED. */
  error?: string;
}

let requestSeq = 0;
const RUN = Date.now().toString(36);

/** Sends requests with a unique X-Request-Id each and keeps every outcome. */
export function recordingClient() {
  const outcomes: Outcome[] = [];
  function begin(instance: Instance, method: string, urlPath: string): Outcome {
    const outcome = {
      id: `mi-${RUN}-${++requestSeq}`,
      instance: instance.name,
      method,
      path: urlPath,
      sentAt: Date.now(),
      doneAt: 0,
    };
    outcomes.push(outcome);
    return outcome;
  }

  async function call(
    instance: Instance,
    method: string,
    urlPath: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Outcome> {
    const outcome = begin(instance, method, urlPath);
    try {
      const res = await fetch(`${instance.url}${urlPath}`, {
        method,
        headers: {
          'X-Request-Id': outcome.id,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      outcome.status = res.status;
      const text = await res.text();
      outcome.body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      outcome.error = cause?.code ?? cause?.message ?? String(err);
    }
    outcome.doneAt = Date.now();
    return outcome;
  }
  /**
   * A POST whose body is held back until `release()`. `accepted` resolves once the instance has
   * read the headers and answered `100 Continue`: from then on the request is in its hands.
   */
  function hold(instance: Instance, urlPath: string, options: { body: unknown; headers?: Record<string, string> }) {
    const outcome = begin(instance, 'POST', urlPath);
    const payload = JSON.stringify(options.body);
    const { hostname, port } = new URL(instance.url);
    const req = http.request({
      hostname,
      port,
      method: 'POST',
      path: urlPath,
      // A keep-alive client, as a load balancer's pool is: it reuses a connection unless told not to.
      agent: new http.Agent({ keepAlive: true }),
      headers: {
        ...options.headers,
        'X-Request-Id': outcome.id,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(payload),
        Expect: '100-continue',
      },
    });
    const failed = new Promise<never>((_, reject) => req.on('error', reject));
    const answered = new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    const accepted = Promise.race([new Promise<void>((resolve) => req.once('continue', resolve)), failed]);
    req.flushHeaders();
    async function release() {
      req.end(payload);
      try {
        const res = await Promise.race([answered, failed]);
        outcome.status = res.statusCode;
        let text = '';
        for await (const chunk of res.setEncoding('utf8')) text += chunk as string;
        outcome.body = JSON.parse(text);
        return { outcome, connection: res.headers.connection };
      } catch (err) {
        outcome.error = (err as NodeJS.ErrnoException).code ?? String(err);
        return { outcome, connection: undefined };
      } finally {
        outcome.doneAt = Date.now();
      }
    }
    return { accepted, release };
  }

  /** Opens a sync event stream (SSE) that counts the pokes it receives; its outcome ends with the stream. */
  async function events(instance: Instance, headers: Record<string, string>) {
    const outcome = begin(instance, 'GET', '/api/v1/sync/events');
    const abort = new AbortController();
    const res = await fetch(`${instance.url}${outcome.path}`, {
      headers: { ...headers, 'X-Request-Id': outcome.id },
      signal: abort.signal,
    });
    outcome.status = res.status;
    let text = '';
    let state: 'open' | 'ended' | 'closed' | 'failed' = 'open';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
        state = 'ended';
      } catch (err) {
        state = abort.signal.aborted ? 'closed' : 'failed';
        if (state === 'failed') outcome.error = String(err);
      }
      outcome.doneAt = Date.now();
    })();
    return {
      status: res.status,
      pokes: () => text.split('event: poke').length - 1,
      /** open while streaming; ended: the server finished it cleanly; closed: by us; failed: cut. */
      state: () => state,
      async close() {
        abort.abort();
        await reading;
      },
    };
  }

  return { call, hold, events, outcomes };
}

/** The body of a successful outcome; throws with what happened otherwise (for fixtures). */
export function expectStatus<T>(outcome: Outcome, status: number): T {
  if (outcome.status !== status)
    throw new Error(`${outcome.method} ${outcome.path} on ${outcome.instance}: ${JSON.stringify(outcome)}`);
  return outcome.body as T;
}

/** Polls until `check` holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a new TCP connection to the instance is refused (it has stopped listening). */
export const refusesConnections = (instance: Instance) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(instance.url);
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

/** Browser mode's event stream (/api/events) over real HTTP: who may open it, what it sends, how it ends. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostEventSchema } from '../../shared/contract/backoffice.js';
import { createBackofficeHost, type BackofficeHost } from './host.js';
import { STATUS_THROTTLE_MS, startWebHost, type WebHost } from './web.js';
import { type OfflineWebHost, offlineWebHost, type Req, rawRequest } from './web.testkit.js';

let setup: OfflineWebHost;
let root: string;
let host: BackofficeHost;
let web: WebHost;

beforeAll(async () => {
  setup = await offlineWebHost('nexus-web-events-');
  ({ root, host, web } = setup);
});
afterAll(() => setup.close());

const raw = (req: Omit<Req, 'port'>) => rawRequest({ port: web.port, ...req });
const auth = () => ({ authorization: `Bearer ${web.secret}` });
const call = (channel: string, input: unknown) =>
  raw({
    method: 'POST',
    path: `/api/${channel}`,
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });

/** An SSE reader on node:http: `next()` resolves with the next event, or fails after a generous deadline. */
function openEvents(headers: Record<string, string>) {
  return new Promise<{
    status: number;
    headers: IncomingHttpHeaders;
    next(): Promise<{ event: string; data: unknown }>;
    ended: Promise<void>;
    close(): void;
  }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: web.port, path: '/api/events', headers, agent: false },
      (res) => {
        const queue: { event: string; data: unknown }[] = [];
        let waiting: (() => void) | undefined;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((line) => !line.startsWith(':'))
                .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
            );
            if (fields.event)
              queue.push({ event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined });
          }
          waiting?.();
        });
        const ended = new Promise<void>((done) => res.on('close', () => done()));
        const next = async () => {
          const deadline = Date.now() + 5000;
          while (queue.length === 0) {
            if (Date.now() > deadline) throw new Error('no event arrived');
            await new Promise<void>((r) => {
              waiting = r;
              setTimeout(r, 100);
            });
          }
          return queue.shift()!;
        };
        resolve({ status: res.statusCode ?? 0, headers: res.headers, next, ended, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A status event's data is the HostEvent itself. */
function statusOf(data: unknown) {
  const event = hostEventSchema.parse(data);
  if (event.type !== 'status') throw new Error(`expected a status event, got ${event.type}`);
  return event.status;
}

describe('the status event stream', () => {
  it('requires the secret and the same checks as the channels', async () => {
    const without = await raw({ path: '/api/events' });
    expect(without.status).toBe(403);
    expect(without.headers['content-type']).not.toContain('text/event-stream');
    const wrong = await raw({ path: '/api/events', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    const foreign = await raw({ path: '/api/events', headers: { ...auth(), origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('sends the current status at once, then a status event when the engine emits one', async () => {
    const stream = await openEvents(auth());
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      const first = await stream.next();
      expect(first.event).toBe('status');
      expect(statusOf(first.data).pending).toBe(host.unsyncedCount());

      // A write through the API queues a mutation; the host's engine emits 'status' for it.
      const before = host.unsyncedCount();
      expect((await call('categories:create', { name: `Live ${before}` })).status).toBe(200);
      const next = await stream.next();
      expect(next.event).toBe('status');
      expect(statusOf(next.data).pending).toBe(before + 1);

      host.engine.emit('status');
      expect(statusOf((await stream.next()).data).pending).toBe(before + 1);
    } finally {
      stream.close();
    }
  });

  it('ends open streams when the web host closes', async () => {
    const subscribe = host.onEvent.bind(host);
    const unsubscribed = vi.fn();
    const spy = vi.spyOn(host, 'onEvent').mockImplementation((listener) => {
      const off = subscribe(listener);
      return () => {
        unsubscribed();
        off();
      };
    });
    const own = await startWebHost({ host, staticDir: path.join(root, 'no-build') });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    const previous = web;
    web = own;
    try {
      const stream = await openEvents(auth());
      await stream.next();
      await own.close();
      await stream.ended;
      expect(unsubscribed).toHaveBeenCalledTimes(1);
    } finally {
      web = previous;
    }
  });
});

describe('a host closed before its web server', () => {
  it('sends no more events and does not crash; the web server still closes', async () => {
    const early = createBackofficeHost({ dataDir: path.join(root, 'early'), autoSync: false });
    const own = await startWebHost({ host: early, staticDir: path.join(root, 'no-build') });
    const previous = web;
    web = own;
    try {
      const stream = await openEvents(auth());
      await stream.next();
      early.engine.emit('status');
      await early.close();
      early.engine.emit('status');
      // Past the throttle window: a broadcast reading the closed store would throw here.
      await new Promise((r) => setTimeout(r, STATUS_THROTTLE_MS * 2));
      await own.close();
      await stream.ended;
    } finally {
      web = previous;
    }
  });
});

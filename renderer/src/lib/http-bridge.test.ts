import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostEvent } from '../../../shared/contract/backoffice.js';
import { createHttpBridge, type HttpBridge } from './http-bridge.js';
import { syncStatus } from '../test/fake-bridge.js';

const SECRET = 's'.repeat(43);

/** A controllable SSE response body. */
function sseStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let bridge: HttpBridge | undefined;
afterEach(() => bridge?.close());

describe('HTTP bridge: channel calls', () => {
  it('POSTs the input as JSON to /api/<channel> with the secret, and answers the envelope', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true, value: { email: 'a@b.co', name: 'A', role: 'staff' } }));
    bridge = createHttpBridge({ secret: SECRET, fetch, baseUrl: 'http://127.0.0.1:9' });
    const result = await bridge['auth:login']({ email: 'a@b.co', password: 'pw' });
    expect(result).toEqual({ ok: true, value: { email: 'a@b.co', name: 'A', role: 'staff' } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:9/api/auth:login');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({ email: 'a@b.co', password: 'pw' });
  });

  it('sends no body for a call without input', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true, value: null }));
    bridge = createHttpBridge({ secret: SECRET, fetch });
    await bridge['auth:session']();
    expect((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body).toBeUndefined();
  });

  it('passes an error envelope through intact, field errors included', async () => {
    const error = { code: 'validation_failed', message: 'bad', errors: [{ path: 'email', message: 'Invalid email' }] };
    bridge = createHttpBridge({ secret: SECRET, fetch: async () => json(422, { ok: false, error }) });
    expect(await bridge['auth:login']({ email: 'x', password: '' })).toEqual({ ok: false, error });
  });

  it('turns a non-envelope answer and a network failure into error envelopes', async () => {
    bridge = createHttpBridge({ secret: SECRET, fetch: async () => new Response('<h1>down</h1>', { status: 503 }) });
    expect(await bridge['sync:status']()).toMatchObject({ ok: false, error: { code: 'service_unavailable' } });
    bridge = createHttpBridge({
      secret: SECRET,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const result = await bridge['sync:status']();
    expect(result).toMatchObject({ ok: false, error: { code: 'host_unreachable' } });
  });
});

describe('HTTP bridge: event stream', () => {
  it('reads /api/events with the secret and delivers events split across chunks', async () => {
    const stream = sseStream();
    const fetch = vi.fn(async () => stream.response);
    bridge = createHttpBridge({ secret: SECRET, fetch });
    const events: HostEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    const status = JSON.stringify({ type: 'status', status: syncStatus() });
    const changed = JSON.stringify({ type: 'changed', tables: ['orders', 'products'] });
    const text = `event: status\ndata: ${status}\n\nevent: changed\ndata: ${changed}\n\n`;
    stream.send(text.slice(0, 17));
    stream.send(text.slice(17, 200));
    stream.send(text.slice(200));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[0]).toMatchObject({ type: 'status', status: { state: 'idle' } });
    expect(events[1]).toEqual({ type: 'changed', tables: ['orders', 'products'] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/events');
    expect(init.headers).toMatchObject({ Authorization: `Bearer ${SECRET}` });
  });

  it('skips malformed and unknown events without breaking the stream', async () => {
    const stream = sseStream();
    bridge = createHttpBridge({ secret: SECRET, fetch: async () => stream.response });
    const events: HostEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    stream.send('event: x\ndata: {not json\n\nevent: y\ndata: {"type":"future"}\n\n');
    stream.send(`event: changed\ndata: ${JSON.stringify({ type: 'changed', tables: ['reviews'] })}\n\n`);
    await vi.waitFor(() => expect(events).toEqual([{ type: 'changed', tables: ['reviews'] }]));
  });

  it('reconnects after the stream ends or fails, and reports the connection state', async () => {
    const first = sseStream();
    const second = sseStream();
    const answers = [
      async () => first.response,
      async () => {
        throw new TypeError('connection refused');
      },
      async () => json(403, { ok: false, error: { code: 'forbidden', message: 'no' } }),
      async () => second.response,
    ];
    const fetch = vi.fn(() => answers[Math.min(fetch.mock.calls.length - 1, answers.length - 1)]!());
    const connection: boolean[] = [];
    bridge = createHttpBridge({
      secret: SECRET,
      fetch,
      retryMinMs: 2,
      retryMaxMs: 8,
      onConnection: (c) => connection.push(c),
    });
    const events: HostEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    const changed = (table: string) =>
      `event: changed\ndata: ${JSON.stringify({ type: 'changed', tables: [table] })}\n\n`;
    first.send(changed('a'));
    await vi.waitFor(() => expect(events).toHaveLength(1));
    first.end();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(4));
    second.send(changed('b'));
    await vi.waitFor(() => expect(events.map((e) => e.type === 'changed' && e.tables[0])).toEqual(['a', 'b']));
    expect(connection).toEqual([true, false, true]);
  });

  it('opens one stream for many listeners and closes it when the last one leaves', async () => {
    const stream = sseStream();
    let signal: AbortSignal | undefined;
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return stream.response;
    });
    bridge = createHttpBridge({ secret: SECRET, fetch });
    const off1 = bridge.onEvent(() => undefined);
    const off2 = bridge.onEvent(() => undefined);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    off1();
    expect(signal?.aborted).toBe(false);
    off2();
    expect(signal?.aborted).toBe(true);
  });
});

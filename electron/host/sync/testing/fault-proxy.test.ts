import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/domain/errors.js';
import { type FaultProxy, type Faults, mulberry32, startFaultProxy } from './fault-proxy.js';

/** What the tiny upstream saw: method, path and body of every request that reached it. */
interface Seen {
  method: string;
  path: string;
  body: string;
}

const BIG = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => i % 251));

/** A tiny server: `/big` is 64 KiB with a Content-Length, `/events` an SSE stream, anything else echoes. */
function startUpstream() {
  const seen: Seen[] = [];
  const streams: { res: http.ServerResponse; closed: Promise<void> }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, body });
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG.length });
        res.end(BIG);
      } else if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('event: poke\ndata: 1\n\n');
        streams.push({ res, closed: new Promise((resolve) => res.once('close', () => resolve())) });
      } else {
        res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        res.end(JSON.stringify({ method: req.method, path: req.url, body }));
      }
    });
  });
  return { server, seen, streams };
}

const upstream = startUpstream();
let target = '';
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(upstream.server.address() as { port: number }).port}`;
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  upstream.seen.length = 0;
  upstream.streams.length = 0;
});
afterAll(async () => {
  upstream.server.closeAllConnections();
  await new Promise((resolve) => upstream.server.close(resolve));
});

async function proxy(faults: Faults = {}, seed = 1, extra: { sleep?: (ms: number) => Promise<void> } = {}) {
  const p = await startFaultProxy({ target, faults, seed, ...extra });
  proxies.push(p);
  return p;
}

const post = (url: string, body: string) => fetch(url, { method: 'POST', body });

/** Reads a body chunk by chunk; the bytes that arrived before an error are kept. */
async function readPartial(res: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    return { bytes: Buffer.concat(parts), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

describe('fault proxy: clean network', () => {
  it('passes method, path, query, body, status and headers through untouched', async () => {
    const p = await proxy();
    const res = await post(`${p.url}/api/v1/sync/push?x=1`, '{"a":1}');
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(await res.json()).toEqual({ method: 'POST', path: '/api/v1/sync/push?x=1', body: '{"a":1}' });
    expect(Buffer.from(await (await fetch(`${p.url}/big`)).arrayBuffer()).equals(BIG)).toBe(true);
    expect(p.stats).toMatchObject({ requests: 2, forwarded: 2, droppedRequest: 0, cutResponse: 0 });
  });

  it('reports an unreachable server as a network error, not a made-up answer', async () => {
    const dead = await startFaultProxy({ target: 'http://127.0.0.1:1' });
    proxies.push(dead);
    await expect(fetch(`${dead.url}/x`)).rejects.toThrow();
    expect(dead.stats.upstreamErrors).toBe(1);
  });
});

describe('fault proxy: faults', () => {
  it('down refuses every connection until it is lifted', async () => {
    const p = await proxy({ down: true });
    await expect(fetch(`${p.url}/a`)).rejects.toThrow();
    await expect(post(`${p.url}/b`, 'x')).rejects.toThrow();
    expect(upstream.seen).toEqual([]);
    expect(p.stats.refused).toBe(2);
    p.setFaults({});
    expect((await fetch(`${p.url}/c`)).status).toBe(201);
    expect(upstream.seen.map((s) => s.path)).toEqual(['/c']);
  });

  it('dropRequest closes the connection before the server sees anything', async () => {
    const p = await proxy({ dropRequest: 1 });
    await expect(post(`${p.url}/api/v1/sync/push`, 'm1')).rejects.toThrow();
    expect(upstream.seen).toEqual([]);
    expect(p.stats).toMatchObject({ droppedRequest: 1, forwarded: 0 });
  });

  it('dropResponse lets the server process the request, then the client gets only an error', async () => {
    const p = await proxy({ dropResponse: 1 });
    await expect(post(`${p.url}/api/v1/sync/push`, 'committed')).rejects.toThrow();
    expect(upstream.seen).toEqual([{ method: 'POST', path: '/api/v1/sync/push', body: 'committed' }]);
    expect(p.stats).toMatchObject({ droppedResponse: 1, forwarded: 0 });
  });

  it('cutResponse sends the headers and a strict prefix of the body, then cuts', async () => {
    const p = await proxy({ cutResponse: 1 });
    const res = await fetch(`${p.url}/big`);
    expect(res.status).toBe(200);
    const { bytes, error } = await readPartial(res);
    expect(error).toBeTruthy();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(BIG.length);
    expect(bytes.equals(BIG.subarray(0, bytes.length))).toBe(true);
    expect(p.stats.cutResponse).toBe(1);
  });

  it('delayMs holds the request back until the wait is over', async () => {
    const waits: number[] = [];
    let release = () => {};
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const p = await proxy({ delayMs: 250 }, 1, { sleep });
    const pending = post(`${p.url}/slow`, 'later');
    await expect.poll(() => waits).toEqual([250]);
    expect(upstream.seen).toEqual([]);
    release();
    expect((await pending).status).toBe(201);
    expect(upstream.seen.map((s) => s.body)).toEqual(['later']);
    expect(p.stats.delayed).toBe(1);
  });

  it('delayMs [min, max] draws each delay inside the range; real timers work too', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const p = await proxy({ delayMs: [10, 40] }, 7, { sleep });
    for (let i = 0; i < 10; i++) await fetch(`${p.url}/r${i}`);
    expect(waits).toHaveLength(10);
    for (const ms of waits) expect(ms >= 10 && ms <= 40 && Number.isInteger(ms)).toBe(true);
    const timed = await proxy({ delayMs: 5 });
    expect((await fetch(`${timed.url}/t`)).status).toBe(201);
    expect(timed.stats.delayed).toBe(1);
  });

  it('match limits the faults to the requests it selects (path without the query)', async () => {
    const calls: string[] = [];
    const match = (method: string, path: string) => {
      calls.push(`${method} ${path}`);
      return method === 'POST' && path === '/api/v1/sync/push';
    };
    const p = await proxy({ dropRequest: 1, match });
    expect((await fetch(`${p.url}/api/v1/sync/pull?cursor=c1`)).status).toBe(201);
    await expect(post(`${p.url}/api/v1/sync/push?x=1`, 'm')).rejects.toThrow();
    expect((await post(`${p.url}/api/v1/sync/devices`, 'd')).status).toBe(201);
    expect(calls).toEqual(['GET /api/v1/sync/pull', 'POST /api/v1/sync/push', 'POST /api/v1/sync/devices']);
    expect(upstream.seen.map((s) => s.path)).toEqual(['/api/v1/sync/pull?cursor=c1', '/api/v1/sync/devices']);
  });

  it('bytesPerSecond slows the body to the link rate, byte for byte, only where match selects', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const p = await proxy({ bytesPerSecond: 16 * 1024, match: (_m, path) => path === '/big' }, 1, { sleep });
    const body = Buffer.from(await (await fetch(`${p.url}/big`)).arrayBuffer());
    expect(body.equals(BIG)).toBe(true);
    // 64 KiB at 16 KiB/s: four seconds of waiting, however the chunks fell.
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4000);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThan(4000 + waits.length);
    const before = waits.length;
    expect((await fetch(`${p.url}/other`)).status).toBe(201);
    expect(waits).toHaveLength(before);
    expect(p.stats.throttled).toBe(1);
    await expect(proxy({ bytesPerSecond: 0 })).rejects.toThrow(AppError);
  });

  it('setFaults replaces every fault at once', async () => {
    const p = await proxy({ dropRequest: 1, delayMs: 5 });
    p.setFaults({ dropResponse: 1 });
    await expect(post(`${p.url}/x`, 'y')).rejects.toThrow();
    expect(p.stats).toMatchObject({ droppedRequest: 0, droppedResponse: 1, delayed: 0 });
  });
});

describe('fault proxy: streams', () => {
  const decoder = new TextDecoder();

  it('passes SSE events through as they come, and down cuts the stream on both sides', async () => {
    const p = await proxy();
    const res = await fetch(`${p.url}/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('event: poke\ndata: 1\n\n');
    // The upstream response never ends: this event can only arrive if the proxy does not buffer.
    upstream.streams[0]!.res.write('event: poke\ndata: 2\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('event: poke\ndata: 2\n\n');

    p.setFaults({ down: true });
    await expect(reader.read()).rejects.toThrow();
    await upstream.streams[0]!.closed;
    expect(p.stats.severed).toBe(1);
  });

  it('close() ends open streams and refuses new connections', async () => {
    const p = await proxy();
    const reader = (await fetch(`${p.url}/events`)).body!.getReader();
    await reader.read();
    await p.close();
    await expect(reader.read()).rejects.toThrow();
    await expect(fetch(`${p.url}/x`)).rejects.toThrow();
    await upstream.streams[0]!.closed;
  });
});

describe('fault proxy: seeded randomness', () => {
  async function outcomes(seed: number): Promise<string[]> {
    const p = await proxy({ dropRequest: 0.3, dropResponse: 0.3, cutResponse: 0.3 }, seed);
    const out: string[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        const res = await fetch(`${p.url}/big`);
        const { bytes } = await readPartial(res);
        out.push(bytes.length === BIG.length ? 'ok' : 'cut');
      } catch {
        out.push('failed');
      }
    }
    const { droppedRequest, droppedResponse, cutResponse, forwarded } = p.stats;
    out.push(`${droppedRequest}/${droppedResponse}/${cutResponse}/${forwarded}`);
    return out;
  }

  it('the same seed gives the same faults in the same order; another seed differs', async () => {
    const a = await outcomes(42);
    expect(await outcomes(42)).toEqual(a);
    expect(new Set(a.slice(0, 30))).toEqual(new Set(['ok', 'cut', 'failed']));
    expect(await outcomes(43)).not.toEqual(a);
  });

  it('mulberry32 is deterministic and stays in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    expect(mulberry32(124)()).not.toBe(xs[0]);
  });
});

describe('fault proxy: bad input', () => {
  const bad: [string, unknown][] = [
    ['a probability above 1', { dropRequest: 1.5 }],
    ['a negative probability', { cutResponse: -0.1 }],
    ['a probability of the wrong type', { dropResponse: '0.5' }],
    ['a negative delay', { delayMs: -1 }],
    ['a range with min > max', { delayMs: [50, 10] }],
    ['a range of three', { delayMs: [1, 2, 3] }],
    ['down that is not a boolean', { down: 'yes' }],
    ['match that is not a function', { match: '/push' }],
    ['an unknown field (a typo)', { dropRequests: 1 }],
    ['not an object', null],
  ];
  it.each(bad)('setFaults rejects %s with validation_failed and keeps the old faults', async (_name, faults) => {
    const p = await proxy({ dropRequest: 1 });
    let caught: unknown;
    try {
      p.setFaults(faults as Faults);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('validation_failed');
    await expect(fetch(`${p.url}/x`)).rejects.toThrow();
    expect(p.stats.droppedRequest).toBe(1);
  });

  it.each([
    ['a non-http target', { target: 'https://127.0.0.1:1' }],
    ['a target that is not a URL', { target: 'localhost:3000' }],
    ['a missing target', {}],
    ['bad initial faults', { target: 'http://127.0.0.1:1', faults: { dropRequest: 2 } }],
    ['an unknown option', { target: 'http://127.0.0.1:1', seeed: 1 }],
    ['a seed that is not an integer', { target: 'http://127.0.0.1:1', seed: 1.5 }],
  ])('startFaultProxy rejects %s', async (_name, options) => {
    await expect(startFaultProxy(options as never)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

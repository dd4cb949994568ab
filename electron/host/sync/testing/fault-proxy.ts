/**
 * A fault-injecting HTTP proxy on loopback for the sync tests (SYNC.md failure scenario 8): the host
 * talks to the proxy's `url` instead of the server, and a test breaks the network under it at runtime.
 * An HTTP proxy, not a byte pipe, because the faults that matter are per request (drop this push, lose
 * that acknowledgement after the server committed). `down` closes accepted connections at once, so a
 * client sees a reset rather than ECONNREFUSED; both are "network gone" to it.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { Transform } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../../../../shared/domain/errors.js';

export interface Faults {
  /** Network gone: new connections are closed on accept, open ones (streams included) destroyed. */
  down?: boolean;
  /** Probability of closing the connection before forwarding: the server never sees the request. */
  dropRequest?: number;
  /** Probability of letting the server answer in full, then closing without sending any of it. */
  dropResponse?: number;
  /** Probability of sending the headers and part of the body (a stream: its first chunk), then closing. */
  cutResponse?: number;
  /** Wait before forwarding: a fixed delay or a uniform draw from [min, max]. */
  delayMs?: number | [number, number];
  /** A slow link: the response body flows back at this many bytes per second (streams included). */
  bytesPerSecond?: number;
  /** Only requests for which this is true get faults (`down` excepted); `path` has no query string. */
  match?: (method: string, path: string) => boolean;
}

export interface FaultStats {
  /** Requests the proxy received (connections refused while down excluded). */
  requests: number;
  /** Requests relayed to the server whose response started flowing back untouched. */
  forwarded: number;
  /** Connections or requests turned away because the network was down. */
  refused: number;
  /** In-flight exchanges destroyed when the network went down or the proxy closed. */
  severed: number;
  droppedRequest: number;
  droppedResponse: number;
  cutResponse: number;
  delayed: number;
  /** Responses whose body was slowed to `bytesPerSecond`. */
  throttled: number;
  /** The server could not be reached or failed mid-answer; the client's connection was closed. */
  upstreamErrors: number;
}

export interface FaultProxyOptions {
  /** The real server, e.g. `http://127.0.0.1:3000`. */
  target: string;
  /** Seeds the fault draws; without it runs are not reproducible. */
  seed?: number;
  faults?: Faults;
  /** How delays are waited for; tests inject a controllable one. */
  sleep?: (ms: number) => Promise<void>;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Replaces every fault at once (`{}` is a clean network); throws `validation_failed` on bad input. */
  setFaults(faults: Faults): void;
  /** A snapshot of the counters. */
  readonly stats: FaultStats;
  /** Closes the listener and every open connection, both sides. */
  close(): Promise<void>;
}

/** mulberry32: a tiny 32-bit PRNG, good enough to spread faults and fully determined by its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const probability = z.number().min(0).max(1);
const millis = z.number().int().min(0);
const faultsSchema = z.strictObject({
  down: z.boolean().optional(),
  dropRequest: probability.optional(),
  dropResponse: probability.optional(),
  cutResponse: probability.optional(),
  delayMs: z
    .union([millis, z.tuple([millis, millis]).refine(([min, max]) => min <= max, 'min must not exceed max')])
    .optional(),
  bytesPerSecond: z.number().int().positive().optional(),
  match: z.custom<Faults['match']>((value) => typeof value === 'function', 'match must be a function').optional(),
});
const optionsSchema = z.strictObject({
  target: z.url({ protocol: /^http$/, error: 'target must be an http:// URL' }),
  seed: z.number().int().optional(),
  faults: z.unknown().optional(),
  sleep: z.custom<(ms: number) => Promise<void>>((value) => typeof value === 'function').optional(),
});

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', `invalid ${what}`, {
    errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

type Action = 'forward' | 'drop-request' | 'drop-response' | 'cut-response';
/** Always four draws whatever is set, so the seed and the order of matching requests fix the outcomes. */
function plan(faults: Faults, rng: () => number): { action: Action; delayMs: number } {
  const [r1, r2, r3, r4] = [rng(), rng(), rng(), rng()];
  const { delayMs = 0 } = faults;
  const delay = Array.isArray(delayMs) ? Math.round(delayMs[0] + r4 * (delayMs[1] - delayMs[0])) : delayMs;
  const hit = (p: number | undefined, r: number) => p !== undefined && r < p;
  let action: Action = 'forward';
  if (hit(faults.dropRequest, r1)) action = 'drop-request';
  else if (hit(faults.dropResponse, r2)) action = 'drop-response';
  else if (hit(faults.cutResponse, r3)) action = 'cut-response';
  return { action, delayMs: delay };
}

// Hop-by-hop headers describe one connection; each side of the proxy frames its own.
const HOP_BY_HOP = /^(connection|keep-alive|proxy-connection|transfer-encoding|te|trailer|upgrade)$/;

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.test(name)));
}

/** One listener; every open connection on both sides is tracked so `down` and `close` can cut it. */
class FaultProxyServer {
  readonly stats: FaultStats = {
    requests: 0,
    forwarded: 0,
    refused: 0,
    severed: 0,
    delayed: 0,
    throttled: 0,
    upstreamErrors: 0,
    droppedRequest: 0,
    droppedResponse: 0,
    cutResponse: 0,
  };
  faults: Faults;
  closing = false;
  readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly exchanges = new Set<http.ServerResponse>();
  private readonly upstreams = new Set<http.ClientRequest>();
  // A fresh upstream connection per request: the server sees a cut exactly when the proxy cuts.
  private readonly agent = new http.Agent({ keepAlive: false });
  private readonly target: URL;
  private readonly rng: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: z.output<typeof optionsSchema>) {
    this.target = new URL(opts.target);
    this.rng = mulberry32(opts.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.sleep = opts.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
    this.faults = parse(faultsSchema, opts.faults ?? {}, 'faults');
    this.server.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** Destroys every open connection on both sides; an in-flight exchange counts as severed. */
  severAll(): void {
    this.stats.severed += this.exchanges.size;
    this.exchanges.clear();
    for (const upstream of this.upstreams) upstream.destroy();
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.severAll();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.refuse(socket)) return;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private refuse(socket: Socket): boolean {
    if (!this.faults.down && !this.closing) return false;
    this.stats.refused++;
    socket.destroy();
    return true;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.stats.requests++;
    if (this.refuse(req.socket)) return;
    this.exchanges.add(res);
    res.once('close', () => this.exchanges.delete(res));
    const faults = this.faults;
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const matched = faults.match ? faults.match(req.method ?? 'GET', path) : true;
    const { action, delayMs } = matched ? plan(faults, this.rng) : { action: 'forward' as const, delayMs: 0 };
    if (action === 'drop-request') {
      this.stats.droppedRequest++;
      req.socket.destroy();
      return;
    }
    if (delayMs > 0) {
      this.stats.delayed++;
      await this.sleep(delayMs);
      // Cut while waiting (down, close, or the client gave up): nothing left to forward.
      if (req.socket.destroyed) return;
    }
    this.forward(req, res, action, matched ? faults.bytesPerSecond : undefined);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, action: Action, rate?: number): void {
    const upstream = http.request({
      host: this.target.hostname,
      port: this.target.port || 80,
      method: req.method,
      path: req.url,
      headers: { ...endToEnd(req.headers), host: this.target.host },
      agent: this.agent,
    });
    this.upstreams.add(upstream);
    upstream.once('close', () => this.upstreams.delete(upstream));
    upstream.once('response', (upRes) => {
      upRes.once('error', () => res.socket?.destroy());
      this.relay(upRes, res, action, rate);
    });
    upstream.once('error', () => {
      if (this.exchanges.has(res)) this.stats.upstreamErrors++;
      res.socket?.destroy();
    });
    // The client gave up (or was cut): the server must see its request end too, streams included.
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private relay(upRes: http.IncomingMessage, res: http.ServerResponse, action: Action, rate?: number): void {
    const status = upRes.statusCode ?? 502;
    const headers = endToEnd(upRes.headers);
    if (action === 'drop-response') {
      // Read the whole answer so the server finishes (and commits) before the client loses it.
      upRes.resume();
      upRes.once('end', () => {
        this.stats.droppedResponse++;
        res.socket?.destroy();
      });
    } else if (action === 'cut-response') {
      this.stats.cutResponse++;
      cut(upRes, res, status, headers);
    } else {
      this.stats.forwarded++;
      res.writeHead(status, headers);
      // Streams (the SSE endpoint) must reach the client as they come: no buffering anywhere.
      res.flushHeaders();
      if (rate === undefined) upRes.pipe(res);
      else {
        this.stats.throttled++;
        upRes.pipe(slowLink(rate, this.sleep)).pipe(res);
      }
    }
  }
}

/** Passes each chunk on after the time it would take to cross a link of `rate` bytes per second. */
function slowLink(rate: number, sleep: (ms: number) => Promise<void>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sleep(Math.ceil((chunk.length / rate) * 1000)).then(
        () => done(null, chunk),
        (error: Error) => done(error),
      );
    },
  });
}

/** Headers and part of the body, then the connection is destroyed. */
function cut(upRes: http.IncomingMessage, res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders) {
  const kill = () => res.socket?.destroy();
  if (String(upRes.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    // A stream has no end to wait for: pass its first chunk, then cut.
    res.writeHead(status, headers);
    res.flushHeaders();
    upRes.once('data', (chunk: Buffer) => res.write(chunk, kill));
    upRes.once('end', kill);
    return;
  }
  const chunks: Buffer[] = [];
  upRes.on('data', (chunk: Buffer) => chunks.push(chunk));
  upRes.once('end', () => {
    const body = Buffer.concat(chunks);
    // The full length is announced so the client can tell the body came short.
    res.writeHead(status, { ...headers, 'content-length': body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)), kill);
  });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const opts = parse(optionsSchema, options, 'fault proxy options');
  const proxy = new FaultProxyServer(opts);
  await new Promise<void>((resolve, reject) => {
    proxy.server.once('error', reject);
    proxy.server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (proxy.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFaults(next: Faults) {
      proxy.faults = parse(faultsSchema, next, 'faults');
      if (proxy.faults.down) proxy.severAll();
    },
    get stats() {
      return { ...proxy.stats };
    },
    close: () => proxy.close(),
  };
}

/**
 * Browser mode (`npm run backoffice`): the host serves the back-office UI and its contract over
 * HTTP on 127.0.0.1, so staff can work where Electron cannot run and e2e tests can drive it.
 *
 * Threat model: other web sites open in the same browser, and other users of the same machine.
 * - Loopback only, and every API call carries a random per-launch secret (`Authorization: Bearer`).
 *   Other local users cannot read it (it is printed to the launching terminal only).
 * - The launch URL carries the secret in the fragment (`/#secret=…`), not the query: browsers
 *   never send a fragment to any server, nor in a Referer, so it stays out of logs and out of
 *   every request; the UI's bridge reads it once, keeps it in memory and strips it from the address bar.
 *   Static files need no secret and the index page never embeds it, so reading the page gives nothing.
 * - The Host header must name this server (DNS-rebinding defence) and an Origin, when sent, must be
 *   this origin. No CORS headers are ever sent, so cross-origin pages cannot read any answer, and a
 *   JSON content type is required on POST, so a plain HTML form cannot post either.
 * - Channel calls also go over a WebSocket (web-socket.ts: much cheaper per call in a browser),
 *   whose upgrade must pass the same Host, Origin and secret checks.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { type HostEvent, IMAGE_CDN_ORIGINS, isChannelName, MEDIA_MAX_BYTES } from '../../shared/contract/backoffice.js';
import { AppError } from '../../shared/domain/errors.js';
import type { BackofficeHost } from './host.js';
import { type ChannelSockets, serveChannelSockets } from './web-socket.js';

export const LOOPBACK = '127.0.0.1';
/** The sync bar needs no more than a few updates a second; a sync pass can emit hundreds. */
export const STATUS_THROTTLE_MS = 250;
/** Channel inputs are small; the largest is a product with its variants. */
const BODY_LIMIT = '1mb';
/** Except an image: the largest file the queue takes, in base64 (4 characters per 3 bytes), plus its name and alt. */
const UPLOAD_BODY_LIMIT = Math.ceil((MEDIA_MAX_BYTES * 4) / 3) + 64 * 1024;
const UPLOAD_CHANNEL = 'media:upload';

/** The secret goes into a URL fragment and a header: URL-safe, and long enough to be unguessable. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  staticDir: z.string().min(1).optional(),
  secret: z.string().regex(SECRET_SHAPE, 'must be 32 to 256 URL-safe characters').optional(),
});

export interface WebHostOptions {
  host: BackofficeHost;
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  /** The Vite build of renderer/; defaults to dist/renderer at the repository root. */
  staticDir?: string;
  /** Defaults to 32 random bytes, base64url. */
  secret?: string;
  /** Told about unexpected (500) errors; defaults to console.error. */
  onError?: (error: unknown) => void;
}

export interface WebHost {
  /** What to open: http://127.0.0.1:PORT/#secret=… */
  url: string;
  port: number;
  secret: string;
  /** Stops serving and ends the event streams; the BackofficeHost stays open (its owner closes it). */
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new AppError('validation_failed', 'invalid web host options', {
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  const { port } = parsed.data;
  const secret = parsed.data.secret ?? randomBytes(32).toString('base64url');
  const staticDir = parsed.data.staticDir ?? defaultStaticDir();
  // Known once listening; no request can arrive before that.
  let boundPort = 0;
  const onError = options.onError ?? ((error: unknown) => console.error('backoffice web host:', error));
  const events = eventBroadcaster(options.host);
  const app = createApp({ host: options.host, secret, staticDir, events, port: () => boundPort, onError });
  const server = await listen(app, port).catch((error: unknown) => {
    events.stop();
    throw error;
  });
  boundPort = (server.address() as AddressInfo).port;
  const sockets = serveChannelSockets(server, options.host, {
    foreign: (req) => foreignRequest(req.headers, boundPort),
    secretMatches: secretMatcher(secret),
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${boundPort}/#secret=${secret}`,
    port: boundPort,
    secret,
    close: () => (closing ??= shutdown(server, events, sockets)),
  };
}

/** dist/renderer at the repository root, whether this file runs from source or compiled into dist/. */
export function defaultStaticDir(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return path.basename(root) === 'dist' ? path.join(root, 'renderer') : path.join(root, 'dist', 'renderer');
}

type AppParts = Required<Pick<WebHostOptions, 'host' | 'secret' | 'staticDir' | 'onError'>> & {
  events: ReturnType<typeof eventBroadcaster>;
  port: () => number;
};

function createApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(() => serverOrigin(parts.host)));
  app.use(sameOriginOnly(parts.port));
  app.use('/api', requireSecret(parts.secret));
  app.get('/api/events', parts.events.subscribe);
  app.post('/api/:channel', acceptChannelCall, channelBody(), runChannel(parts.host));
  app.use('/api', (req, _res, next) => next(new AppError('not_found', `No API route for ${req.method} ${req.path}`)));
  app.use(express.static(parts.staticDir, { index: false, dotfiles: 'ignore', fallthrough: true }));
  app.use(spaFallback(parts.staticDir));
  app.use(errorHandler(parts.onError));
  return app;
}

const SELF = ["'self'"];
const NONE_OF = { objectSrc: ["'none'"], baseUri: ["'none'"], frameAncestors: ["'none'"] };

/**
 * No HSTS: browsers ignore it over plain HTTP, and a loopback server has no TLS to insist on.
 * Images may also come from data: and blob: URLs (Vite inlines small images; queued uploads show a
 * data: thumbnail; a picked file previews as a blob:) and from the configured central server
 * (product pictures), read per request since the server URL can change while the host runs, and
 * from Cloudinary when the server keeps its pictures there.
 */
function securityHeaders(serverImages: () => string | null): RequestHandler {
  return helmet({
    // default-src covers scripts, styles, fonts and fetches: this origin only, nothing inline.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: SELF,
        imgSrc: [...SELF, 'data:', 'blob:', ...IMAGE_CDN_ORIGINS, () => serverImages() ?? "'self'"],
        formAction: SELF,
        ...NONE_OF,
      },
    },
    strictTransportSecurity: false,
  });
}

/** The central server's origin only (stored normalised as an http(s) URL, sync/session.ts): no path, nothing a CSP could misread. */
function serverOrigin(host: BackofficeHost): string | null {
  const url = host.store.sqlite.open ? host.engine.serverUrl() : null;
  return url ? new URL(url).origin : null;
}

/** JSON bodies: small, but an image upload may carry a whole (base64) file. */
function channelBody(): RequestHandler {
  const small = express.json({ limit: BODY_LIMIT, inflate: false });
  const upload = express.json({ limit: UPLOAD_BODY_LIMIT, inflate: false });
  return (req, res, next) => (req.params.channel === UPLOAD_CHANNEL ? upload : small)(req, res, next);
}

/** DNS rebinding sends another name in Host; a cross-site fetch or form sends another Origin. */
function sameOriginOnly(port: () => number): RequestHandler {
  return (req, _res, next) => next(foreignRequest(req.headers, port()));
}

/** Why a request is not from this server's own page (a forbidden AppError), or undefined when it is. */
export function foreignRequest(headers: IncomingHttpHeaders, port: number): AppError | undefined {
  const hostHeader = headers.host?.toLowerCase() ?? '';
  const origin = headers.origin?.toLowerCase();
  if (![`${LOOPBACK}:${port}`, `localhost:${port}`].includes(hostHeader))
    return new AppError('forbidden', 'This server only answers to its own loopback address');
  if (origin !== undefined && origin !== `http://${hostHeader}`)
    return new AppError('forbidden', 'Requests from other origins are refused');
  return undefined;
}

function requireSecret(secret: string): RequestHandler {
  const matches = secretMatcher(secret);
  return (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
    if (!match || !matches(match[1]!)) return next(new AppError('forbidden', 'Missing or wrong secret'));
    // Answers hold store data: no cache keeps them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** Both sides hashed to one length, so the comparison's time says nothing about the secret. */
export function secretMatcher(secret: string): (given: string) => boolean {
  const expected = createHash('sha256').update(secret).digest();
  return (given) => timingSafeEqual(createHash('sha256').update(given).digest(), expected);
}

/**
 * A known channel, then a JSON content type: checked on the header itself, so a POST without a
 * body needs it too (an HTML form cannot send JSON, and a cross-site fetch that does is preflighted).
 */
const acceptChannelCall: RequestHandler = (req, _res, next) => {
  const name = typeof req.params.channel === 'string' ? req.params.channel : '';
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!isChannelName(name)) next(new AppError('not_found', `Unknown channel "${name.slice(0, 100)}"`));
  else if (type !== 'application/json')
    next(new AppError('unsupported_media_type', 'Channel calls must send Content-Type: application/json'));
  else next();
};

/** The host validates the input with the contract; the body (undefined when empty) is passed as is. */
function runChannel(host: BackofficeHost): RequestHandler {
  return async (req, res) => {
    const value = await host.call(req.params.channel as string, req.body as unknown);
    res.json({ ok: true, value });
  };
}

/** Client-side routes get the SPA's index.html; a missing build gets a page saying how to make one. */
function spaFallback(staticDir: string): RequestHandler {
  const indexFile = path.join(staticDir, 'index.html');
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(new AppError('not_found', 'Not found'));
    // A missing asset (a path with an extension) is a 404, not the app's HTML.
    if (path.posix.extname(req.path) !== '') return next(new AppError('not_found', `No file ${req.path}`));
    if (!existsSync(indexFile)) {
      res.status(503).type('html').send(MISSING_BUILD_PAGE);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(indexFile, (error) => error && next(error));
  };
}

const MISSING_BUILD_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Nexus back-office</title>
<h1>The back-office UI is not built yet</h1><p>Run <code>npm run build</code>, then reload this page.</p>`;

/** Errors raised by express.json carry a `type`; these are the client's fault. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  if (type === 'entity.parse.failed') return new AppError('invalid_json', 'The request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new AppError('unsupported_media_type', 'Unsupported content encoding or charset');
  if (type === 'request.aborted') return new AppError('bad_request', 'The request was aborted');
  return undefined;
}

/** The bridge's envelope: `{ok: false, error: {code, message, errors?}}` with the code's status. */
function errorHandler(onError: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    let appError = error instanceof AppError ? error : fromBodyParser(error);
    if (!appError) {
      onError(error);
      appError = new AppError('internal', 'Something went wrong in the back-office host');
    }
    const { code, message, errors } = appError;
    res.status(appError.status).json({ ok: false, error: { code, message, ...(errors ? { errors } : {}) } });
  };
}

/**
 * One host listener for all streams. Each HostEvent goes out as an SSE event named by its type with
 * the event as data. Status is throttled (the latest one wins); the rarer `changed` and
 * `orderArrived` go at once. A new stream gets the current status first, so the sync bar is right
 * before anything changes. EventSource cannot set headers: the UI reads this stream with fetch().
 */
function eventBroadcaster(host: BackofficeHost) {
  const streams = new Set<Response>();
  const send = (res: Response, event: HostEvent) =>
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const currentStatus = (): HostEvent => ({ type: 'status', status: host.engine.status() });
  const sendAll = (event: HostEvent) => {
    for (const res of streams) send(res, event);
  };
  const broadcastStatus = throttle(() => {
    // The host may be closed before this server: a closed store has no status to tell.
    if (streams.size > 0 && host.store.sqlite.open) sendAll(currentStatus());
  }, STATUS_THROTTLE_MS);
  const unsubscribe = host.onEvent((event) => (event.type === 'status' ? broadcastStatus() : sendAll(event)));
  const subscribe: RequestHandler = (_req, res) => {
    res.status(200).setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.flushHeaders();
    streams.add(res);
    res.on('close', () => streams.delete(res));
    send(res, currentStatus());
  };
  const stop = () => {
    unsubscribe();
    broadcastStatus.cancel();
    for (const res of streams) res.end();
    streams.clear();
  };
  return { subscribe, stop };
}

/**
 * Runs `fn` soon (next tick), then at most once per `ms`: calls in between collapse into one
 * trailing run, which reads the state as it is then.
 */
export function throttle(fn: () => void, ms: number): (() => void) & { cancel(): void } {
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const call = () => void (timer ??= setTimeout(run, Math.max(0, last + ms - Date.now())));
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return Object.assign(call, { cancel });
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => resolve(server));
  });
}

async function shutdown(server: Server, events: { stop(): void }, sockets: ChannelSockets): Promise<void> {
  events.stop();
  await sockets.close();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

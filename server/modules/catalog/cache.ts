import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { DbOrTx } from '../../db/client.js';
import { queryRows } from '../../db/sql.js';

/**
 * HTTP caching for the public catalog reads (categories, product search, one product).
 *
 * The ETag is a hash of the catalog's change position and the normalised URL. Every write to a
 * synced catalog row (categories, products, variants, images, stock levels, deletions) takes a
 * fresh value from `sync_change_seq`, so reading `last_value` tells in one tiny query whether
 * anything may have changed. The check runs before the route's own work: a matching
 * If-None-Match gets a 304 without running the search.
 *
 * Two things do not move the sequence, so the ETag also carries a short time window (its own per
 * URL, catalogEtag):
 * - derived columns (rating, sales count) are refreshed without a sync bump;
 * - a writer takes its sequence value before it commits, so a read in that gap can pair the new
 *   position with the old data.
 * Both are therefore visible within CACHE_WINDOW_SECONDS at most; stock and catalog edits that
 * have committed are visible at once.
 */
export const CACHE_WINDOW_SECONDS = 60;

/**
 * Shoppers' browsers and CDNs may keep a copy but must ask before every reuse: prices and stock
 * must not be shown stale, and asking costs one sequence read and a 304 with no body.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/** A signed-in request's answer is for that client alone; never for a shared cache. */
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';

/** Path plus query with its parameters sorted, so `?a=1&b=2` and `?b=2&a=1` share a validator. */
export function normalizedUrl(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://localhost');
  url.searchParams.sort();
  const query = url.searchParams.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/** FNV-1a of a string, for spreading answers over the seconds of a window (not a security hash). */
function spread(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * A weak validator: the body is the same JSON for the same state, but a proxy that compresses it
 * changes the bytes, and weak comparison is all If-None-Match needs.
 *
 * It names the state's change position and a time window of the answer's own: each URL's window
 * starts at its own second of the minute. One window for every answer made every cached answer
 * miss in the same instant once a minute, and the database took the whole catalog's reads at once
 * (bench:catalog: the product page's p95 doubled in a measurement that spanned a turn). The
 * state's own window (its last part) still keys the handlers' caches.
 */
export function catalogEtag(state: string, url: string, audience: string, nowMs = Date.now()): string {
  const position = state.slice(0, state.lastIndexOf(':'));
  const key = `${audience}\n${url}`;
  const window = Math.floor((nowMs / 1000 + (spread(key) % CACHE_WINDOW_SECONDS)) / CACHE_WINDOW_SECONDS);
  const digest = createHash('sha256').update(`${position}\n${window}\n${key}`).digest('base64url').slice(0, 27);
  return `W/"${digest}"`;
}

/** The catalog change position plus the current time window, e.g. `1234:t:29876543`. */
export async function catalogState(db: DbOrTx): Promise<string> {
  const [row] = await queryRows<{ state: string }>(
    db,
    sql`select last_value::text || ':' || is_called::text || ':' ||
      floor(extract(epoch from now()) / ${CACHE_WINDOW_SECONDS})::bigint::text as state
      from sync_change_seq`,
  );
  return row!.state;
}

/** One cached answer: the JSON text exactly as it was sent the first time. */
export interface CachedBody {
  body: string;
  /** Content-Type as first sent (JSON for the API, HTML or XML for storefront pages). */
  type: string;
}

/** The audience of an answer for anyone: the only one that may be shared between instances. */
const PUBLIC = 'public';

/**
 * What the instances share when Redis is configured (server/redis/catalog.ts): public answers, so
 * one computed by any instance is served by all, and news of writes, so each drops its state at once.
 */
export interface SharedCatalog {
  /** The public answer stored under `etag`; undefined on a miss and whenever the store cannot answer. */
  get(etag: string): Promise<CachedBody | undefined>;
  /** Stores a public answer in the background. */
  set(etag: string, entry: CachedBody): void;
  /** Tells the other instances that the catalog may have changed; resolves once told, or once that failed. */
  announce(): Promise<void>;
  /** Runs `listener` on another instance's announcement, and whenever some may have been missed. */
  subscribe(listener: () => void): void;
}

export interface CatalogCacheOptions {
  /** How long one read of the catalog state serves other requests (0: read it every time). */
  stateTtlMs: number;
  /** Bytes of response bodies kept in memory (0: no response cache, shared or not). */
  responseBytes: number;
  /** Shared with the other instances (Redis); unset: this instance alone. */
  shared?: SharedCatalog | undefined;
}

/**
 * The catalog's read-side cache, one per app.
 *
 * `state()` reads the catalog state (change sequence + time window) at most once per
 * `stateTtlMs`, shared by every request in that interval; `invalidate()` forgets it, and the app
 * calls it whenever one of its own requests may have written (see `invalidateOnWrite`), so what
 * this instance changed shows at once. With a shared layer, the other instances are told too and
 * forget theirs; otherwise (and for a background job's writes, or while Redis is away) a write
 * elsewhere shows within `stateTtlMs`.
 *
 * `responses` keeps serialised catalog answers keyed by their ETag, which already names the
 * state, the normalised URL and the audience: a new state is a new key, so nothing is ever
 * served across a catalog change and old entries simply age out of the LRU. Public answers are
 * also kept in the shared layer, where they age out with their time window.
 */
export class CatalogCache {
  readonly responses: LRUCache<string, CachedBody> | undefined;
  readonly shared: SharedCatalog | undefined;
  private cached: { state: string; at: number } | undefined;
  private inflight: Promise<string> | undefined;
  private generation = 0;

  constructor(
    private readonly db: DbOrTx,
    private readonly options: CatalogCacheOptions,
  ) {
    this.responses =
      options.responseBytes > 0
        ? new LRUCache<string, CachedBody>({
            maxSize: options.responseBytes,
            sizeCalculation: (entry) => Math.max(1, Buffer.byteLength(entry.body)),
          })
        : undefined;
    this.shared = options.shared;
    this.shared?.subscribe(() => this.invalidate());
  }

  /**
   * The answer kept under `etag`: this instance's memory first, then, if `askShared`, the shared
   * layer (a hit there is copied into memory for the next request).
   */
  async lookup(etag: string, askShared: boolean): Promise<CachedBody | undefined> {
    const responses = this.responses;
    const local = responses?.get(etag);
    if (local || !responses || !askShared || !this.shared) return local;
    const found = await this.shared.get(etag);
    if (found) responses.set(etag, found);
    return found;
  }

  /** Keeps an answer in memory and, if `share`, in the shared layer. */
  keep(etag: string, entry: CachedBody, share: boolean): void {
    this.responses?.set(etag, entry);
    if (share) this.shared?.set(etag, entry);
  }

  async state(): Promise<string> {
    // Another instance's announcement of a write reached this process before the request that
    // follows the write could (it was passed on before that write's answer went out), but the event
    // loop may run the request's callback first: letting the pending I/O callbacks run before the
    // state is trusted makes sure the announcement has been heard.
    if (this.shared) await new Promise<void>((resolve) => setImmediate(resolve));
    const cached = this.cached;
    if (cached && performance.now() - cached.at < this.options.stateTtlMs) return cached.state;
    // One read in flight at a time: a burst of requests after expiry shares it.
    this.inflight ??= this.readState();
    return this.inflight;
  }

  /** Forgets the state; a read that started before this call is not kept (it may predate the write). */
  invalidate(): void {
    this.generation += 1;
    this.cached = undefined;
    this.inflight = undefined;
  }

  private async readState(): Promise<string> {
    const generation = this.generation;
    try {
      const state = await catalogState(this.db);
      if (generation === this.generation) this.cached = { state, at: performance.now() };
      return state;
    } finally {
      if (generation === this.generation) this.inflight = undefined;
    }
  }
}

/**
 * App middleware: a request that may write (anything but GET, HEAD, OPTIONS) invalidates the
 * catalog state as its response starts, after the handler's transaction committed and before the
 * client can send its next request, so a shopper or staff member reads their own writes.
 *
 * With a shared layer, a successful write is also announced to the other instances, and the
 * response ends only once Redis has passed that on: the client's next request, whichever instance
 * it reaches, then reads afresh. A refused request (4xx, 5xx) rolled its transaction back and is
 * not announced; a write that is not announced (Redis away) shows elsewhere within the state TTL.
 */
export function invalidateOnWrite(cache: CatalogCache): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      cache.invalidate();
      return writeHead(...args);
    }) as Response['writeHead'];
    const shared = cache.shared;
    if (shared) {
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      let announced: Promise<void> | undefined;
      res.end = ((...args: unknown[]) => {
        if (res.statusCode >= 400) return end(...args);
        announced ??= shared.announce();
        void announced.then(() => end(...args));
        return res;
      }) as Response['end'];
    }
    next();
  };
}

/**
 * Only a success keeps the validator: an error (a 500 above all) must never be revalidated into
 * a 304. A success is handed to `keep` (the response cache, under its ETag).
 */
function onSend(res: Response, keep: ((body: string, type: string) => void) | undefined): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    if (res.statusCode < 200 || res.statusCode >= 300) {
      res.removeHeader('ETag');
      res.setHeader('Cache-Control', 'no-store');
    } else if (keep && res.statusCode === 200 && typeof body === 'string') {
      keep(body, String(res.getHeader('Content-Type') ?? 'application/json'));
    }
    return send(body);
  }) as Response['send'];
}

/** The public catalog reads whose answers the response cache may hold (the routes using catalogCache). */
const CACHED_PATHS = /^\/api\/v1\/(?:categories|products)(?:\/[^/]+)?\/?$/;

/**
 * Answers a public catalog GET from the response cache (memory, then the shared layer); false on
 * a miss, which is noted so the route does not ask the shared layer a second time.
 */
async function answerFromCache(cache: CatalogCache, req: Request, res: Response): Promise<boolean> {
  const etag = catalogEtag(await cache.state(), normalizedUrl(req.originalUrl), PUBLIC);
  const hit = await cache.lookup(etag, true);
  if (!hit) {
    res.locals.catalogSharedMiss = etag;
    return false;
  }
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
  res.vary('Authorization');
  if (req.fresh) res.status(304).end();
  else res.type(hit.type).send(hit.body);
  return true;
}

/**
 * App middleware, ahead of body parsing, authentication and routing: a public catalog GET whose
 * answer is already cached for the current state is answered here, with the same validator and
 * headers the route would send. Anything else (a signed-in request, a miss, another path) goes
 * on untouched, so this can only ever serve what catalogCache stored for the same URL and state.
 */
export function cachedCatalogAnswers(cache: CatalogCache): RequestHandler {
  return (req, res, next) => {
    if (!cache.responses || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (req.headers.authorization !== undefined || !CACHED_PATHS.test(req.path)) return next();
    answerFromCache(cache, req, res).then((answered) => {
      if (!answered) next();
    }, next);
  };
}

/**
 * Route middleware (`before: [catalogCache(ctx.catalog)]`) for GETs whose answer depends only on
 * the catalog and the URL: sets ETag and Cache-Control, answers 304 to a matching If-None-Match,
 * and serves a body cached for the same ETag without running the route.
 */
export function catalogCache(cache: CatalogCache): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const audience = req.auth ? `auth:${req.auth.role}` : PUBLIC;
    const state = await cache.state();
    // Handlers may key their own caches on the same state instead of reading it again.
    res.locals.catalogState = state;
    const etag = catalogEtag(state, normalizedUrl(req.originalUrl), audience);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', req.auth ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL);
    res.vary('Authorization');
    // Express compares If-None-Match with the ETag just set (and honours a request's no-cache).
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    // A signed-in answer stays in this instance: it is for that client, never for a shared cache.
    const share = audience === PUBLIC;
    const hit = await cache.lookup(etag, share && res.locals.catalogSharedMiss !== etag);
    if (hit) {
      res.type(hit.type).send(hit.body);
      return;
    }
    onSend(res, cache.responses ? (body, type) => cache.keep(etag, { body, type }, share) : undefined);
    next();
  };
}

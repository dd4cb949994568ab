import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
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
 * Two things do not move the sequence, so the position also carries a short time window:
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

/**
 * A weak validator: the body is the same JSON for the same state, but a proxy that compresses it
 * changes the bytes, and weak comparison is all If-None-Match needs.
 */
export function catalogEtag(state: string, url: string, audience: string): string {
  const digest = createHash('sha256').update(`${state}\n${audience}\n${url}`).digest('base64url').slice(0, 27);
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
interface CachedBody {
  body: string;
  /** Content-Type as first sent (JSON for the API, HTML or XML for storefront pages). */
  type: string;
}

export interface CatalogCacheOptions {
  /** How long one read of the catalog state serves other requests (0: read it every time). */
  stateTtlMs: number;
  /** Bytes of response bodies kept in memory (0: no response cache). */
  responseBytes: number;
}

/**
 * The catalog's read-side cache, one per app.
 *
 * `state()` reads the catalog state (change sequence + time window) at most once per
 * `stateTtlMs`, shared by every request in that interval; `invalidate()` forgets it, and the app
 * calls it whenever one of its own requests may have written (see `invalidateOnWrite`), so what
 * this instance changed shows at once. A write by another instance, or by a background job,
 * shows within `stateTtlMs`.
 *
 * `responses` keeps serialised catalog answers keyed by their ETag, which already names the
 * state, the normalised URL and the audience: a new state is a new key, so nothing is ever
 * served across a catalog change and old entries simply age out of the LRU.
 */
export class CatalogCache {
  readonly responses: LRUCache<string, CachedBody> | undefined;
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
  }

  async state(): Promise<string> {
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
 */
export function invalidateOnWrite(cache: CatalogCache): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      cache.invalidate();
      return writeHead(...args);
    }) as Response['writeHead'];
    next();
  };
}

/**
 * Only a success keeps the validator: an error (a 500 above all) must never be revalidated into
 * a 304. A public success is kept in the response cache under its ETag.
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
 * App middleware, ahead of body parsing, authentication and routing: a public catalog GET whose
 * answer is already cached for the current state is answered here, with the same validator and
 * headers the route would send. Anything else (a signed-in request, a miss, another path) goes
 * on untouched, so this can only ever serve what catalogCache stored for the same URL and state.
 */
export function cachedCatalogAnswers(cache: CatalogCache): RequestHandler {
  return (req, res, next) => {
    const responses = cache.responses;
    if (!responses || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (req.headers.authorization !== undefined || !CACHED_PATHS.test(req.path)) return next();
    cache.state().then((state) => {
      const etag = catalogEtag(state, normalizedUrl(req.originalUrl), 'public');
      const hit = responses.get(etag);
      if (!hit) return next();
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
      res.vary('Authorization');
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type(hit.type).send(hit.body);
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
    const audience = req.auth ? `auth:${req.auth.role}` : 'public';
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
    const responses = cache.responses;
    const hit = responses?.get(etag);
    if (hit) {
      res.type(hit.type).send(hit.body);
      return;
    }
    onSend(res, responses ? (body, type) => responses.set(etag, { body, type }) : undefined);
    next();
  };
}

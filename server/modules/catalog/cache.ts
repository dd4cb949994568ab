import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
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

/** Only a success keeps the validator: an error (a 500 above all) must never be revalidated into a 304. */
function validatorOnSuccessOnly(res: Response): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    if (res.statusCode < 200 || res.statusCode >= 300) {
      res.removeHeader('ETag');
      res.setHeader('Cache-Control', 'no-store');
    }
    return send(body);
  }) as Response['send'];
}

/** Route middleware (`before: [catalogCache(db)]`) for GETs whose answer depends only on the catalog and the URL. */
export function catalogCache(db: DbOrTx): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const audience = req.auth ? `auth:${req.auth.role}` : 'public';
    const state = await catalogState(db);
    // Handlers may key their own caches on the same state instead of reading it again.
    res.locals.catalogState = state;
    res.setHeader('ETag', catalogEtag(state, normalizedUrl(req.originalUrl), audience));
    res.setHeader('Cache-Control', req.auth ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL);
    res.vary('Authorization');
    // Express compares If-None-Match with the ETag just set (and honours a request's no-cache).
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    validatorOnSuccessOnly(res);
    next();
  };
}

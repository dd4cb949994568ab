/**
 * The API client: same-origin /api/v1 over fetch, JSON in and out, problem+json turned into
 * `ApiError`. A signed-in shopper's calls carry the Bearer token; a 401 refreshes the pair once
 * and repeats the call, else signs out. Refresh tokens rotate and a reused one revokes the whole
 * session, so only one refresh may run at a time — across tabs too (Web Locks), and a tab that
 * waited takes the pair another tab just got instead of spending the old one again.
 */
import { ApiError, networkError, toApiError } from './errors.js';
import { clearSession, guestCartToken, saveTokens, session } from './session.js';

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the guest cart token when not signed in (cart and checkout calls). */
  cart?: boolean;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
}

const BASE = '/api/v1';
let refreshing: Promise<boolean> | undefined;

function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request('nexus-auth-refresh', fn) as Promise<T>) : fn();
}

/**
 * Exchange the refresh token for a new pair; true when the caller may retry with a token other
 * than `stale`. A refused refresh ends the session; a network failure keeps it (and throws).
 */
export function refreshSession(stale: string): Promise<boolean> {
  refreshing ??= withLock(async () => {
    const current = session();
    if (!current) return false;
    // Another tab (or an earlier call here) already refreshed while this one waited.
    if (current.accessToken !== stale && current.expiresAt > Date.now()) return true;
    let response: Response;
    try {
      response = await fetch(`${BASE}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
    } catch {
      throw networkError();
    }
    if (!response.ok) {
      if (response.status < 500) clearSession();
      return false;
    }
    saveTokens((await response.json()) as { accessToken: string; refreshToken: string; expiresIn: number });
    return true;
  }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function url(path: string, query?: CallOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function send(method: string, path: string, options: CallOptions, bearer: string | undefined) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  else if (options.cart) {
    const token = guestCartToken();
    if (token) headers['X-Cart-Token'] = token;
  }
  try {
    return await fetch(url(path, options.query), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw networkError();
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One API call. Resolves with the parsed body (undefined for 204); rejects with `ApiError`. */
export async function api<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  let current = session();
  if (current && current.expiresAt <= Date.now()) {
    await refreshSession(current.accessToken);
    current = session();
  }
  let response = await send(method, path, options, current?.accessToken);
  if (response.status === 401 && current) {
    if (await refreshSession(current.accessToken)) {
      response = await send(method, path, options, session()?.accessToken);
    }
    if (response.status === 401) clearSession();
  }
  const body = await bodyOf(response);
  if (!response.ok) throw toApiError(response.status, body);
  return body as T;
}

export const get = <T>(path: string, options?: CallOptions): Promise<T> => api<T>('GET', path, options);
export const post = <T>(path: string, body?: unknown, options?: CallOptions): Promise<T> =>
  api<T>('POST', path, { ...options, body: body ?? {} });
export const patch = <T>(path: string, body: unknown, options?: CallOptions): Promise<T> =>
  api<T>('PATCH', path, { ...options, body });
export const del = <T>(path: string, options?: CallOptions): Promise<T> => api<T>('DELETE', path, options);
export const put = <T>(path: string, options?: CallOptions): Promise<T> => api<T>('PUT', path, options);

export { ApiError };

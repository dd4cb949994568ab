/** Where to go after signing in: pure helpers for `?next=`, unit-tested. */

const BASE = 'https://shop.invalid';
/** Going back to these after signing in would loop. */
const AUTH_PAGES = new Set(['/login', '/register']);

/**
 * `next` when it is a path on this site, else `fallback`. Refuses absolute and protocol-relative
 * URLs (`//evil.example`), backslashes (browsers read `/\evil.example` as `//evil.example`),
 * control characters and the sign-in pages themselves.
 */
export function safeNext(next: string | null | undefined, fallback = '/account'): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//')) return fallback;
  if (/[\\\p{Cc}]/u.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || AUTH_PAGES.has(url.pathname)) return fallback;
  return url.pathname + url.search + url.hash;
}

/** The sign-in page that comes back to `here` afterwards. */
export function loginHref(here: string, page: '/login' | '/register' = '/login'): string {
  const next = safeNext(here, '');
  return next && next !== '/' ? `${page}?next=${encodeURIComponent(next)}` : page;
}

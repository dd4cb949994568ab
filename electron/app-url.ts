/**
 * The desktop window loads the UI from a private `app://nexus/` origin served by the main process
 * (protocol.ts), never from file:// (every local file would share its origin) nor from a port
 * (anything on the machine could call it). Pure decisions about those URLs; no 'electron' import.
 */
import path from 'node:path';
import { IMAGE_CDN_ORIGINS } from '../shared/contract/shapes.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'nexus';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

function parse(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A page (or frame) of our own UI: the only sender the IPC handlers answer, the only navigation allowed. */
export function isAppUrl(url: string | undefined): boolean {
  const parsed = parse(url);
  return parsed?.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** Links worth handing to the OS browser: plain web pages, never file:, javascript: or custom schemes. */
export function isExternalLink(url: string | undefined): boolean {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return false;
  // user:pass@ URLs are a classic way to disguise where a link goes.
  return parsed.username === '' && parsed.password === '';
}

/**
 * The file under `root` that an app:// request names, or null when it is not ours or would escape
 * `root` (`..`, encoded slashes). Paths without an extension get index.html: the UI routes by hash,
 * but a reload of any path must still find the app.
 */
export function resolveAppFile(url: string, root: string): string | null {
  const parsed = parse(url);
  if (!parsed || !isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = path.posix.extname(pathname) === '' ? 'index.html' : path.posix.normalize(pathname).slice(1);
  const file = path.resolve(root, relative);
  const inside = path.relative(path.resolve(root), file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Served with nosniff, so an unknown type stays an inert download rather than a guessed script. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** An origin is only put into the policy when it cannot smuggle in a directive (`;`, spaces, quotes). */
const SAFE_ORIGIN = /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/;

/**
 * The page's Content-Security-Policy: our own scripts and styles only, nothing inline, no eval, no
 * frames, no plugins. The UI talks to the host over IPC, so it fetches nothing. Images may also be
 * data:/blob: (thumbnails of queued uploads, picked files) and come from the central server or,
 * when the server keeps its pictures there, Cloudinary.
 */
export function contentSecurityPolicy(serverOrigin: string | null): string {
  const self = `'self' ${APP_ORIGIN}`;
  const images = [
    self,
    'data:',
    'blob:',
    ...IMAGE_CDN_ORIGINS,
    ...(serverOrigin && SAFE_ORIGIN.test(serverOrigin) ? [serverOrigin] : []),
  ];
  return [
    `default-src ${self}`,
    `script-src ${self}`,
    `style-src ${self}`,
    `img-src ${images.join(' ')}`,
    `font-src ${self}`,
    `connect-src ${self}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

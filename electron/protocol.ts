/**
 * Serves the built renderer (dist/renderer) on `app://nexus/` with the page's security headers.
 * Thin: the decisions (which file, which type, which policy) are in app-url.ts. Electron's `protocol`
 * module is passed in by main.ts, so this file stays free of 'electron'.
 */
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, contentSecurityPolicy, contentTypeFor, resolveAppFile } from './app-url.js';

/**
 * Must run before the app is ready: a standard, secure scheme gets an origin, `'self'`, fetch, and
 * loads `<script type="module" crossorigin>` (what Vite emits), which needs a CORS-enabled scheme.
 */
export interface SchemeRegistry {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export function registerAppScheme(protocol: SchemeRegistry): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** `serverOrigin` is read per request: the server address can change while the app runs. */
export function serveApp(protocol: SchemeRegistry, root: string, serverOrigin: () => string | null): void {
  protocol.handle(APP_SCHEME, (request) => answer(request, root, serverOrigin));
}

export async function answer(request: Request, root: string, serverOrigin: () => string | null): Promise<Response> {
  const file = request.method === 'GET' ? resolveAppFile(request.url, root) : null;
  if (!file) return new Response('Not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return new Response('Not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': contentTypeFor(file),
      'Content-Security-Policy': contentSecurityPolicy(serverOrigin()),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    },
  });
}

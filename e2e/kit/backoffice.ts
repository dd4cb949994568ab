/**
 * The back-office host in browser mode, in this process: its own SQLite store in a temp folder, the
 * sync engine, and the web host serving dist/renderer with a per-launch secret, exactly what
 * `npm run backoffice` runs. `url` is the launch address (with `#secret=`); `origin` is without it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBackofficeHost, type BackofficeHost } from '../../electron/host/host.js';
import type { EngineOptions } from '../../electron/host/sync/engine.js';
import { startWebHost, type WebHost } from '../../electron/host/web.js';
import { RENDERER_DIST } from './paths.js';

export interface Backoffice {
  host: BackofficeHost;
  web: WebHost;
  url: string;
  origin: string;
  dataDir: string;
  /** Unexpected host errors (500s, failing listeners): a clean run has none. */
  errors: unknown[];
  close(): Promise<void>;
}

export interface BackofficeOptions {
  /** Saved as the server address, as `npm run backoffice -- --server-url` does on a first start. */
  serverUrl?: string;
  engine?: Partial<Omit<EngineOptions, 'store' | 'rebase'>>;
  /** Wraps the host the web layer calls, e.g. to count which channels ran. */
  wrap?: (host: BackofficeHost) => BackofficeHost;
}

export async function startBackoffice(options: BackofficeOptions = {}): Promise<Backoffice> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nexus-e2e-bo-'));
  const errors: unknown[] = [];
  const host = createBackofficeHost({
    dataDir,
    onError: (error) => errors.push(error),
    // Short timeouts and backoff: a test waits seconds, not the minutes a real device would.
    engine: { requestTimeoutMs: 5000, backoff: { baseMs: 100, maxMs: 1000, minMs: 50 }, ...options.engine },
  });
  try {
    if (options.serverUrl) await host.call('settings:setServerUrl', { url: options.serverUrl });
    const web = await startWebHost({
      host: options.wrap ? options.wrap(host) : host,
      staticDir: RENDERER_DIST,
      onError: (error) => errors.push(error),
    });
    return {
      host,
      web,
      url: web.url,
      origin: new URL(web.url).origin,
      dataDir,
      errors,
      async close() {
        await web.close();
        await host.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await host.close();
    throw error;
  }
}

/**
 * Raw node:http requests for the browser-mode tests: Host and Origin can be forged, and the Host
 * header left out entirely, which fetch() does not allow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BackofficeHost, createBackofficeHost } from './host.js';
import { startWebHost, type WebHost } from './web.js';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body, typed loosely: each test asserts the fields it needs. */
  json: Envelope;
}

export interface Envelope {
  ok: boolean;
  value: Record<string, unknown> & { items: { name: string }[] };
  error: { code: string; message: string; errors: { path: string; message: string }[] };
}

export interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
  port: number;
  /** false: send no Host header at all. */
  setHost?: boolean;
}

export function rawRequest({ method = 'GET', path: urlPath, headers = {}, body, port, setHost = true }: Req) {
  const defined = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path: urlPath, headers: defined, setHost, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: json as Envelope });
        });
      },
    );
    // A server that refuses a huge body may close before the whole body is written.
    req.on('error', reject);
    req.end(body);
  });
}

export interface OfflineWebHost {
  /** The temp dir holding the host's store (`host/`); `no-build/` is the (missing) UI build. */
  root: string;
  host: BackofficeHost;
  web: WebHost;
  /** Stops both and removes the temp dir. */
  close(): Promise<void>;
}

/** A host that never syncs, on a temp dir, behind a web host with no UI build and quiet errors. */
export async function offlineWebHost(prefix: string): Promise<OfflineWebHost> {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const host = createBackofficeHost({ dataDir: path.join(root, 'host'), autoSync: false });
  const web = await startWebHost({ host, staticDir: path.join(root, 'no-build'), onError: () => undefined });
  return {
    root,
    host,
    web,
    async close() {
      await web.close();
      await host.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Browser mode over real HTTP on 127.0.0.1, with a host on a temp dir and no central server:
 * only offline channels are called. Raw node:http requests, so Host and Origin can be forged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostEventSchema, syncStatusSchema } from '../../shared/contract/backoffice.js';
import { setServerUrl } from './db/state.js';
import { createBackofficeHost, type BackofficeHost } from './host.js';
import { STATUS_THROTTLE_MS, defaultStaticDir, startWebHost, throttle, type WebHost } from './web.js';

const repo = path.resolve(import.meta.dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'nexus-web-'));
let host: BackofficeHost;
let web: WebHost;

beforeAll(async () => {
  host = createBackofficeHost({ dataDir: path.join(root, 'host'), autoSync: false });
  web = await startWebHost({ host, staticDir: path.join(root, 'no-build'), onError: () => undefined });
});
afterAll(async () => {
  await web.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body, typed loosely: each test asserts the fields it needs. */
  json: Envelope;
}

interface Envelope {
  ok: boolean;
  value: Record<string, unknown> & { items: { name: string }[] };
  error: { code: string; message: string; errors: { path: string; message: string }[] };
}

interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
  port?: number;
  /** false: send no Host header at all. */
  setHost?: boolean;
}

function raw({ method = 'GET', path: urlPath, headers = {}, body, port = web.port, setHost = true }: Req) {
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

const auth = () => ({ authorization: `Bearer ${web.secret}` });
const json = { 'content-type': 'application/json' };

/** A channel call as the UI's bridge makes it; `headers` override or (undefined) remove the defaults. */
const call = (channel: string, input?: unknown, headers: Record<string, string | undefined> = {}) =>
  raw({
    method: 'POST',
    path: `/api/${channel}`,
    headers: { ...auth(), ...json, ...headers },
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });

describe('channel calls', () => {
  it('answers {ok: true, value} from the host, for reads and for offline writes', async () => {
    const list = await call('catalog:list', {});
    expect(list.status).toBe(200);
    expect(list.json).toEqual({ ok: true, value: { items: [], total: 0, totalCapped: false } });

    const settings = await call('settings:get', {});
    expect(settings.json).toEqual({ ok: true, value: { serverUrl: null, storeRecovery: null } });

    const created = await call('categories:create', { name: 'Gifts' });
    expect(created.status).toBe(200);
    const categories = await call('categories:list');
    expect(categories.json.value.items.map((c: { name: string }) => c.name)).toContain('Gifts');
  });

  it('passes an empty JSON body as no input, and accepts a charset parameter', async () => {
    const status = await call('sync:status', undefined, { 'content-type': 'application/json; charset=utf-8' });
    expect(status.status).toBe(200);
    expect(syncStatusSchema.parse(status.json.value).pending).toBe(host.unsyncedCount());
  });

  it('sends security headers and never any CORS header', async () => {
    const answer = await call('sync:status', {}, { origin: `http://127.0.0.1:${web.port}` });
    expect(answer.status).toBe(200);
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toContain('*');
    expect(answer.headers['x-powered-by']).toBeUndefined();
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('answers 404 for an unknown channel, whatever its body', async () => {
    for (const name of ['nope:list', '__proto__', 'constructor', 'catalog:list2']) {
      const answer = await call(name, {});
      expect(answer.status, name).toBe(404);
      expect(answer.json.ok).toBe(false);
      expect(answer.json.error.code).toBe('not_found');
    }
    expect((await raw({ path: '/api/catalog:list', headers: auth() })).status).toBe(404);
  });

  it('answers 422 with field errors for invalid input: wrong types, extra fields, not an object', async () => {
    const wrongType = await call('catalog:list', { limit: 'ten' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json.error.code).toBe('validation_failed');
    expect(wrongType.json.error.errors.map((e: { path: string }) => e.path)).toContain('limit');

    const extra = await call('catalog:list', { bogus: 1 });
    expect(extra.status).toBe(422);
    expect(extra.json.error.errors.length).toBeGreaterThan(0);

    const missing = await call('categories:create', {});
    expect(missing.status).toBe(422);
    expect(missing.json.error.errors.map((e: { path: string }) => e.path)).toContain('name');

    expect((await call('catalog:list', [1, 2])).status).toBe(422);
  });

  it('answers 400 invalid_json for a malformed body', async () => {
    for (const body of ['{"limit": ', 'not json', '"a string"']) {
      const answer = await raw({ method: 'POST', path: '/api/catalog:list', headers: { ...auth(), ...json }, body });
      expect(answer.status, body).toBe(400);
      expect(answer.json.error.code).toBe('invalid_json');
    }
  });

  it('answers 415 unless the content type is JSON, even without a body', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', undefined]) {
      const answer = await call('catalog:list', {}, { 'content-type': type });
      expect(answer.status, String(type)).toBe(415);
      expect(answer.json.error.code).toBe('unsupported_media_type');
    }
    const noBody = await raw({ method: 'POST', path: '/api/sync:status', headers: auth() });
    expect(noBody.status).toBe(415);
  });

  it('answers 413 for a body over the limit', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const big = await raw({
      method: 'POST',
      path: '/api/categories:create',
      headers: { ...auth(), ...json },
      body: huge,
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload_too_large');
  });
});

describe('who may call', () => {
  it('refuses a missing, wrong or malformed secret with 403', async () => {
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      wrong: `Bearer ${'A'.repeat(web.secret.length)}`,
      truncated: `Bearer ${web.secret.slice(0, -1)}`,
      longer: `Bearer ${web.secret}x`,
      'other scheme': `Basic ${web.secret}`,
      'no scheme': web.secret,
    };
    for (const [what, authorization] of Object.entries(cases)) {
      const answer = await call('catalog:list', {}, { authorization });
      expect(answer.status, what).toBe(403);
      expect(answer.json.error.code).toBe('forbidden');
    }
  });

  it('does not take the secret from the query string', async () => {
    const answer = await raw({
      method: 'POST',
      path: `/api/catalog:list?secret=${web.secret}`,
      headers: json,
      body: '{}',
    });
    expect(answer.status).toBe(403);
  });

  it('refuses any Host but 127.0.0.1:PORT or localhost:PORT (DNS rebinding)', async () => {
    for (const hostHeader of ['evil.example:' + web.port, `127.0.0.1:${web.port + 1}`, '127.0.0.1', 'localhost']) {
      const answer = await call('catalog:list', {}, { host: hostHeader });
      expect(answer.status, hostHeader).toBe(403);
      expect(answer.json.error.code).toBe('forbidden');
    }
    const noHost = await raw({
      method: 'POST',
      path: '/api/catalog:list',
      headers: { ...auth(), ...json },
      setHost: false,
    });
    // Node's own HTTP parser refuses an HTTP/1.1 request without Host before our check runs.
    expect(noHost.status).toBe(400);
    expect((await raw({ path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await call('catalog:list', {}, { host: `localhost:${web.port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin and accepts its own', async () => {
    const foreign = ['http://evil.example', 'null', `http://localhost:${web.port}`, `https://127.0.0.1:${web.port}`];
    for (const origin of foreign) {
      const answer = await call('catalog:list', {}, { origin });
      expect(answer.status, origin).toBe(403);
    }
    expect((await raw({ path: '/', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await call('catalog:list', {}, { origin: `http://127.0.0.1:${web.port}` })).status).toBe(200);
    const viaLocalhost = { host: `localhost:${web.port}`, origin: `http://localhost:${web.port}` };
    expect((await call('catalog:list', {}, viaLocalhost)).status).toBe(200);
  });

  it('answers a CORS preflight with 403 and no CORS header', async () => {
    const answer = await raw({
      method: 'OPTIONS',
      path: '/api/catalog:list',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(403);
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

/** An SSE reader on node:http: `next()` resolves with the next event, or fails after a generous deadline. */
function openEvents(headers: Record<string, string>) {
  return new Promise<{
    status: number;
    headers: IncomingHttpHeaders;
    next(): Promise<{ event: string; data: unknown }>;
    ended: Promise<void>;
    close(): void;
  }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: web.port, path: '/api/events', headers, agent: false },
      (res) => {
        const queue: { event: string; data: unknown }[] = [];
        let waiting: (() => void) | undefined;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((line) => !line.startsWith(':'))
                .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
            );
            if (fields.event)
              queue.push({ event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined });
          }
          waiting?.();
        });
        const ended = new Promise<void>((done) => res.on('close', () => done()));
        const next = async () => {
          const deadline = Date.now() + 5000;
          while (queue.length === 0) {
            if (Date.now() > deadline) throw new Error('no event arrived');
            await new Promise<void>((r) => {
              waiting = r;
              setTimeout(r, 100);
            });
          }
          return queue.shift()!;
        };
        resolve({ status: res.statusCode ?? 0, headers: res.headers, next, ended, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A status event's data is the HostEvent itself. */
function statusOf(data: unknown) {
  const event = hostEventSchema.parse(data);
  if (event.type !== 'status') throw new Error(`expected a status event, got ${event.type}`);
  return event.status;
}

describe('the status event stream', () => {
  it('requires the secret and the same checks as the channels', async () => {
    const without = await raw({ path: '/api/events' });
    expect(without.status).toBe(403);
    expect(without.headers['content-type']).not.toContain('text/event-stream');
    const wrong = await raw({ path: '/api/events', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    const foreign = await raw({ path: '/api/events', headers: { ...auth(), origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('sends the current status at once, then a status event when the engine emits one', async () => {
    const stream = await openEvents(auth());
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      const first = await stream.next();
      expect(first.event).toBe('status');
      expect(statusOf(first.data).pending).toBe(host.unsyncedCount());

      // A write through the API queues a mutation; the host's engine emits 'status' for it.
      const before = host.unsyncedCount();
      expect((await call('categories:create', { name: `Live ${before}` })).status).toBe(200);
      const next = await stream.next();
      expect(next.event).toBe('status');
      expect(statusOf(next.data).pending).toBe(before + 1);

      host.engine.emit('status');
      expect(statusOf((await stream.next()).data).pending).toBe(before + 1);
    } finally {
      stream.close();
    }
  });

  it('ends open streams when the web host closes', async () => {
    const subscribe = host.onEvent.bind(host);
    const unsubscribed = vi.fn();
    const spy = vi.spyOn(host, 'onEvent').mockImplementation((listener) => {
      const off = subscribe(listener);
      return () => {
        unsubscribed();
        off();
      };
    });
    const own = await startWebHost({ host, staticDir: path.join(root, 'no-build') });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    const previous = web;
    web = own;
    try {
      const stream = await openEvents(auth());
      await stream.next();
      await own.close();
      await stream.ended;
      expect(unsubscribed).toHaveBeenCalledTimes(1);
    } finally {
      web = previous;
    }
  });
});

describe('a host closed before its web server', () => {
  it('sends no more events and does not crash; the web server still closes', async () => {
    const early = createBackofficeHost({ dataDir: path.join(root, 'early'), autoSync: false });
    const own = await startWebHost({ host: early, staticDir: path.join(root, 'no-build') });
    const previous = web;
    web = own;
    try {
      const stream = await openEvents(auth());
      await stream.next();
      early.engine.emit('status');
      await early.close();
      early.engine.emit('status');
      // Past the throttle window: a broadcast reading the closed store would throw here.
      await new Promise((r) => setTimeout(r, STATUS_THROTTLE_MS * 2));
      await own.close();
      await stream.ended;
    } finally {
      web = previous;
    }
  });
});

describe('throttle', () => {
  afterEach(() => vi.useRealTimers());

  it('runs on the next tick, collapses a burst into one trailing run, and is prompt again after a quiet spell', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const throttled = throttle(fn, STATUS_THROTTLE_MS);
    throttled();
    throttled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) throttled();
    vi.advanceTimersByTime(STATUS_THROTTLE_MS - 1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(STATUS_THROTTLE_MS * 4);
    expect(fn).toHaveBeenCalledTimes(2);
    throttled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(3);
    throttled();
    throttled.cancel();
    vi.advanceTimersByTime(STATUS_THROTTLE_MS * 4);
    expect(fn).toHaveBeenCalledTimes(3);
    throttled();
    vi.advanceTimersByTime(STATUS_THROTTLE_MS);
    expect(fn).toHaveBeenCalledTimes(4);
  });
});

describe('static files', () => {
  it('answers 503 with a page saying to build when there is no build, without the secret', async () => {
    for (const urlPath of ['/', '/orders/123']) {
      const answer = await raw({ path: urlPath });
      expect(answer.status, urlPath).toBe(503);
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.text).toContain('npm run build');
      expect(answer.text).not.toContain(web.secret);
      expect(answer.text).not.toContain('<script');
    }
  });

  it('serves the build with SPA fallback to index.html, never embedding the secret', async () => {
    const build = path.join(root, 'build');
    mkdirSync(path.join(build, 'assets'), { recursive: true });
    writeFileSync(
      path.join(build, 'index.html'),
      '<!doctype html><title>UI</title><script type="module" src="./assets/app.js"></script>',
    );
    writeFileSync(path.join(build, 'assets', 'app.js'), 'console.log("ui")');
    const served = await startWebHost({ host, staticDir: build });
    try {
      const get = (p: string) => raw({ path: p, port: served.port, headers: { host: `127.0.0.1:${served.port}` } });
      const index = await get('/');
      expect(index.status).toBe(200);
      expect(index.text).toContain('<title>UI</title>');
      expect(index.text).not.toContain(served.secret);
      expect((await get('/orders/123')).text).toContain('<title>UI</title>');
      const asset = await get('/assets/app.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toContain('javascript');
      expect((await get('/assets/missing.js')).status).toBe(404);
      expect((await raw({ method: 'POST', path: '/', port: served.port, headers: json, body: '{}' })).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});

describe('startWebHost options', () => {
  it('defaults the static dir to dist/renderer at the repository root', () => {
    expect(defaultStaticDir()).toBe(path.join(repo, 'dist', 'renderer'));
  });

  it('puts the secret in the URL fragment, so it never reaches a server or a log', async () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/#secret=${web.secret}`);
    expect(web.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await startWebHost({ host, staticDir: path.join(root, 'no-build') });
    expect(other.secret).not.toBe(web.secret);
    await other.close();
  });

  it('uses a given secret and refuses a weak or malformed one, and a bad port', async () => {
    const secret = 'S'.repeat(40);
    const given = await startWebHost({ host, secret, staticDir: path.join(root, 'no-build') });
    expect(given.url.endsWith(`#secret=${secret}`)).toBe(true);
    await given.close();
    await expect(startWebHost({ host, secret: 'short' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(startWebHost({ host, secret: `${'a'.repeat(40)}/?` })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(startWebHost({ host, port: 70_000 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(startWebHost({ host, port: 1.5 })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rejects when the port is taken, leaving no listener on the engine', async () => {
    const listeners = host.engine.listenerCount('status');
    await expect(startWebHost({ host, port: web.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(host.engine.listenerCount('status')).toBe(listeners);
  });
});

const tsxBin = path.join(repo, 'node_modules', '.bin', 'tsx');

const launched: ChildProcess[] = [];
// A failed assertion must not leave a server running.
afterAll(() => launched.filter((c) => c.exitCode === null && c.signalCode === null).forEach((c) => c.kill('SIGKILL')));

/** `tsx scripts/backoffice.ts …` as npm runs it, with the back-office's environment variables cleared. */
function launch(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['BACKOFFICE_PORT', 'BACKOFFICE_DATA_DIR', 'SERVER_URL'].includes(k)),
  );
  const child = spawn(tsxBin, ['scripts/backoffice.ts', ...args], { cwd: repo, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const found = /http:\/\/\S+/.exec(stdout);
      if (found) resolve(found[0]);
    });
    void exited.then(() => reject(new Error(`exited before printing a URL: ${stderr}`)));
  });
  // Runs that are meant to fail never await the URL.
  url.catch(() => undefined);
  launched.push(child);
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

/** A channel call through the printed URL, as the UI's bridge makes it after reading the fragment. */
async function callThrough(printed: string, channel: string) {
  const url = new URL(printed);
  const secret = new URLSearchParams(url.hash.slice(1)).get('secret')!;
  const answer = await raw({
    method: 'POST',
    path: `/api/${channel}`,
    port: Number(url.port),
    headers: { host: url.host, authorization: `Bearer ${secret}`, ...json },
    body: '{}',
  });
  return answer;
}

describe('scripts/backoffice.ts', () => {
  it('prints one URL that works, saves --server-url, and on SIGTERM exits 0 warning about unsynced changes', async () => {
    const dataDir = path.join(root, 'script-a');
    // One change queued offline by an earlier run: the exit warning must count it.
    const earlier = createBackofficeHost({ dataDir, autoSync: false });
    await earlier.call('categories:create', { name: 'Offline' });
    await earlier.close();

    const run = launch(['--port', '0', '--data-dir', dataDir, '--server-url', 'http://127.0.0.1:9']);
    const printed = await run.url;
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=[A-Za-z0-9_-]{43}$/);
    const settings = await callThrough(printed, 'settings:get');
    expect(settings.status).toBe(200);
    expect(settings.json.value.serverUrl).toBe('http://127.0.0.1:9');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const { stdout, stderr } = run.output();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Warning: 1 unsynced change kept in/);
  });

  it('defaults the data dir to $XDG_DATA_HOME/nexus-backoffice and stops cleanly on SIGINT', async () => {
    const xdg = path.join(root, 'xdg');
    const run = launch(['--port', '0'], { XDG_DATA_HOME: xdg });
    await run.url;
    expect(existsSync(path.join(xdg, 'nexus-backoffice', 'backoffice.db'))).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output().stderr).not.toContain('Warning');
  });

  // Each launch starts tsx (seconds on a busy machine): they run side by side.
  it('refuses bad arguments with a usage message and exit code 64', { timeout: 90_000 }, async () => {
    const cases = [['--port', 'abc'], ['--port', '70000'], ['--port', ''], ['--server-url', 'ftp://x'], ['--bogus']];
    const runs = cases.map((args) => ({ args, run: launch([...args, '--data-dir', path.join(root, 'script-bad')]) }));
    for (const { args, run } of runs) {
      expect(await run.exited, args.join(' ')).toBe(64);
      expect(run.output().stderr).toContain('usage: npm run backoffice');
      expect(run.output().stdout).toBe('');
    }
    expect(existsSync(path.join(root, 'script-bad'))).toBe(false);
  });
});

describe('content security policy for images', () => {
  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );
  const policy = async () => directives(String((await call('sync:status', {})).headers['content-security-policy']));

  it('lets product pictures come from the configured server, and previews from data: and blob:, nothing more', async () => {
    const before = await policy();
    expect(before.get('img-src')).toEqual(["'self'", 'data:', 'blob:', "'self'"]);
    try {
      await call('settings:setServerUrl', { url: 'https://shop.example.com:8443/nexus/' });
      const after = await policy();
      // The origin only: no path, and only in img-src.
      expect(after.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://shop.example.com:8443']);
      expect(after.get('default-src')).toEqual(["'self'"]);
      expect(after.get('form-action')).toEqual(["'self'"]);
      for (const name of ['object-src', 'base-uri', 'frame-ancestors']) expect(after.get(name)).toEqual(["'none'"]);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      const csp = [...after.values()].flat().join(' ');
      expect(csp).not.toMatch(/unsafe|\*|http:/);
      // A change of server changes the policy at once (the server URL is read per request).
      await call('settings:setServerUrl', { url: 'http://127.0.0.1:3999' });
      expect((await policy()).get('img-src')).toContain('http://127.0.0.1:3999');
      expect((await policy()).get('img-src')).not.toContain('https://shop.example.com:8443');
    } finally {
      setServerUrl(host.store, null);
    }
  });

  it('takes an image upload above the 1 MB channel limit, up to the largest image in base64', async () => {
    const base64 = 'A'.repeat(2 * 1024 * 1024);
    const upload = await call('media:upload', {
      productId: '0190a000-0000-7000-8000-000000000001',
      fileName: 'a.png',
      base64,
    });
    // Past the body parser: the host itself answers (no such product here).
    expect(upload.status).toBe(404);
    expect(upload.json.error.code).toBe('not_found');
    const tooBig = await call('media:upload', {
      productId: 'x',
      fileName: 'a.png',
      base64: 'A'.repeat(15 * 1024 * 1024),
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe('payload_too_large');
  });
});

/**
 * Browser mode over real HTTP on 127.0.0.1, with a host on a temp dir and no central server:
 * only offline channels are called. Raw node:http requests, so Host and Origin can be forged.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { syncStatusSchema } from '../../shared/contract/backoffice.js';
import { setServerUrl } from './db/state.js';
import type { BackofficeHost } from './host.js';
import { STATUS_THROTTLE_MS, defaultStaticDir, startWebHost, throttle, type WebHost } from './web.js';
import { type OfflineWebHost, offlineWebHost, type Req, rawRequest } from './web.testkit.js';

const repo = path.resolve(import.meta.dirname, '../..');
let setup: OfflineWebHost;
let root: string;
let host: BackofficeHost;
let web: WebHost;

beforeAll(async () => {
  setup = await offlineWebHost('nexus-web-');
  ({ root, host, web } = setup);
});
afterAll(() => setup.close());

/** A raw request to this test's web host (Host and Origin can be forged). */
const raw = (req: Omit<Req, 'port'> & { port?: number }) => rawRequest({ port: web.port, ...req });

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
    expect(before.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://res.cloudinary.com', "'self'"]);
    try {
      await call('settings:setServerUrl', { url: 'https://shop.example.com:8443/nexus/' });
      const after = await policy();
      // The origin only: no path, and only in img-src.
      expect(after.get('img-src')).toEqual([
        "'self'",
        'data:',
        'blob:',
        'https://res.cloudinary.com',
        'https://shop.example.com:8443',
      ]);
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

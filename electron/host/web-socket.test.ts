/**
 * Channel calls over the browser-mode WebSocket, on a real web host on 127.0.0.1 with a host on a
 * temp dir: the upgrade's guards (path, Host, Origin, subprotocol, secret), the call protocol and
 * its bad input, and shutdown. The `ws` client lets a test forge Host and Origin.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  BRIDGE_SOCKET_MAX_BYTES,
  BRIDGE_SOCKET_PATH,
  BRIDGE_SOCKET_PROTOCOL,
  BRIDGE_SOCKET_SECRET_PREFIX,
} from '../../shared/contract/bridge-socket.js';
import { createBackofficeHost } from './host.js';
import { startWebHost, type WebHost } from './web.js';
import { parseCall } from './web-socket.js';
import { type OfflineWebHost, offlineWebHost } from './web.testkit.js';

let setup: OfflineWebHost;
let root: string;
let web: WebHost;

beforeAll(async () => {
  setup = await offlineWebHost('nexus-web-socket-');
  ({ root, web } = setup);
});
afterAll(() => setup.close());

interface Dial {
  path?: string;
  protocols?: string[];
  headers?: Record<string, string>;
}

const ownProtocols = () => [BRIDGE_SOCKET_PROTOCOL, BRIDGE_SOCKET_SECRET_PREFIX + web.secret];

/** Opens a socket as the UI does (own origin, secret in the subprotocols) unless told otherwise. */
function dial({ path: p = BRIDGE_SOCKET_PATH, protocols = ownProtocols(), headers = {} }: Dial = {}) {
  return new WebSocket(`ws://127.0.0.1:${web.port}${p}`, protocols, {
    headers: { origin: `http://127.0.0.1:${web.port}`, ...headers },
  });
}

function opened(ws: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The HTTP answer to an upgrade the host refused: status and the envelope's error code. */
function refused(ws: WebSocket): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the socket opened')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(body).error.code }));
    });
  });
}

/** Every answer the socket gets, parsed, in arrival order. */
function answers(ws: WebSocket) {
  const got: { id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string } } }[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data: Buffer) => {
    got.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    got,
    async next(count = got.length + 1) {
      while (got.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return got[count - 1]!;
    },
  };
}

function closedWith(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('opening the socket', () => {
  it('opens with the secret among the subprotocols and picks the bridge protocol, never echoing the secret', async () => {
    const ws = await opened(dial());
    expect(ws.protocol).toBe(BRIDGE_SOCKET_PROTOCOL);
    ws.close();
  });

  it('refuses a missing or wrong secret with 403, and never upgrades', async () => {
    expect(await refused(dial({ protocols: [BRIDGE_SOCKET_PROTOCOL] }))).toEqual({ status: 403, code: 'forbidden' });
    const wrong = [BRIDGE_SOCKET_PROTOCOL, `${BRIDGE_SOCKET_SECRET_PREFIX}${'x'.repeat(43)}`];
    expect(await refused(dial({ protocols: wrong }))).toEqual({ status: 403, code: 'forbidden' });
    // The secret alone, without the bridge protocol, is not a bridge socket.
    const bare = [BRIDGE_SOCKET_SECRET_PREFIX + web.secret];
    expect(await refused(dial({ protocols: bare }))).toEqual({ status: 400, code: 'bad_request' });
  });

  it("refuses another site's page (Origin) and a rebound name (Host) with 403", async () => {
    expect(await refused(dial({ headers: { origin: 'https://evil.example' } }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const rebound = { host: `evil.example:${web.port}`, origin: `http://evil.example:${web.port}` };
    expect(await refused(dial({ headers: rebound }))).toEqual({ status: 403, code: 'forbidden' });
  });

  it('answers 404 on any other path, the secret notwithstanding', async () => {
    expect(await refused(dial({ path: '/api/events' }))).toEqual({ status: 404, code: 'not_found' });
    expect(await refused(dial({ path: '/' }))).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('calls', () => {
  it('answers each call by its id with the same envelope as HTTP, in the order they finish', async () => {
    const ws = await opened(dial());
    const replies = answers(ws);
    ws.send(JSON.stringify({ id: 1, channel: 'categories:create', input: { name: 'Socks' } }));
    ws.send(JSON.stringify({ id: 2, channel: 'settings:get' }));
    await replies.next(2);
    const byId = new Map(replies.got.map((a) => [a.id, a.result]));
    expect(byId.get(1)).toMatchObject({ ok: true, value: { name: 'Socks' } });
    expect(byId.get(2)).toEqual({ ok: true, value: { serverUrl: null, storeRecovery: null } });
    // The write is the host's, as over HTTP.
    ws.send(JSON.stringify({ id: 3, channel: 'categories:list' }));
    const list = (await replies.next(3)).result.value as { items: { name: string }[] };
    expect(list.items.map((c) => c.name)).toContain('Socks');
    ws.close();
  });

  it('answers bad calls with an error and keeps the socket open', async () => {
    const ws = await opened(dial());
    const replies = answers(ws);
    const sent = [
      '{not json',
      '[1, 2]',
      JSON.stringify({ channel: 'settings:get' }),
      JSON.stringify({ id: 0, channel: 'settings:get' }),
      JSON.stringify({ id: 4, channel: '__proto__' }),
      JSON.stringify({ id: 5, channel: 'settings:get', extra: true }),
      JSON.stringify({ id: 6, channel: 'categories:create', input: { name: 42 } }),
    ];
    for (const message of sent) ws.send(message);
    await replies.next(sent.length);
    expect(replies.got.map((a) => [a.id, a.result.ok, a.result.error?.code])).toEqual([
      [null, false, 'invalid_json'],
      [null, false, 'bad_request'],
      [null, false, 'bad_request'],
      [null, false, 'bad_request'],
      [4, false, 'not_found'],
      [5, false, 'bad_request'],
      [6, false, 'validation_failed'],
    ]);
    // Nothing was written by the refused create.
    ws.send(JSON.stringify({ id: 7, channel: 'categories:list' }));
    const list = (await replies.next(sent.length + 1)).result.value as { items: { name: unknown }[] };
    expect(list.items.some((c) => c.name === 42)).toBe(false);
    ws.close();
  });

  it('closes on a binary frame (1003) and on a message over the limit (1009)', async () => {
    const binary = await opened(dial());
    const binaryClosed = closedWith(binary);
    binary.send(Buffer.from([1, 2, 3]));
    expect(await binaryClosed).toBe(1003);

    const huge = await opened(dial());
    huge.on('error', () => undefined);
    const hugeClosed = closedWith(huge);
    huge.send(
      JSON.stringify({ id: 1, channel: 'categories:create', input: { name: 'x'.repeat(BRIDGE_SOCKET_MAX_BYTES) } }),
    );
    expect(await hugeClosed).toBe(1009);
  });
});

describe('parseCall', () => {
  it('takes {id, channel, input?} and nothing else', () => {
    expect(parseCall('{"id": 3, "channel": "catalog:list", "input": {"limit": 5}}')).toEqual({
      ok: true,
      id: 3,
      channel: 'catalog:list',
      input: { limit: 5 },
    });
    expect(parseCall('{"id": 3, "channel": "catalog:list"}')).toMatchObject({ ok: true, input: undefined });
    for (const bad of [
      'null',
      '"x"',
      '{"id": 1.5, "channel": "catalog:list"}',
      '{"id": "1", "channel": "catalog:list"}',
    ])
      expect(parseCall(bad)).toMatchObject({ ok: false, id: null });
    expect(parseCall('{"id": 2, "channel": 7}')).toMatchObject({ ok: false, id: 2, error: { code: 'not_found' } });
  });
});

describe('shutdown', () => {
  it('closes open sockets with 1001 when the web host closes', async () => {
    const own = createBackofficeHost({ dataDir: path.join(root, 'own'), autoSync: false });
    const ownWeb = await startWebHost({ host: own, staticDir: path.join(root, 'no-build') });
    const ws = new WebSocket(`ws://127.0.0.1:${ownWeb.port}${BRIDGE_SOCKET_PATH}`, [
      BRIDGE_SOCKET_PROTOCOL,
      BRIDGE_SOCKET_SECRET_PREFIX + ownWeb.secret,
    ]);
    await opened(ws);
    const closed = closedWith(ws);
    await ownWeb.close();
    expect(await closed).toBe(1001);
    await own.close();
  });
});

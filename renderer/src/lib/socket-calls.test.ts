import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeResult } from '../../../shared/contract/backoffice.js';
import { BRIDGE_SOCKET_MAX_BYTES, BRIDGE_SOCKET_PROTOCOL } from '../../../shared/contract/bridge-socket.js';
import { createHttpBridge } from './http-bridge.js';
import { RECONNECT_MS, socketCalls } from './socket-calls.js';

/** A WebSocket the test opens, answers and drops by hand. */
class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: { id: number; channel: string; input?: unknown }[] = [];
  closedWith: number | undefined;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    super();
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.closedWith = code;
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  drop() {
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
  receive(data: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }
  answer(index: number, result: BridgeResult<unknown>) {
    this.receive({ id: this.sent[index]!.id, result });
  }
}

const latestSocket = () => FakeSocket.made.at(-1)!;
const ok = (value: unknown): BridgeResult<unknown> => ({ ok: true, value });
let clock = 0;
let fallback: ReturnType<typeof vi.fn<(channel: string, input: unknown) => Promise<BridgeResult<unknown>>>>;

function calls() {
  return socketCalls({
    url: 'ws://127.0.0.1:4000/api/socket',
    secret: 's'.repeat(43),
    fallback,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    now: () => clock,
  });
}

beforeEach(() => {
  FakeSocket.made = [];
  clock = 1_000_000;
  fallback = vi.fn(async (channel: string) => ok(`http:${channel}`));
});

describe('socketCalls', () => {
  it('sends calls over HTTP while the socket connects, then on the socket, with the secret among its subprotocols', async () => {
    const socket = calls();
    const ws = latestSocket();
    expect(ws.protocols).toEqual([BRIDGE_SOCKET_PROTOCOL, `secret.${'s'.repeat(43)}`]);
    expect(await socket.call('auth:session', undefined)).toEqual(ok('http:auth:session'));
    ws.open();
    const first = socket.call('catalog:search', { q: 'mug' });
    const second = socket.call('settings:get', undefined);
    expect(ws.sent).toEqual([
      { id: 1, channel: 'catalog:search', input: { q: 'mug' } },
      { id: 2, channel: 'settings:get' },
    ]);
    // Answers come in the order the host finishes, matched by id.
    ws.answer(1, ok('settings'));
    ws.answer(0, ok('hits'));
    expect(await first).toEqual(ok('hits'));
    expect(await second).toEqual(ok('settings'));
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('goes over HTTP when the socket cannot open, and tries it again only after a pause', async () => {
    const socket = calls();
    latestSocket().drop();
    expect(await socket.call('catalog:list', {})).toEqual(ok('http:catalog:list'));
    expect(FakeSocket.made).toHaveLength(1);

    clock += RECONNECT_MS;
    // This call opens a new socket and, while it connects, goes over HTTP; the next one takes the socket.
    expect(await socket.call('settings:get', undefined)).toEqual(ok('http:settings:get'));
    expect(FakeSocket.made).toHaveLength(2);
    latestSocket().open();
    const next = socket.call('settings:get', undefined);
    latestSocket().answer(0, ok('over the socket'));
    expect(await next).toEqual(ok('over the socket'));
    expect(fallback).toHaveBeenCalledTimes(2);
  });

  it('answers a call in flight host_unreachable when the socket drops, and does not send it again', async () => {
    const socket = calls();
    latestSocket().open();
    const inFlight = socket.call('stock:adjust', { variantId: 'v', delta: 1, reason: 'received' });
    latestSocket().drop();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'host_unreachable' } });
    expect(fallback).not.toHaveBeenCalled();
    // Until the pause is over, calls go over HTTP.
    expect(await socket.call('settings:get', undefined)).toEqual(ok('http:settings:get'));
  });

  it('sends a call too large for a socket message over HTTP', async () => {
    const socket = calls();
    latestSocket().open();
    const big = { file: 'x'.repeat(BRIDGE_SOCKET_MAX_BYTES) };
    expect(await socket.call('media:upload', big)).toEqual(ok('http:media:upload'));
    expect(fallback).toHaveBeenCalledWith('media:upload', big);
    expect(latestSocket().sent).toEqual([]);
  });

  it('ignores garbled or unknown answers, and turns a non-envelope answer into an internal error', async () => {
    const socket = calls();
    const ws = latestSocket();
    ws.open();
    const call = socket.call('settings:get', undefined);
    ws.receive('not json');
    ws.receive({ id: 99, result: ok('someone else') });
    ws.receive({ id: ws.sent[0]!.id, result: { nope: true } });
    expect(await call).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('closes the socket on close(), after which calls go over HTTP', async () => {
    const socket = calls();
    latestSocket().open();
    socket.close();
    expect(latestSocket().closedWith).toBe(1000);
    clock += RECONNECT_MS * 10;
    expect(await socket.call('settings:get', undefined)).toEqual(ok('http:settings:get'));
    expect(FakeSocket.made).toHaveLength(1);
  });
});

describe('createHttpBridge with a WebSocket', () => {
  it("opens the socket at the host's address and carries channel calls on it", async () => {
    const fetch = vi.fn(async () => new Response('{}'));
    const bridge = createHttpBridge({
      secret: 's'.repeat(43),
      baseUrl: 'http://127.0.0.1:4000',
      fetch,
      WebSocket: FakeSocket as unknown as typeof WebSocket,
    });
    const ws = latestSocket();
    expect(ws.url).toBe('ws://127.0.0.1:4000/api/socket');
    ws.open();
    const answer = bridge['catalog:list']({});
    ws.answer(0, ok({ items: [], total: 0, totalCapped: false }));
    expect(await answer).toEqual(ok({ items: [], total: 0, totalCapped: false }));
    expect(fetch).not.toHaveBeenCalled();
    bridge.close();
    expect(ws.closedWith).toBe(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { NetworkError, ServerError, SyncClient, type Tokens } from './client.js';

const CLIENT_ID = '0190f0f0-0000-7000-8000-000000000001';
const pullPage = { changes: [], cursor: 'c1', hasMore: false, lastMutationSeq: 0, epoch: 'e1' };
const authAnswer = (n: number) => ({
  user: {
    id: '0190f0f0-0000-7000-8000-0000000000aa',
    email: 'staff@example.com',
    name: 'Staff',
    role: 'staff',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 900,
});
const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = (status: number, code: string) =>
  json(
    status,
    { type: 'about:blank', title: code, status, detail: `${code} detail`, code },
    'application/problem+json',
  );

function clientWith(handler: (url: string, init: RequestInit) => Promise<Response> | Response) {
  let tokens: Tokens | null = { accessToken: 'access-0', refreshToken: 'refresh-0' };
  const calls: { url: string; auth: string | undefined; body: unknown }[] = [];
  const client = new SyncClient({
    baseUrl: 'http://server.test/',
    fetch: (async (input: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      calls.push({
        url: input,
        auth: headers.authorization,
        body: init.body ? JSON.parse(init.body as string) : undefined,
      });
      return handler(input, init);
    }) as typeof fetch,
    tokens: () => tokens,
    onTokens: (t) => (tokens = t),
  });
  return { client, calls, tokens: () => tokens };
}

describe('SyncClient', () => {
  it('sends the bearer token, protocol version and client id, and parses the answer', async () => {
    const { client, calls } = clientWith(() => json(200, pullPage));
    expect(await client.pull(CLIENT_ID, 'abc', 500)).toEqual(pullPage);
    expect(calls[0]!.url).toBe(
      `http://server.test/api/v1/sync/pull?clientId=${CLIENT_ID}&protocolVersion=2&cursor=abc&limit=500`,
    );
    expect(calls[0]!.auth).toBe('Bearer access-0');
  });

  it('refreshes an expired access token once for concurrent requests, stores the new pair and retries', async () => {
    let refreshes = 0;
    const { client, calls, tokens } = clientWith(async (url, init) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        const { accessToken, refreshToken, expiresIn } = authAnswer(1);
        return json(200, { accessToken, refreshToken, expiresIn });
      }
      const auth = (init.headers as Record<string, string>).authorization;
      return auth === 'Bearer access-1' ? json(200, pullPage) : problem(401, 'invalid_token');
    });
    const answers = await Promise.all([client.pull(CLIENT_ID, null), client.pull(CLIENT_ID, null)]);
    expect(answers).toEqual([pullPage, pullPage]);
    expect(refreshes).toBe(1);
    expect(tokens()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(calls.find((c) => c.url.endsWith('/auth/refresh'))!.body).toEqual({ refreshToken: 'refresh-0' });
  });

  it('turns a refused refresh into unauthorized (sign in again)', async () => {
    const { client } = clientWith((url) =>
      url.endsWith('/auth/refresh') ? problem(401, 'invalid_token') : problem(401, 'invalid_token'),
    );
    const error = await client.pull(CLIENT_ID, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('classifies failures: refused connection, cut or foreign bodies and 5xx are network errors; problems keep their code', async () => {
    const refused = clientWith(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    await expect(refused.client.pull(CLIENT_ID, null)).rejects.toThrow(NetworkError);
    await expect(refused.client.pull(CLIENT_ID, null)).rejects.toThrow(/ECONNREFUSED/);

    const cut = clientWith(() => new Response('{"changes": [', { status: 200 }));
    await expect(cut.client.pull(CLIENT_ID, null)).rejects.toThrow(NetworkError);
    const foreign = clientWith(() => json(200, { hello: 'captive portal' }));
    await expect(foreign.client.pull(CLIENT_ID, null)).rejects.toThrow(/unexpected answer/);
    const gateway = clientWith(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(gateway.client.pull(CLIENT_ID, null)).rejects.toThrow(NetworkError);

    const old = clientWith(() => problem(426, 'unsupported_protocol_version'));
    await expect(old.client.pull(CLIENT_ID, null)).rejects.toMatchObject({
      status: 426,
      code: 'unsupported_protocol_version',
    });
    const device = clientWith(() => problem(403, 'unknown_device'));
    await expect(device.client.push(CLIENT_ID, [])).rejects.toMatchObject({ code: 'unknown_device' });
  });

  it('retries once at once when a kept-alive connection turns out closed, and not again', async () => {
    let calls = 0;
    const flaky = clientWith(() => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } });
      return json(200, pullPage);
    });
    expect(await flaky.client.pull(CLIENT_ID, null)).toEqual(pullPage);
    expect(calls).toBe(2);
    const dead = clientWith(() => {
      throw new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } });
    });
    await expect(dead.client.pull(CLIENT_ID, null)).rejects.toThrow(NetworkError);
    expect(dead.calls).toHaveLength(2);
  });

  it('reads poke events from the stream across chunk boundaries and ignores comments', async () => {
    const chunks = [': connected\n\n', 'event: po', 'ke\ndata: {}\n\n: heartbeat\n\n', 'event: poke\ndata: {}\n\n'];
    const { client } = clientWith(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
              controller.close();
            },
          }),
          { status: 200, headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    let opened = 0;
    let pokes = 0;
    await client.events(
      () => opened++,
      () => pokes++,
      new AbortController().signal,
    );
    expect({ opened, pokes }).toEqual({ opened: 1, pokes: 2 });
  });
});

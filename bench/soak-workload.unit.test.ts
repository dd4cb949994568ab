/** bench:soak's shoppers: the recorder that times and judges answers, the visit mix and scheduler, and one visit's requests. */
import { describe, expect, it } from 'vitest';
import { type Client, Recorder, runVisits, type SoakWorkload, visit, VISIT_MIX, visitKind } from './soak-workload.js';

describe('Recorder', () => {
  it('times answers, and records a wrong status or a body that fails its check as an error', async () => {
    const rec = new Recorder(performance.now());
    const ok = await rec.call('cart create', 201, async () => ({ status: 201, body: { token: 't' } }));
    const refused = await rec.call('checkout', 201, async () => ({ status: 409, body: { code: 'out_of_stock' } }));
    const declined = await rec.call(
      'pay',
      200,
      async () => ({ status: 200, body: { status: 'failed' } }),
      (body) => ((body as { status: string }).status === 'succeeded' ? undefined : 'payment failed'),
    );
    expect([ok.ok, refused.ok, declined.ok]).toEqual([true, false, false]);
    expect(rec.events.map((e) => [e.op, e.ok])).toEqual([
      ['cart create', true],
      ['checkout', false],
      ['pay', false],
    ]);
    expect(Object.fromEntries(rec.errors.counts)).toEqual({ 'checkout 409': 1, 'pay 200 unexpected body': 1 });
    expect(rec.errors.first).toEqual(['checkout: 409 out_of_stock', 'pay: payment failed']);
    expect(rec.succeeded('cart create')).toBe(1);
    expect(rec.succeeded('checkout')).toBe(0);
  });
});

describe('visits', () => {
  it('mixes kinds in the stated proportions, the same way every run', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) counts.set(visitKind(i), (counts.get(visitKind(i)) ?? 0) + 1);
    for (const [kind, percent] of VISIT_MIX) expect(Math.abs(counts.get(kind)! / 200 - percent)).toBeLessThan(1.5);
    expect(Array.from({ length: 50 }, (_, i) => visitKind(i))).toEqual(
      Array.from({ length: 50 }, (_, i) => visitKind(i)),
    );
  });

  /**
   * Virtual time: it moves only when a visit moves it or when a sleeper is woken, earliest first,
   * once what can run has run. The schedule is tested without a real clock.
   */
  const fakeClock = () => {
    const sleepers: { wake: number; resolve: () => void }[] = [];
    const clock = {
      t: 0,
      now: () => clock.t,
      sleep: (ms: number) =>
        new Promise<void>((resolve) => {
          sleepers.push({ wake: clock.t + ms, resolve });
          setImmediate(() => {
            sleepers.sort((a, b) => a.wake - b.wake);
            const next = sleepers.shift()!;
            clock.t = Math.max(clock.t, next.wake);
            next.resolve();
          });
        }),
    };
    return clock;
  };

  it('runVisits starts each visit once, on schedule, never more than `connections` at a time', async () => {
    const clock = fakeClock();
    const startedAt: number[] = [];
    let inFlight = 0;
    let most = 0;
    const count = await runVisits(
      async (i) => {
        startedAt[i] = clock.t;
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      },
      { rate: 10, connections: 3, seconds: 2 },
      clock,
    );
    expect(count).toEqual({ due: 20, started: 20, late: 0 });
    expect(startedAt).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    expect(most).toBeLessThanOrEqual(3);
  });

  it('runVisits falls behind when visits outlast the schedule, counts the late ones and stops on time', async () => {
    const clock = fakeClock();
    const started: number[] = [];
    // One worker, visits of 1.5 s due every 0.5 s: visit k starts at 1.5k s, k seconds behind its time.
    const count = await runVisits(
      async (i) => {
        started.push(i);
        clock.t += 1500;
      },
      { rate: 2, connections: 1, seconds: 10 },
      clock,
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Visits 2–6 are over a second behind; visit 7 would start at 10.5 s, after the end.
    expect(count).toEqual({ due: 20, started: 7, late: 5 });
  });
});

describe('a visit', () => {
  const workload: SoakWorkload = {
    slugs: ['mug'],
    categories: ['kitchen'],
    variants: ['a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000002'],
  };
  /** A server stand-in that answers each route as the real one does, and keeps what it was sent. */
  const fakeServer = (fail: Record<string, number> = {}) => {
    const sent: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
    const client = {
      request: async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        sent.push({ method, path, body, headers });
        const route = `${method} ${path.split('?')[0]}`;
        if (fail[route]) return { status: fail[route], body: { code: 'internal' } };
        if (route === 'POST /api/v1/cart') return { status: 201, body: { token: 'cart-token' } };
        if (route === 'POST /api/v1/checkout') return { status: 201, body: { order: { id: 'order-1' } } };
        if (route === 'POST /api/v1/payments/test/confirm') return { status: 200, body: { status: 'succeeded' } };
        return { status: 200, body: {} };
      },
      close: () => undefined,
    } as Client;
    return { client, sent };
  };
  const indexOf = (kind: string, from = 0) => {
    for (let i = from; ; i++) if (visitKind(i) === kind) return i;
  };

  it('a checkout fills a guest cart, checks out once with a key and pays with the success card', async () => {
    const { client, sent } = fakeServer();
    const rec = new Recorder(performance.now());
    await visit(client, workload, indexOf('checkout'), rec);
    const routes = sent.map((r) => `${r.method} ${r.path}`);
    expect(routes[0]).toBe('POST /api/v1/cart');
    expect(routes.filter((r) => r === 'POST /api/v1/cart/items').length).toBeGreaterThanOrEqual(1);
    expect(routes.slice(-3)).toEqual([
      expect.stringMatching(/^PATCH \/api\/v1\/cart\/items\/a0000000-/),
      'POST /api/v1/checkout',
      'POST /api/v1/payments/test/confirm',
    ]);
    const placed = sent.find((r) => r.path === '/api/v1/checkout')!;
    expect(placed.headers).toMatchObject({ 'X-Cart-Token': 'cart-token', 'Idempotency-Key': expect.any(String) });
    expect(sent.at(-1)!.body).toEqual({ orderId: 'order-1', card: '4242424242424242' });
    expect(rec.errors.total).toBe(0);
    expect(rec.succeeded('pay')).toBe(1);
  });

  it('a browse reads the catalog API, and every third one a storefront page', async () => {
    const { client, sent } = fakeServer();
    const rec = new Recorder(performance.now());
    const first = indexOf('browse');
    await visit(client, workload, first, rec);
    expect(sent.every((r) => r.method === 'GET')).toBe(true);
    expect(sent.slice(0, 2).map((r) => r.path)).toEqual([
      expect.stringMatching(/^\/api\/v1\/products\?/),
      '/api/v1/products/mug',
    ]);
    const pages = [first, indexOf('browse', first + 1), indexOf('browse', indexOf('browse', first + 1) + 1)];
    expect(pages.some((i) => i % 3 === 0)).toBe(true);
    for (const i of pages.slice(1)) await visit(client, workload, i, rec);
    expect(rec.succeeded('storefront page')).toBe(pages.filter((i) => i % 3 === 0).length);
  });

  it('stops at the first refusal and records it', async () => {
    const { client, sent } = fakeServer({ 'POST /api/v1/cart': 500 });
    const rec = new Recorder(performance.now());
    await visit(client, workload, indexOf('checkout'), rec);
    expect(sent).toHaveLength(1);
    expect(Object.fromEntries(rec.errors.counts)).toEqual({ 'cart create 500': 1 });
  });
});

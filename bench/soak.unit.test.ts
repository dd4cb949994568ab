import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/domain/errors.js';
import { parseSoakOptions, soakPlan } from './soak-options.js';
import { describeTrend, soakSuiteRows, type SoakResults } from './soak-report.js';
import {
  answerMessage,
  bucketRows,
  ErrorLog,
  linearFit,
  type MemorySample,
  memoryTrend,
  type OpEvent,
  spaceGrowth,
} from './soak-stats.js';
import { type Client, Recorder, runVisits, type SoakWorkload, visit, VISIT_MIX, visitKind } from './soak-workload.js';

const MB = 2 ** 20;
const sample = (at: number, heapMb: number, cacheMb = 0): MemorySample => ({
  at,
  rss: (heapMb + 100) * MB,
  heapUsed: heapMb * MB,
  cacheBytes: cacheMb * MB,
  cacheEntries: cacheMb * 100,
});
const heap = (s: MemorySample) => s.heapUsed;

describe('parseSoakOptions', () => {
  it('defaults to ten minutes on Postgres at a moderate rate', () => {
    expect(parseSoakOptions([])).toEqual({ minutes: 10, db: 'postgres', rate: 10, connections: 20, products: 2000 });
  });

  it('--quick is half a minute, and an explicit option wins over it', () => {
    expect(parseSoakOptions(['--quick']).minutes).toBe(0.5);
    expect(parseSoakOptions(['--quick', '--minutes', '3', '--db', 'pglite'])).toMatchObject({
      minutes: 3,
      db: 'pglite',
    });
  });

  it('refuses a bad value or an unknown flag, naming it', () => {
    const refused = (argv: string[]) => {
      try {
        parseSoakOptions(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(refused(['--db', 'sqlite'])).toMatch(/^--db: /);
    expect(refused(['--minutes', '0.1'])).toMatch(/^--minutes: /);
    expect(refused(['--connections', '2.5'])).toMatch(/^--connections: /);
    expect(refused(['--seconds', '60'])).toMatch(/seconds/);
  });
});

describe('soakPlan', () => {
  it('a ten-minute run: a minute of warm-up, a sample every 5 s, a row per minute', () => {
    expect(soakPlan({ minutes: 10 })).toEqual({ seconds: 600, warmupSeconds: 60, sampleSeconds: 5, bucketSeconds: 60 });
  });

  it('short runs: a fifth as warm-up, samples every 2–3 s, about ten rows', () => {
    expect(soakPlan({ minutes: 1 })).toEqual({ seconds: 60, warmupSeconds: 12, sampleSeconds: 2, bucketSeconds: 10 });
    expect(soakPlan({ minutes: 3 })).toEqual({ seconds: 180, warmupSeconds: 36, sampleSeconds: 3, bucketSeconds: 20 });
  });
});

describe('linearFit', () => {
  it('finds an exact line with no error', () => {
    const fit = linearFit([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })))!;
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.slopeStdErr).toBeCloseTo(0, 10);
  });

  it('gives the textbook slope and standard error on noisy points', () => {
    // By hand: Sxx = 5, Sxy = 3, so slope 0.6 and intercept 0.6; residuals ±0.4, ±1.2 give s² = 3.2 / 2.
    const fit = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 0 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
    ])!;
    expect(fit.slope).toBeCloseTo(0.6, 10);
    expect(fit.intercept).toBeCloseTo(0.6, 10);
    expect(fit.slopeStdErr).toBeCloseTo(Math.sqrt(1.6 / 5), 10);
  });

  it('says nothing with fewer than three points or a single x', () => {
    expect(
      linearFit([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ]),
    ).toBeUndefined();
    expect(linearFit([1, 2, 3].map((y) => ({ x: 5, y })))).toBeUndefined();
  });
});

describe('memoryTrend', () => {
  const every5s = (minutes: number, heapAt: (at: number) => number) =>
    Array.from({ length: (minutes * 60) / 5 + 1 }, (_, i) => sample(i * 5, heapAt(i * 5)));

  it('a flat heap after a warm-up climb is no growth trend (the climb is left out)', () => {
    const samples = every5s(10, (at) => (at < 60 ? 40 + at : 100 + ((at / 5) % 2)));
    const trend = memoryTrend(samples, { warmupSeconds: 60, runSeconds: 600, value: heap });
    expect(trend.verdict).toBe('no growth trend');
    expect(trend.samples).toBe(109);
    expect(Math.abs(trend.slopeMbPerMin)).toBeLessThan(0.05);
    expect(trend.meanMb).toBeCloseTo(100.5, 0);
  });

  it('1 MB a minute over ten minutes is a growth trend of 10 MB against a tolerance of about 5 MB', () => {
    const samples = every5s(10, (at) => 100 + at / 60);
    const trend = memoryTrend(samples, { warmupSeconds: 60, runSeconds: 600, value: heap });
    expect(trend.slopeMbPerMin).toBeCloseTo(1, 6);
    expect(trend.impliedMb).toBeCloseTo(10, 6);
    // 5% of the post-warm-up mean, 105.5 MB.
    expect(trend.toleranceMb).toBeCloseTo(5.275, 6);
    expect(trend.verdict).toBe('growth trend');
  });

  it('the tolerance grows with the heap: 5% of 300 MB absorbs 10 MB', () => {
    const samples = every5s(10, (at) => 300 + at / 60);
    const trend = memoryTrend(samples, { warmupSeconds: 60, runSeconds: 600, value: heap });
    expect(trend.toleranceMb).toBeCloseTo(15.3, 1);
    expect(trend.verdict).toBe('no growth trend');
  });

  it('measures what `value` picks: growth that is all cache is no trend once the cache is taken out', () => {
    const samples = Array.from({ length: 121 }, (_, i) => sample(i * 5, 100 + i * 0.5, i * 0.5));
    const options = { warmupSeconds: 60, runSeconds: 600 };
    expect(memoryTrend(samples, { ...options, value: heap }).verdict).toBe('growth trend');
    expect(memoryTrend(samples, { ...options, value: (s) => s.heapUsed - s.cacheBytes }).verdict).toBe(
      'no growth trend',
    );
  });

  it('is inconclusive with too few samples after the warm-up', () => {
    const samples = [0, 10, 20, 30, 40, 50].map((at) => sample(at, 100 + at));
    const trend = memoryTrend(samples, { warmupSeconds: 20, runSeconds: 50, value: heap });
    expect(trend).toMatchObject({ samples: 4, verdict: 'inconclusive' });
    expect(describeTrend(trend, 1)).toBe('inconclusive (4 samples after the warm-up)');
  });
});

describe('bucketRows', () => {
  const events: OpEvent[] = [
    { at: 1, op: 'product', ms: 10, ok: true },
    { at: 9.9, op: 'product', ms: 30, ok: true },
    { at: 12, op: 'checkout', ms: 50, ok: false },
    { at: 25, op: 'product', ms: 20, ok: true },
    { at: 31, op: 'product', ms: 999, ok: true },
  ];

  it('splits requests and memory into rows; the closing sample counts in the last row', () => {
    const rows = bucketRows(events, [sample(0, 50), sample(8, 52, 1), sample(30, 60, 2)], 10, 30);
    expect(rows.map((r) => [r.from, r.to, r.requests, r.errors])).toEqual([
      [0, 10, 2, 0],
      [10, 20, 1, 1],
      [20, 30, 1, 0],
    ]);
    expect(rows[0]).toMatchObject({
      perSecond: 0.2,
      p95: 30,
      heapMb: 51,
      heapMaxMb: 52,
      heapLessCacheMb: 50.5,
      rssMaxMb: 152,
      cacheMb: 1,
    });
    expect(rows[1]!.heapMb).toBeNaN();
    expect(rows[1]!.p95).toBeNaN();
    expect(rows[2]).toMatchObject({ heapMb: 60, cacheMb: 2 });
  });

  it('a run that is not a whole number of rows ends with a short row', () => {
    const rows = bucketRows(events, [], 20, 30);
    expect(rows.map((r) => [r.from, r.to, r.requests])).toEqual([
      [0, 20, 3],
      [20, 30, 1],
    ]);
    expect(rows[1]!.perSecond).toBe(0.1);
  });
});

describe('spaceGrowth', () => {
  it('lists the heap spaces that grew, most first, leaving out shrinkage and crumbs', () => {
    const before = { old_space: 40 * MB, code_space: 2 * MB, new_space: 3 * MB, map_space: MB };
    const after = { old_space: 46 * MB, code_space: 3.5 * MB, new_space: 1 * MB, map_space: MB + 1000, large: MB };
    expect(spaceGrowth(before, after)).toEqual([
      { space: 'old_space', mb: 6 },
      { space: 'code_space', mb: 1.5 },
      { space: 'large', mb: 1 },
    ]);
  });
});

describe('answerMessage and ErrorLog', () => {
  it('says what an answer said, whatever its shape', () => {
    expect(answerMessage(0, undefined)).toMatch(/^no answer/);
    expect(answerMessage(409, { code: 'out_of_stock', detail: 'Not enough stock', title: 'Conflict' })).toBe(
      '409 out_of_stock: Not enough stock',
    );
    expect(answerMessage(500, { title: 'Internal error' })).toBe('500 Internal error');
    expect(answerMessage(502, { weird: true })).toBe('502 {"weird":true}');
    expect(answerMessage(503, '<html>\n  <b>down</b>  </html>')).toBe('503 <html> <b>down</b> </html>');
    expect(answerMessage(404, '')).toBe('404 (empty body)');
  });

  it('counts by operation and status and keeps only the first messages', () => {
    const log = new ErrorLog(2);
    log.add('checkout', 409, 'a');
    log.add('checkout', 409, 'b');
    log.add('pay', 0, 'c');
    expect(log.total).toBe(3);
    expect(Object.fromEntries(log.counts)).toEqual({ 'checkout 409': 2, 'pay network': 1 });
    expect(log.first).toEqual(['checkout: a', 'checkout: b']);
    expect(log.summary()).toBe('checkout 409: 2, pay network: 1');
  });
});

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

describe('soakSuiteRows', () => {
  it('one row per operation, none with a floor; the first carries the memory verdicts', () => {
    const summary = { requests: 10, errors: 0, perSecond: 5, p50: 1, p95: 2, p99: 3 };
    const trend = { verdict: 'no growth trend' } as SoakResults['memory']['heap'];
    const rows = soakSuiteRows({
      database: 'postgres',
      plan: { seconds: 180 },
      perOp: [
        { op: 'product', ...summary },
        { op: 'pay', ...summary, errors: 1 },
      ],
      memory: { heap: trend, heapWithoutCache: trend },
    } as SoakResults);
    expect(rows.map((r) => [r.scenario, r.unit, r.errors, 'floor' in r])).toEqual([
      ['soak product', 'req/s', 0, false],
      ['soak pay', 'req/s', 1, false],
    ]);
    expect(rows[0]!.note).toMatch(/^3 min mixed load; heap no growth trend, less cache no growth trend; no floor/);
    expect(rows[1]!.note).toBe('no floor (a mix over time)');
  });
});

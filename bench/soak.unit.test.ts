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

const MB = 2 ** 20;
const sample = (at: number, heapMb: number, cacheMb = 0): MemorySample => ({
  at,
  rss: (heapMb + 100) * MB,
  heapUsed: heapMb * MB,
  cacheBytes: cacheMb * MB,
  cacheEntries: cacheMb * 100,
  searchEntries: { facets: 10, corrections: 20 },
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

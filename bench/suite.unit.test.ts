import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../shared/domain/errors.js';
import { backofficeSuiteRows } from './backoffice-report.js';
import { hostSuiteRows } from './host-report.js';
import { readSuiteRows, reportSuiteRows, SUITE_OUT_ENV, suiteRow, type SuiteRow } from './lib/suite.js';
import { discoverBenches, parseSuiteArgs, planRuns } from './lib/suite-plan.js';
import { failure, formatMs, type RunResult, runSummary, suiteTable } from './lib/suite-table.js';
import { printTable } from './lib/table.js';
import { type SyncResults, syncSuiteRows } from './sync-report.js';

const refusal = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a validation error');
};

describe('parseSuiteArgs', () => {
  it('defaults to a full run on both databases of every benchmark', () => {
    expect(parseSuiteArgs([])).toEqual({ quick: false, db: 'both' });
  });

  it('measures Postgres alone in a quick run unless told otherwise', () => {
    expect(parseSuiteArgs(['--quick'])).toEqual({ quick: true, db: 'postgres' });
    expect(parseSuiteArgs(['--quick', '--db', 'both'])).toEqual({ quick: true, db: 'both' });
  });

  it('takes --quick, one database and a list of benchmarks', () => {
    expect(parseSuiteArgs(['--quick', '--db', 'postgres', '--only', 'catalog, sync'])).toEqual({
      quick: true,
      db: 'postgres',
      only: ['catalog', 'sync'],
    });
  });

  it('names the wrong option, and refuses unknown ones', () => {
    expect(refusal(() => parseSuiteArgs(['--db', 'mysql'])).errors?.[0]?.path).toBe('--db');
    expect(refusal(() => parseSuiteArgs(['--only', 'catalog,../x'])).errors?.[0]?.path).toBe('--only');
    expect(refusal(() => parseSuiteArgs(['--fast'])).message).toMatch(/--fast/);
  });
});

describe('discoverBenches', () => {
  it('finds every bench:<name> script in package.json order, and nothing else', () => {
    const scripts = {
      bench: 'tsx bench/suite.ts',
      'bench:sync': 'tsx bench/sync.ts',
      build: 'tsc',
      'bench:catalog': 'tsx bench/catalog.ts',
      'benchmark:x': 'x',
      'bench:soak': 'tsx bench/soak.ts',
    };
    expect(discoverBenches(scripts)).toEqual(['sync', 'catalog', 'soak']);
  });
});

describe('planRuns', () => {
  const available = ['backoffice', 'catalog', 'host', 'sync'];

  it('runs a server benchmark once per database and a SQLite-only one once, passing --quick on', () => {
    expect(planRuns(available, parseSuiteArgs(['--quick', '--db', 'both']))).toEqual([
      { bench: 'backoffice', args: ['--quick'] },
      { bench: 'catalog', database: 'pglite', args: ['--quick', '--db', 'pglite'] },
      { bench: 'catalog', database: 'postgres', args: ['--quick', '--db', 'postgres'] },
      { bench: 'host', args: ['--quick'] },
      { bench: 'sync', database: 'pglite', args: ['--quick', '--db', 'pglite'] },
      { bench: 'sync', database: 'postgres', args: ['--quick', '--db', 'postgres'] },
    ]);
  });

  it('keeps to --only (in the scripts order) and one --db', () => {
    expect(planRuns(available, parseSuiteArgs(['--only', 'sync,host', '--db', 'pglite']))).toEqual([
      { bench: 'host', args: [] },
      { bench: 'sync', database: 'pglite', args: ['--db', 'pglite'] },
    ]);
  });

  it('refuses a name that is not a benchmark, listing those there are', () => {
    const error = refusal(() => planRuns(available, parseSuiteArgs(['--only', 'catalog,shop'])));
    expect(error.message).toMatch(/no benchmark named shop \(there are: backoffice, catalog, host, sync\)/);
  });
});

const row = (over: Partial<SuiteRow> = {}): SuiteRow => ({
  bench: 'catalog',
  scenario: 'search',
  database: 'pglite',
  unit: 'req/s',
  rate: 500,
  p50: 20,
  p95: 40,
  p99: 60,
  errors: 0,
  floor: { rate: 900, p50: 10, p95: 12 },
  ...over,
});

describe('reportSuiteRows and readSuiteRows', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hands rows from a benchmark to the suite through the file it names', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-suite-test-'));
    const file = path.join(dir, 'rows.jsonl');
    vi.stubEnv(SUITE_OUT_ENV, file);
    const { bench: _bench, ...first } = row();
    reportSuiteRows('catalog', [first]);
    reportSuiteRows('catalog', [{ ...first, scenario: 'product page', floor: undefined, note: 'no floor: why' }]);
    const { rows, unreadable } = readSuiteRows(readFileSync(file, 'utf8'));
    expect(unreadable).toBe(0);
    expect(rows).toEqual([row(), row({ scenario: 'product page', floor: undefined, note: 'no floor: why' })]);
  });

  it('writes no file for no rows, so an empty run reads as "reported no rows"', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-suite-test-'));
    vi.stubEnv(SUITE_OUT_ENV, path.join(dir, 'rows.jsonl'));
    reportSuiteRows('catalog', []);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts lines that are not rows: broken JSON, a NaN figure (null in JSON), a missing field', () => {
    const text = [
      JSON.stringify(row()),
      '{"bench": "catalog", "scen',
      JSON.stringify(row({ p50: NaN })),
      JSON.stringify({ ...row(), unit: undefined }),
      '',
      JSON.stringify(row({ scenario: 'category browse' })),
    ].join('\n');
    const { rows, unreadable } = readSuiteRows(text);
    expect(rows.map((r) => r.scenario)).toEqual(['search', 'category browse']);
    expect(unreadable).toBe(3);
  });
});

const result = (over: Partial<RunResult> = {}): RunResult => ({
  bench: 'catalog',
  database: 'pglite',
  args: ['--quick', '--db', 'pglite'],
  exitCode: 0,
  timedOut: false,
  seconds: 12.3,
  rows: [row()],
  unreadable: 0,
  ...over,
});

describe('failure', () => {
  it('passes a run that exited 0 with readable rows', () => {
    expect(failure(result())).toBeNull();
  });

  it.each([
    [{ exitCode: 1 }, 'exit code 1'],
    [{ exitCode: null, timedOut: true, seconds: 300.2 }, 'timed out after 300 s'],
    [{ exitCode: null }, 'ended by a signal'],
    [{ rows: [] }, 'reported no rows'],
    [{ unreadable: 2 }, '2 unreadable rows'],
  ] as [Partial<RunResult>, string][])('fails %j: %s', (over, reason) => {
    expect(failure(result(over))).toBe(reason);
  });
});

describe('suiteTable', () => {
  it('prints the figures, the floor and the ratio of p50 to the floor', () => {
    const [line] = suiteTable([result()]);
    expect(line).toEqual({
      bench: 'catalog',
      scenario: 'search',
      database: 'pglite',
      rate: '500 req/s',
      'p50 ms': '20.0',
      'p95 ms': '40.0',
      'p99 ms': '60.0',
      errors: '0',
      'floor rate': '900',
      'floor p50': '10.0',
      '× floor': '2.00×',
      note: '',
    });
  });

  it('shows a missing floor and a missing rate as "—", with the note saying why', () => {
    const [line] = suiteTable([
      result({ rows: [row({ floor: undefined, rate: undefined, note: 'no floor: a mix over time' })] }),
    ]);
    expect(line).toMatchObject({
      rate: '—',
      'floor rate': '—',
      'floor p50': '—',
      '× floor': '—',
      note: 'no floor: a mix over time',
    });
  });

  it('keeps what a failed run reported and adds a FAILED line; the next run still shows', () => {
    const lines = suiteTable([
      result({ bench: 'checkout', exitCode: 1, rows: [row({ bench: 'checkout', scenario: 'hot' })] }),
      result({ bench: 'host', database: undefined, exitCode: 0, rows: [] }),
      result({ bench: 'sync', rows: [row({ bench: 'sync' })] }),
    ]);
    expect(lines.map((l) => [l.bench, l.scenario, l.database])).toEqual([
      ['checkout', 'hot', 'pglite'],
      ['checkout', 'FAILED: exit code 1', 'pglite'],
      ['host', 'FAILED: reported no rows', 'sqlite'],
      ['sync', 'search', 'pglite'],
    ]);
    expect(lines[1]!['p50 ms']).toBe('');
  });

  it('prints as one aligned table, failed line included', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      printTable(suiteTable([result(), result({ bench: 'sync', exitCode: 2, rows: [] })]));
      const printed = log.mock.calls.map(([text]) => String(text));
      expect(printed).toHaveLength(4);
      expect(printed[0]).toMatch(/^bench +scenario +database +rate +p50 ms +p95 ms +p99 ms +errors +floor rate/);
      expect(printed[2]).toMatch(/^catalog +search +pglite +500 req\/s +20\.0 +40\.0 +60\.0 +0 +900 +10\.0 +2\.00×/);
      expect(printed[3]).toMatch(/^sync +FAILED: exit code 2 +pglite/);
      // Aligned: every column starts at the same place on every line.
      expect(printed[3]!.indexOf('pglite')).toBe(printed[2]!.indexOf('pglite'));
    } finally {
      log.mockRestore();
    }
  });

  it('formats milliseconds to about three figures', () => {
    expect([formatMs(0.4213), formatMs(7.316), formatMs(42.14), formatMs(421.4)]).toEqual([
      '0.42',
      '7.32',
      '42.1',
      '421',
    ]);
  });

  it('sums a run up in one line', () => {
    expect(runSummary(result())).toBe('bench:catalog [pglite] --quick --db pglite: 12.3 s, ok, 1 rows');
    expect(runSummary(result({ bench: 'host', database: undefined, args: [], exitCode: 3 }))).toBe(
      'bench:host: 12.3 s, exit code 3',
    );
  });
});

describe('rows the benchmarks write', () => {
  it('bench:host: the fill beside its floor, the queries without one; all readable by the suite', () => {
    const rows = hostSuiteRows({
      products: 100,
      rows: 600,
      pageMs: [10, 20, 30],
      floorPageMs: [5, 5, 5],
      searchMs: [1, 2, 3, 4],
      listMs: [2, 2],
    });
    for (const r of rows) expect(suiteRow.safeParse({ bench: 'host', ...r }).success).toBe(true);
    expect(rows[0]).toMatchObject({ rate: 10_000, p50: 20, floor: { rate: 40_000, p50: 5 } });
    expect(rows[1]).toMatchObject({ rate: 400, p50: 2, p99: 4 });
    expect(rows[1]!.floor).toBeUndefined();
    expect(rows[1]!.note).toMatch(/^no floor: /);
  });

  it('bench:backoffice: latency rows with the verdicts; the search beside the host alone', () => {
    const rows = backofficeSuiteRows({ ttiMs: [900, 1000, 1600], keyMs: [30, 40], hostSearchMs: [5, 5] });
    for (const r of rows) expect(suiteRow.safeParse({ bench: 'backoffice', ...r }).success).toBe(true);
    expect(rows[0]).toMatchObject({ p50: 1000, p95: 1600 });
    expect(rows[0]!.rate).toBeUndefined();
    expect(rows[0]!.note).toMatch(/target p95 < 1500 ms: MISS; no floor/);
    expect(rows[1]).toMatchObject({ p50: 30, floor: { rate: 200, p50: 5 } });
    expect(rows[1]!.note).toMatch(/target p95 < 50 ms: PASS/);
  });

  it('bench:sync: download and pull page beside their floors; a push that never drained has no rate', () => {
    const results = {
      database: 'postgres',
      options: { mutations: 1000 },
      download: {
        changes: 10_000,
        ms: 2000,
        batchMs: [400, 600],
        floor: { rows: 10_000, ms: 100, transactionMs: [50, 50] },
      },
      edits: { timeouts: 1, samples: { afterAnswer: [50, 70, 90] } },
      push: { drain: { drainedMs: null, status: { rejections: 2 } }, pushMs: [300, 500], check: { ok: false } },
      pulls: { limit: 1000, ms: [100, 100], errors: 0, floorMs: [50, 50] },
    } as unknown as SyncResults;
    const rows = syncSuiteRows(results);
    for (const r of rows) expect(suiteRow.safeParse({ bench: 'sync', ...r }).success).toBe(true);
    const [download, edits, push, pull] = rows;
    expect(download).toMatchObject({ unit: 'rows/s', rate: 5000, p50: 400, floor: { rate: 100_000, p50: 50 } });
    expect(edits).toMatchObject({ p50: 70, errors: 1 });
    expect(edits!.rate).toBeUndefined();
    expect(push!.rate).toBeUndefined();
    expect(push).toMatchObject({ errors: 2 });
    expect(push!.note).toMatch(/stock check MISMATCH; never drained/);
    expect(pull).toMatchObject({ rate: 10, p50: 100, floor: { rate: 20, p50: 50 } });
  });
});

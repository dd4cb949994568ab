/**
 * What `npm run bench` makes of its runs: whether each failed, and the one table it prints
 * (pure, tested in bench/suite.unit.test.ts). Figures a row lacks show as "—": a missing floor
 * is then explained by the row's note.
 */
import type { PlannedRun } from './suite-plan.js';
import { floorRatio, type SuiteRow } from './suite.js';

export interface RunResult extends PlannedRun {
  /** The process's exit code; null when a signal (or the suite's timeout) ended it. */
  exitCode: number | null;
  timedOut: boolean;
  seconds: number;
  rows: SuiteRow[];
  /** Lines of the rows file that were not rows. */
  unreadable: number;
}

/**
 * Why the run counts as failed, or null. A benchmark that exits 0 but reports nothing (or
 * garbage) fails too: a suite table silently missing a benchmark reads as "all is well".
 */
export function failure(run: RunResult): string | null {
  if (run.timedOut) return `timed out after ${Math.round(run.seconds)} s`;
  if (run.exitCode === null) return 'ended by a signal';
  if (run.exitCode !== 0) return `exit code ${run.exitCode}`;
  if (run.unreadable > 0) return `${run.unreadable} unreadable row${run.unreadable === 1 ? '' : 's'}`;
  if (run.rows.length === 0) return 'reported no rows';
  return null;
}

const NONE = '—';

/** Milliseconds to about three significant figures: 0.42, 7.31, 42.1, 421. */
export function formatMs(ms: number): string {
  if (ms >= 100) return String(Math.round(ms));
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

const formatRate = (rate: number | undefined, unit?: string) =>
  rate === undefined ? NONE : `${Math.round(rate).toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;

const COLUMNS = [
  'bench',
  'scenario',
  'database',
  'rate',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'errors',
  'floor rate',
  'floor p50',
  '× floor',
  'note',
] as const;
type Line = Record<(typeof COLUMNS)[number], string>;

function figures(row: SuiteRow): Line {
  const ratio = floorRatio(row);
  return {
    bench: row.bench,
    scenario: row.scenario,
    database: row.database,
    rate: formatRate(row.rate, row.unit),
    'p50 ms': formatMs(row.p50),
    'p95 ms': formatMs(row.p95),
    'p99 ms': formatMs(row.p99),
    errors: row.errors === undefined ? '' : String(row.errors),
    'floor rate': row.floor ? formatRate(row.floor.rate) : NONE,
    'floor p50': row.floor ? formatMs(row.floor.p50) : NONE,
    '× floor': ratio === undefined ? NONE : `${ratio.toFixed(2)}×`,
    note: row.note ?? '',
  };
}

/** The table's rows: each run's rows in order, then a FAILED line for a run that failed. */
export function suiteTable(runs: readonly RunResult[]): Line[] {
  return runs.flatMap((run) => {
    const failed = failure(run);
    const rows = run.rows.map(figures);
    if (!failed) return rows;
    const blank = Object.fromEntries(COLUMNS.map((column) => [column, ''])) as Line;
    return [...rows, { ...blank, bench: run.bench, scenario: `FAILED: ${failed}`, database: run.database ?? 'sqlite' }];
  });
}

/** One line per run for under the table: how long each took and how it ended. */
export const runSummary = (run: RunResult): string =>
  `bench:${run.bench}${run.database ? ` [${run.database}]` : ''}${run.args.map((a) => ` ${a}`).join('')}: ` +
  `${run.seconds.toFixed(1)} s, ${failure(run) ?? `ok, ${run.rows.length} rows`}`;

/**
 * The rows each benchmark hands to `npm run bench` (bench/suite.ts), one per scenario and
 * database. A benchmark run on its own prints its own table as before; when the suite runs it,
 * the suite names a file in NEXUS_BENCH_SUITE_OUT and every benchmark appends its rows there as
 * JSON lines, so the suite can print one table for all of them.
 */
import { appendFileSync } from 'node:fs';
import { z } from 'zod';

const ms = z.number().nonnegative();

const suiteFloor = z.object({
  /** Throughput of the floor: the same work as raw SQL or raw SQLite, with no HTTP or validation. */
  rate: z.number().nonnegative(),
  /** Latency of one floor operation, measured as the row's own p50 is (same batch size, same concurrency). */
  p50: ms,
  p95: ms.optional(),
});
export type SuiteFloor = z.infer<typeof suiteFloor>;

export const suiteRow = z.object({
  /** The benchmark's name, as in `bench:<name>`. */
  bench: z.string().min(1),
  scenario: z.string().min(1),
  database: z.enum(['pglite', 'postgres', 'sqlite', 'none']),
  /** What `rate` counts. */
  unit: z.enum(['req/s', 'rows/s', 'ops/s', 'orders/s']),
  /**
   * Absent when the scenario measures latency alone: operations one at a time and spaced out
   * (an edit reaching the host, a page load), where a throughput would only echo the spacing.
   */
  rate: z.number().nonnegative().optional(),
  /** Latency percentiles in milliseconds (of one request, one operation or one batch). */
  p50: ms,
  p95: ms,
  p99: ms,
  errors: z.number().int().nonnegative().optional(),
  floor: suiteFloor.optional(),
  /** Anything the table should say beside the figures, e.g. "target p95 < 50 ms: met", or why there is no floor. */
  note: z.string().optional(),
});
export type SuiteRow = z.infer<typeof suiteRow>;

export const SUITE_OUT_ENV = 'NEXUS_BENCH_SUITE_OUT';

/** Appends `rows` to the suite's file when the suite is running; does nothing otherwise. */
export function reportSuiteRows(bench: string, rows: Omit<SuiteRow, 'bench'>[]): void {
  const file = process.env[SUITE_OUT_ENV];
  if (!file || rows.length === 0) return;
  appendFileSync(file, rows.map((row) => JSON.stringify({ bench, ...row })).join('\n') + '\n');
}

/**
 * The rows a benchmark wrote, and how many lines could not be read as rows (a benchmark that
 * prints a wrong shape must show, not vanish from the table). NaN figures arrive as null in JSON,
 * and are refused like any other wrong value.
 */
export function readSuiteRows(text: string): { rows: SuiteRow[]; unreadable: number } {
  const rows: SuiteRow[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    const parsed = suiteRow.safeParse(value);
    if (parsed.success) rows.push(parsed.data);
    else unreadable++;
  }
  return { rows, unreadable };
}

/** Floor ratio as the suite prints it: how many times slower than the floor at p50 (1.0 = no overhead). */
export const floorRatio = (row: Pick<SuiteRow, 'p50' | 'floor'>): number | undefined =>
  row.floor && row.floor.p50 > 0 ? row.p50 / row.floor.p50 : undefined;

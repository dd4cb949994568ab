/**
 * The pure parts of `npm run bench` (bench/suite.ts) before anything runs: its options, the
 * benchmarks it finds among package.json's scripts, and the runs it makes of them. Tested in
 * bench/suite.unit.test.ts.
 */
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors.js';
import { parseBenchArgs } from './options.js';

const suiteOptions = z
  .strictObject({
    quick: z.boolean().default(false),
    db: z.enum(['both', 'pglite', 'postgres']).optional(),
    /** Benchmark names (as in `bench:<name>`), comma-separated; absent: all of them. */
    only: z
      .string()
      .transform((list) => list.split(',').map((name) => name.trim()))
      .pipe(z.array(z.string().regex(/^[\w-]+$/, { message: 'must be benchmark names, comma-separated' })).min(1))
      .optional(),
  })
  /**
   * Both databases by default; a quick run measures Postgres alone (as deployed), because every
   * benchmark's fixed costs and timed phases on both would not fit its few minutes.
   */
  .transform((o) => ({ ...o, db: o.db ?? (o.quick ? 'postgres' : 'both') }));
export type SuiteOptions = z.output<typeof suiteOptions>;

export const SUITE_USAGE =
  'usage: npm run bench -- [--quick] [--db both|pglite|postgres (default: both; postgres with --quick)] [--only catalog,sync,…]';

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export const parseSuiteArgs = (argv: string[]): SuiteOptions =>
  parseBenchArgs(argv, {
    schema: suiteOptions,
    flags: { db: 'db', only: 'only' },
    switches: ['quick'],
    usage: SUITE_USAGE,
  });

/** Every `bench:<name>` script, in package.json's order: a new benchmark joins the suite by being a script. */
export function discoverBenches(scripts: Readonly<Record<string, string>>): string[] {
  return Object.keys(scripts).flatMap((script) => /^bench:([\w-]+)$/.exec(script)?.[1] ?? []);
}

/**
 * Benchmarks of the back-office's own SQLite store: they have no server database, take no
 * `--db`, and run once whatever the suite's `--db` says.
 */
export const SQLITE_ONLY: ReadonlySet<string> = new Set(['host', 'backoffice']);

export interface PlannedRun {
  bench: string;
  /** The server database of this run; absent for a SQLite-only benchmark. */
  database?: 'pglite' | 'postgres';
  /** What follows `npm run bench:<name> --`. */
  args: string[];
}

/**
 * One run per benchmark and database: every server benchmark takes `--db pglite|postgres`, not
 * all of them take `both`, and one database per process also keeps a crash on one from hiding
 * the other's figures.
 */
export function planRuns(available: readonly string[], options: SuiteOptions): PlannedRun[] {
  const unknown = (options.only ?? []).filter((name) => !available.includes(name));
  if (unknown.length > 0)
    throw new AppError(
      'validation_failed',
      `--only: no benchmark named ${unknown.join(', ')} (there are: ${available.join(', ')})\n${SUITE_USAGE}`,
    );
  const chosen = options.only ? available.filter((name) => options.only!.includes(name)) : available;
  const databases = options.db === 'both' ? (['pglite', 'postgres'] as const) : [options.db];
  const quick = options.quick ? ['--quick'] : [];
  return chosen.flatMap((bench): PlannedRun[] =>
    SQLITE_ONLY.has(bench)
      ? [{ bench, args: quick }]
      : databases.map((database) => ({ bench, database, args: [...quick, '--db', database] })),
  );
}

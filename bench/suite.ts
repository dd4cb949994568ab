/**
 * npm run bench [-- --quick] [--db both|pglite|postgres] [--only catalog,sync,…]
 * Every `bench:*` script of package.json, one after another (never together: they measure), each
 * once per database (`--db`, both by default) unless it measures only the back-office's SQLite
 * store. Each run writes its rows (bench/lib/suite.ts) to a file the suite names; the suite then
 * prints one table of them all, with each row's floor and its ratio to it, and writes
 * bench/results/suite-<time>.json (machine, options, every run's rows, duration and exit). A run
 * that fails shows as FAILED in the table and makes the exit code 1; the others still run.
 * `--quick` passes each benchmark its own `--quick` preset: the whole suite in a few minutes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../shared/domain/errors.js';
import { machine, writeResults } from './lib/results.js';
import { readSuiteRows, SUITE_OUT_ENV } from './lib/suite.js';
import { discoverBenches, parseSuiteArgs, planRuns, type PlannedRun, type SuiteOptions } from './lib/suite-plan.js';
import { failure, type RunResult, runSummary, suiteTable } from './lib/suite-table.js';
import { printTable } from './lib/table.js';

/**
 * A quick run that takes this long is stuck, not slow: it is ended so the rest still run. Full
 * runs have no limit (a soak or a 100k-product sync takes as long as it is asked to).
 */
const QUICK_RUN_LIMIT_MS = 5 * 60_000;

/** The process group of the run in progress, so an interrupted suite leaves no benchmark behind. */
let current: number | undefined;

/** Ends the run's whole process group: npm, tsx, the benchmark and its server child. */
function endGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

async function run(planned: PlannedRun, dir: string, index: number, options: SuiteOptions): Promise<RunResult> {
  const rowsFile = path.join(dir, `${index}-${planned.bench}.jsonl`);
  const label = `bench:${planned.bench}${planned.database ? ` [${planned.database}]` : ''}`;
  console.log(`\n━━ ${label}: npm run bench:${planned.bench} -- ${planned.args.join(' ')}\n`);
  const started = performance.now();
  // Its own process group (detached), so a timeout or Ctrl-C can end everything it started.
  const child = spawn('npm', ['run', `bench:${planned.bench}`, '--', ...planned.args], {
    env: { ...process.env, [SUITE_OUT_ENV]: rowsFile },
    stdio: 'inherit',
    detached: true,
  });
  current = child.pid;
  let timedOut = false;
  const limit = options.quick
    ? setTimeout(() => {
        timedOut = true;
        if (child.pid) endGroup(child.pid);
      }, QUICK_RUN_LIMIT_MS)
    : undefined;
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code));
  });
  clearTimeout(limit);
  current = undefined;
  let text = '';
  try {
    text = readFileSync(rowsFile, 'utf8');
  } catch {
    // No file: the benchmark reported no rows, which failure() reports.
  }
  return { ...planned, exitCode, timedOut, seconds: (performance.now() - started) / 1000, ...readSuiteRows(text) };
}

async function main(): Promise<number> {
  let options: SuiteOptions;
  let plan: PlannedRun[];
  try {
    options = parseSuiteArgs(process.argv.slice(2));
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    plan = planRuns(discoverBenches(scripts), options);
  } catch (error) {
    console.error(error instanceof AppError ? error.message : error);
    return 2;
  }
  const startedAt = new Date();
  const load = loadavg();
  const dir = mkdtempSync(path.join(tmpdir(), 'nexus-bench-suite-'));
  process.once('SIGINT', () => {
    if (current) endGroup(current);
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  const runs: RunResult[] = [];
  try {
    for (const [i, planned] of plan.entries()) runs.push(await run(planned, dir, i, options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;

  console.log(
    `\n━━ Benchmark suite${options.quick ? ' (quick)' : ''}: ${plan.length} runs in ${seconds.toFixed(0)} s ` +
      `on ${machine()}; load average ${load.map((n) => n.toFixed(2)).join(' / ')} at the start, ` +
      `${loadavg()
        .map((n) => n.toFixed(2))
        .join(' / ')} at the end (1/5/15 min)`,
  );
  console.log('Rate: throughput; p50/p95/p99: latency of one request, operation or batch; × floor: p50 ÷ floor p50.\n');
  printTable(suiteTable(runs));
  console.log('');
  for (const r of runs) console.log(runSummary(r));
  writeResults('suite', {
    machine: machine(),
    options,
    startedAt: startedAt.toISOString(),
    seconds,
    loadAverage: { start: load, end: loadavg() },
    runs: runs.map((r) => ({ ...r, failure: failure(r) })),
  });
  return runs.some((r) => failure(r) !== null) ? 1 : 0;
}

process.exitCode = await main();

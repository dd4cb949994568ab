/**
 * `npm test`: every suite through Vitest (unit, server on PGlite and on Postgres when one answers),
 * then one plain summary line, `N passed, N failed`, that CI and humans can both read.
 * Extra arguments go to one Vitest run (e.g. `npm test -- server/modules/auth`).
 *
 * Without arguments the suite runs in two lanes at once, one Vitest process each:
 * - "pg": the files that use the real Postgres cluster (server:postgres, e2e), one at a time. They
 *   must not overlap: the sync pull horizon is the cluster-wide snapshot xmin, so one test's open
 *   transaction in any database holds back another test's pulls. The host's SQLite suites run here
 *   too, to even out the lanes' lengths (measured on CI's 2-core machine).
 * - "mem": the rest, on in-memory PGlite and happy-dom (unit, renderer, server:pglite).
 * Vitest alone would run one worker on a 2-core machine; two lanes keep both cores busy.
 * `NEXUS_TEST_SERIAL=1` runs the whole suite in one process instead.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

interface Lane {
  name: string;
  args: string[];
}
interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  code: number;
}

const reportDir = path.resolve('.reports');
mkdirSync(reportDir, { recursive: true });
const vitest = path.resolve('node_modules', '.bin', 'vitest');
const extra = process.argv.slice(2);

const lanes: Lane[] =
  extra.length > 0 || process.env.NEXUS_TEST_SERIAL === '1'
    ? [{ name: '', args: extra }]
    : [
        { name: 'pg', args: ['--project', 'server:postgres', '--project', 'e2e', '--project', 'host'] },
        { name: 'mem', args: ['--project', 'unit', '--project', 'renderer', '--project', 'server:pglite'] },
      ];

function runLane(lane: Lane): Promise<Outcome> {
  const report = path.join(reportDir, lane.name ? `vitest-${lane.name}.json` : 'vitest.json');
  rmSync(report, { force: true });
  const prefixed = lanes.length > 1;
  const child = spawn(
    vitest,
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...lane.args],
    {
      stdio: prefixed ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: prefixed ? { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } : process.env,
    },
  );
  if (prefixed) {
    // Each line names its lane, so interleaved output still reads.
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      readline.createInterface({ input: stream! }).on('line', (line) => sink.write(`[${lane.name}] ${line}\n`));
    }
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const outcome: Outcome = { passed: 0, failed: 0, skipped: 0, code: code ?? (signal ? 1 : 0) };
      try {
        const summary = JSON.parse(readFileSync(report, 'utf8')) as Record<string, number>;
        outcome.passed = summary.numPassedTests ?? 0;
        outcome.failed = summary.numFailedTests ?? 0;
        outcome.skipped = (summary.numPendingTests ?? 0) + (summary.numTodoTests ?? 0);
      } catch {
        console.error(
          `No Vitest report was written${lane.name ? ` by lane ${lane.name}` : ''}: the run did not complete.`,
        );
        if (!outcome.code) outcome.code = 1;
      }
      resolve(outcome);
    });
  });
}

const outcomes = await Promise.all(lanes.map(runLane));
const total = outcomes.reduce(
  (sum, o) => ({ passed: sum.passed + o.passed, failed: sum.failed + o.failed, skipped: sum.skipped + o.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
if (lanes.length > 1) {
  lanes.forEach((lane, i) => {
    const o = outcomes[i]!;
    console.log(`lane ${lane.name}: ${o.passed} passed, ${o.failed} failed, exit ${o.code}`);
  });
}
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(outcomes.find((o) => o.code !== 0)?.code ?? 0);

/**
 * `npm test`: every suite through Vitest (unit, server on PGlite and on Postgres when one answers),
 * then one plain summary line, `N passed, N failed`, that CI and humans can both read.
 * Extra arguments go to Vitest (e.g. `npm test -- server/modules/auth`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const reportDir = path.resolve('.reports');
const report = path.join(reportDir, 'vitest.json');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });

const vitest = path.resolve('node_modules', '.bin', 'vitest');
const child = spawn(
  vitest,
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

child.on('exit', (code, signal) => {
  let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  try {
    summary = { ...summary, ...(JSON.parse(readFileSync(report, 'utf8')) as typeof summary) };
  } catch {
    console.error('No Vitest report was written: the run did not complete.');
    if (!code) code = 1;
  }
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
  process.exit(code ?? (signal ? 1 : 0));
});

/**
 * The browser-mode host serves dist/renderer: build it when it is missing or older than any source
 * it is built from. Several processes may build at once on one machine (other suites, people), so
 * the build runs under `flock /tmp/nexus-vite.lock` and checks staleness again once it holds the
 * lock: whoever waited finds a fresh build and does nothing.
 *
 * Always a production build, as shipped. Vite takes NODE_ENV from the environment when it is set,
 * and vitest (which runs the e2e global setup) sets it to 'test': that built React's development
 * bundle (jsxDEV, effects run twice under StrictMode, several times the CPU per render) into the
 * dist/renderer that the tests, bench:backoffice and `npm run backoffice` all serve.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RENDERER_DIST, ROOT } from './paths.js';

const LOCK = '/tmp/nexus-vite.lock';
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json'];
/** Tests and styles of tests never reach the bundle: editing them must not force a rebuild. */
const IGNORED = /\.test\.tsx?$|(^|\/)node_modules(\/|$)|(^|\/)test(\/|$)/;

function newestMtime(entry: string): number {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return IGNORED.test(entry) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) {
    const full = path.join(entry, child);
    if (!IGNORED.test(full)) newest = Math.max(newest, newestMtime(full));
  }
  return newest;
}

/** The build's environment: the caller's, with NODE_ENV forced to production (see above). */
export const buildEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, NODE_ENV: 'production' });

/** True when the UI built in `dir` is a development bundle: its entry script uses React's dev JSX runtime. */
export function isDevelopmentBuild(dir: string): boolean {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const entry = /<script\b[^>]*\bsrc="(?:\.\/|\/)?([^"]+)"/.exec(html)?.[1];
  const file = entry === undefined ? undefined : path.join(dir, entry);
  return file !== undefined && existsSync(file) && readFileSync(file, 'utf8').includes('jsxDEV');
}

/** Why a build is needed, or null when dist/renderer is up to date. */
export function staleReason(): string | null {
  const index = path.join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return 'dist/renderer is missing';
  if (isDevelopmentBuild(RENDERER_DIST)) return 'dist/renderer is a development build';
  const built = statSync(index).mtimeMs;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  return newest > built ? 'sources changed since the last build' : null;
}

/** Builds under the lock when needed; answers what it did, for the run's log. */
export function ensureRendererBuilt(): string {
  const reason = staleReason();
  if (!reason) return 'renderer build is up to date';
  execFileSync(
    'flock',
    [LOCK, path.join(ROOT, 'node_modules', '.bin', 'tsx'), path.join(ROOT, 'e2e', 'kit', 'build-cli.ts')],
    {
      cwd: ROOT,
      env: buildEnv(process.env),
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 300_000,
    },
  );
  return `renderer built (${reason})`;
}

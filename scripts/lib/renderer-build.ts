/**
 * `npm start` and `npm run desktop` on a fresh clone: there is no dist/renderer yet, and after a
 * `git pull` it may be older than the sources. Either way the UI is built with Vite's JS API (the
 * same config as `npm run build`) before anything serves it; a fresh build is left alone.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

export type BuildState = 'missing' | 'stale' | 'fresh';

/** What the UI bundle is made from; tests are not in it. */
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package.json'];
const IGNORED = /(\.test\.[cm]?[jt]sx?|__snapshots__)$/;

/** The newest modification time (ms) of the files under `entries` (missing entries count as 0). */
export function newestMtime(entries: readonly string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (IGNORED.test(entry) || !existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const name of readdirSync(entry)) if (name !== 'node_modules') visit(path.join(entry, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  entries.forEach(visit);
  return newest;
}

export function rendererBuildState(root: string): BuildState {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return 'missing';
  const sources = newestMtime(SOURCES.map((entry) => path.join(root, entry)));
  return sources > statSync(index).mtimeMs ? 'stale' : 'fresh';
}

/** Builds dist/renderer when missing or older than its sources; says what it does through `log`. */
export async function ensureRendererBuild(root: string, log: (line: string) => void): Promise<BuildState> {
  const state = rendererBuildState(root);
  if (state === 'fresh') return state;
  log(
    state === 'missing'
      ? 'Building the back-office UI (dist/renderer is missing)…'
      : 'Rebuilding the back-office UI (renderer sources changed since the last build)…',
  );
  const started = Date.now();
  await build({
    configFile: path.join(root, 'vite.config.ts'),
    root: path.join(root, 'renderer'),
    logLevel: 'warn',
    build: { outDir: path.join(root, 'dist', 'renderer') },
  });
  log(`Back-office UI built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return state;
}

/**
 * Once per e2e run, before any test file: the UI build the browser-mode host serves, and the
 * browser the tests drive. A missing Chromium fails here with the command that installs it.
 */
import { existsSync } from 'node:fs';
import { ensureRendererBuilt, isDevelopmentBuild } from './build.js';
import { CHROMIUM } from './browser.js';
import { RENDERER_DIST } from './paths.js';

export default function setup(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`e2e: no browser at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  const started = Date.now();
  const what = ensureRendererBuilt();
  // The tests drive what ships; a development React would also hide production-only faults.
  if (isDevelopmentBuild(RENDERER_DIST)) throw new Error('e2e: dist/renderer was built in development mode');
  console.warn(`e2e: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

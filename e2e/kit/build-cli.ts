/** Run under the build lock by build.ts: builds the renderer unless someone else just did. */
import { build } from 'vite';
import path from 'node:path';
import { ROOT } from './paths.js';
import { staleReason } from './build.js';

if (staleReason())
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: path.join(ROOT, 'renderer'), logLevel: 'warn' });

/** `npm run build:electron`: the Electron main process and preload, into dist/electron/app/ (scripts/lib/electron-build.ts). */
import { fileURLToPath } from 'node:url';
import { buildElectron, electronBuildPaths } from './lib/electron-build.js';

const paths = electronBuildPaths(fileURLToPath(new URL('..', import.meta.url)));
const started = Date.now();
buildElectron(paths).then(
  () => console.log(`Electron main and preload built into ${paths.outDir} in ${Date.now() - started} ms`),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

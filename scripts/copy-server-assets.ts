/**
 * Second step of `npm run build:server` (after tsc): what the compiled server reads from beside
 * its own modules at run time: the SQL migrations, and the storefront's browser sources, which
 * server/storefront/assets.ts bundles with esbuild when the process starts serving pages.
 */
import { cpSync } from 'node:fs';

const outDir = process.argv[2] ?? 'dist';
cpSync('server/db/migrations', `${outDir}/server/db/migrations`, { recursive: true });
cpSync('server/storefront/client', `${outDir}/server/storefront/client`, {
  recursive: true,
  filter: (source) => !source.endsWith('.test.ts'),
});
console.log(`Server assets copied to ${outDir}/`);

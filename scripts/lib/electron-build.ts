/**
 * Builds what Electron runs, into dist/electron/app/:
 * - main.mjs: electron/main.ts with our own code (shared/, electron/host/) bundled in and every
 *   package left to node_modules (electron-builder ships the production dependencies);
 * - preload.cjs: one CommonJS file with no require but 'electron', as a sandboxed preload must be;
 * - migrations/: the host store's SQL migrations, which electron/host/db/store.ts finds beside the
 *   module that bundles it (`new URL('./migrations', import.meta.url)`).
 * Uses Vite's JS API (Rolldown), already used for the renderer: no second bundler to keep.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, type InlineConfig } from 'vite';

export interface ElectronBuildPaths {
  root: string;
  outDir: string;
}

export function electronBuildPaths(root: string): ElectronBuildPaths {
  return { root, outDir: path.join(root, 'dist', 'electron', 'app') };
}

const common = (root: string): InlineConfig => ({
  root,
  configFile: false,
  envDir: false,
  logLevel: 'warn',
  // Nothing from public/ or the renderer's config belongs in the main-process bundle.
  publicDir: false,
});

async function buildMain({ root, outDir }: ElectronBuildPaths): Promise<void> {
  await build({
    ...common(root),
    build: {
      ssr: path.join(root, 'electron', 'main.ts'),
      outDir,
      emptyOutDir: false,
      target: 'node22',
      sourcemap: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'main.mjs' } },
    },
    // SSR builds leave node_modules external by default: exactly what packaging wants.
    ssr: { target: 'node' },
  });
}

async function buildPreload({ root, outDir }: ElectronBuildPaths): Promise<void> {
  await build({
    ...common(root),
    build: {
      outDir,
      emptyOutDir: false,
      target: 'chrome140',
      sourcemap: true,
      minify: false,
      lib: { entry: path.join(root, 'electron', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  });
}

/** Every `require("x")` a CommonJS bundle still makes. */
export function requiredModules(code: string): string[] {
  return [...new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!))];
}

export async function buildElectron(paths: ElectronBuildPaths): Promise<void> {
  rmSync(paths.outDir, { recursive: true, force: true });
  await buildMain(paths);
  await buildPreload(paths);
  const stray = requiredModules(readFileSync(path.join(paths.outDir, 'preload.cjs'), 'utf8')).filter(
    (name) => name !== 'electron',
  );
  if (stray.length > 0)
    throw new Error(`The sandboxed preload may only require 'electron', but requires: ${stray.join(', ')}`);
  cpSync(path.join(paths.root, 'electron', 'host', 'db', 'migrations'), path.join(paths.outDir, 'migrations'), {
    recursive: true,
  });
}

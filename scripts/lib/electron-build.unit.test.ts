/**
 * The desktop build and its packaging config, checked here because neither can run to the end on
 * this machine (no Electron binary, no network for electron-builder's downloads).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, requiredModules } from './electron-build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = path.join(ROOT, 'build', 'electron-builder.yml');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `import … from "x"` specifiers of an ES module bundle, reduced to package names. */
function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm), ...code.matchAll(/^import\s*"([^"]+)"/gm)];
  const names = specifiers
    .map(([, spec]) => spec!)
    .filter((spec) => !spec.startsWith('node:') && !spec.startsWith('.'));
  return [
    ...new Set(
      names.map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2) : spec.split('/').slice(0, 1)).join('/')),
    ),
  ];
}

/** Built once for the file: the packaging checks look at what the bundle imports. */
let outDir: string;
let mainImports: string[];
beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'nexus-electron-build-'));
  await buildElectron({ root: ROOT, outDir });
  mainImports = importedPackages(readFileSync(path.join(outDir, 'main.mjs'), 'utf8'));
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('buildElectron', () => {
  it('makes a CommonJS preload that needs nothing but electron (a sandboxed preload can load nothing else)', () => {
    const preload = readFileSync(path.join(outDir, 'preload.cjs'), 'utf8');
    expect(requiredModules(preload)).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('makes an ES module main whose packages are all production dependencies (what gets packaged)', () => {
    const packages = mainImports.filter((name) => name !== 'electron');
    expect(packages).toContain('better-sqlite3');
    for (const name of packages) expect(pkg.dependencies, name).toHaveProperty(name);
  });

  it('puts the host migrations where the bundled store looks for them', () => {
    const source = readdirSync(path.join(ROOT, 'electron', 'host', 'db', 'migrations')).sort();
    expect(readdirSync(path.join(outDir, 'migrations')).sort()).toEqual(source);
    expect(readFileSync(path.join(outDir, 'main.mjs'), 'utf8')).toContain('new URL("./migrations", import.meta.url)');
  });

  it('requiredModules finds every require', () => {
    expect(requiredModules('require("a"); require( \'b\' ); x.require("c"); require("a")')).toEqual(['a', 'b', 'c']);
  });
});

describe('build/electron-builder.yml', () => {
  let config: Configuration;
  /** electron-builder's loader turns `files` into file sets: these are the patterns as written. */
  let patterns: string[];
  beforeAll(async () => {
    config = await getConfig(ROOT, CONFIG, null);
    patterns = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
  });

  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validation catches a broken config (so the check above means something)', async () => {
    const misspelt = { ...config, nsis: { ...config.nsis, oneClik: false } } as unknown as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/nsis/);
    const badFuse = { ...config, electronFuses: { runAsNode: 'maybe' } } as unknown as Configuration;
    await expect(validateConfiguration(badFuse, new DebugLogger(false))).rejects.toThrow(/runAsNode/);
  });

  it('targets AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('packages dist/ only, starting at the bundled main process', () => {
    expect(config.extraMetadata?.main).toBe('dist/electron/app/main.mjs');
    const files = patterns.filter((pattern) => !pattern.startsWith('!'));
    expect(files).toEqual(['dist/electron/app/**', 'dist/renderer/**']);
    expect(config.directories?.output).toMatch(/^dist\//);
  });

  it('rebuilds better-sqlite3 for Electron and keeps native addons outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/sharp/**']),
    );
  });

  it('excludes no package the main process imports', () => {
    const excluded = patterns
      .filter((pattern) => pattern.startsWith('!node_modules/'))
      .map((pattern) => pattern.slice('!node_modules/'.length).replace(/\/\*\*$/, ''));
    expect(excluded).toContain('@electric-sql');
    for (const name of excluded) {
      const known = Object.keys(pkg.dependencies).some((dep) => dep === name || dep.startsWith(`${name}/`));
      expect(known, `${name} is a production dependency`).toBe(true);
      expect(
        mainImports.some((p) => p === name || p.startsWith(`${name}/`)),
        name,
      ).toBe(false);
    }
  });

  it('has an icon large enough for every platform', () => {
    const png = readFileSync(path.join(ROOT, 'build', 'icon.png'));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });
});

/**
 * Can Electron run here? Two things must hold, checked without starting it:
 * 1. its binary is on disk: the electron package downloads it lazily (node_modules/electron/path.txt
 *    names it, under dist/), or ELECTRON_OVERRIDE_DIST_PATH points at one;
 * 2. better-sqlite3 (not N-API) is compiled for Electron's Node ABI, not for the node that ran
 *    `npm install`: read from the addon's `node_register_module_vNNN` symbol and the electron
 *    package's abi_version, so a mismatch is a clear message instead of a crash in the window.
 * Requiring 'electron' from node is avoided on purpose: it starts a download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Check = { ok: true; binary: string } | { ok: false; reason: string };

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): Check {
  const dir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(dir, 'package.json')))
    return { ok: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!relative && !override)
    return {
      ok: false,
      reason: "Electron's binary has not been downloaded (node_modules/electron/path.txt is missing)",
    };
  const binary = override ? path.join(override, relative || 'electron') : path.join(dir, 'dist', relative);
  if (!existsSync(binary)) return { ok: false, reason: `Electron's binary is missing (${binary})` };
  return { ok: true, binary };
}

/**
 * Runs the electron package's own installer (a ~100 MB download, cached by @electron/get). Its
 * output is kept, not printed: the caller says in one line whether it worked.
 */
export function downloadElectron(root: string, timeoutMs = 10 * 60_000): { ok: boolean; output: string } {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: timeoutMs });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** The Node ABI (NODE_MODULE_VERSION) a classic native addon was compiled for, or null. */
export function addonAbi(addon: Buffer): number | null {
  const match = /node_register_module_v(\d+)/.exec(addon.toString('latin1'));
  return match ? Number(match[1]) : null;
}

export function electronAbi(root: string): number | null {
  const file = path.join(root, 'node_modules', 'electron', 'abi_version');
  if (!existsSync(file)) return null;
  const abi = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(abi) && abi > 0 ? abi : null;
}

export const SQLITE_ADDON = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/** Whether the store's native addon will load in Electron; unknown ABIs are given the benefit of the doubt. */
export function checkNativeAbi(root: string): { ok: true } | { ok: false; reason: string } {
  const addonFile = path.join(root, SQLITE_ADDON);
  if (!existsSync(addonFile)) return { ok: false, reason: `better-sqlite3 is not built (${SQLITE_ADDON} is missing)` };
  const built = addonAbi(readFileSync(addonFile));
  const wanted = electronAbi(root);
  if (built === null || wanted === null || built === wanted) return { ok: true };
  return {
    ok: false,
    reason:
      `better-sqlite3 is built for Node's ABI ${built} but Electron needs ${wanted}: ` +
      'run `npm run desktop -- --rebuild-native` (then `npm rebuild better-sqlite3` before `npm test`)',
  };
}

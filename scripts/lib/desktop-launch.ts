/**
 * What `npm run desktop` and `npm start` share: deciding whether Electron can run here (with the
 * reason when not), building what it loads, and starting it on dist/electron/app/main.mjs.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnChild } from './children.js';
import { checkNativeAbi, downloadElectron, findElectronBinary } from './electron-binary.js';
import { buildElectron, electronBuildPaths } from './electron-build.js';
import { ensureRendererBuild } from './renderer-build.js';

export type Availability = { ok: true; binary: string } | { ok: false; reason: string };

/** `download`: try the electron package's own download when the binary is missing (npm run desktop does). */
export function electronAvailability(root: string, download: boolean, log: (line: string) => void): Availability {
  let found = findElectronBinary(root);
  if (!found.ok && download) {
    log("Downloading Electron's binary (first run only)…");
    const attempt = downloadElectron(root);
    found = findElectronBinary(root);
    if (!found.ok && !attempt.ok)
      return { ok: false, reason: `Electron's binary could not be downloaded (${firstErrorLine(attempt.output)})` };
  }
  if (!found.ok) return found;
  const native = checkNativeAbi(root);
  return native.ok ? found : native;
}

/** The downloader prints a stack: its first line says enough ("fetch failed", "404 Not Found"). */
function firstErrorLine(output: string): string {
  const line = output.split('\n').find((text) => /error|fail|enotfound|eai_again|\d{3}/i.test(text)) ?? output;
  return line.trim().slice(0, 160) || 'no network?';
}

/** The UI (when missing or stale) and the main process + preload (always: about a second). */
export async function buildForElectron(root: string, log: (line: string) => void): Promise<string> {
  await ensureRendererBuild(root, log);
  const paths = electronBuildPaths(root);
  await buildElectron(paths);
  return path.join(paths.outDir, 'main.mjs');
}

export function spawnElectron(binary: string, main: string, args: readonly string[]): ChildProcess {
  const env = { ...process.env };
  // Set by some tools (and by Electron itself for its helpers): it would make the binary a plain node.
  delete env.ELECTRON_RUN_AS_NODE;
  return spawnChild(binary, [main, ...args], { env });
}

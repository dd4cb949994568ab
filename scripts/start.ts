/**
 * `npm start [-- --browser] [--no-build]`: the whole system on one machine. The central server
 * (PGlite in DATA_DIR, demo data) and, once it listens, the back-office pointed at it: Electron
 * when it can run here, otherwise browser mode, whose URL is printed. The back-office store is
 * DATA_DIR/backoffice (or BACKOFFICE_DATA_DIR). The UI is built first when missing or stale.
 * Ctrl+C stops the back-office (letting a sync pass finish), then the server.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, hasExited, spawnChild, stopChild, watchLines } from './lib/children.js';
import { buildForElectron, electronAvailability, spawnElectron } from './lib/desktop-launch.js';
import { ensureRendererBuild } from './lib/renderer-build.js';
import {
  BACKOFFICE_READY_LINE,
  chooseBackoffice,
  readStartOptions,
  SERVER_READY_LINE,
  START_USAGE,
  type StartOptions,
} from './lib/start-plan.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = ['--import', 'tsx'];
/** PGlite's first start migrates and seeds 200 products with pictures. */
const SERVER_START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;
const log = (line: string) => console.log(`[start] ${line}`);

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnChild(process.execPath, [...TSX, 'server/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    watchLines(child.stdout!, process.stdout, SERVER_READY_LINE),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), SERVER_START_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (!url) {
    await stopChild(child, STOP_GRACE_MS);
    throw new Error('The server did not start (see its output above).');
  }
  return { child, url };
}

async function startBackoffice(options: StartOptions, serverUrl: string): Promise<ChildProcess> {
  const args = ['--data-dir', options.backofficeDataDir, '--server-url', serverUrl];
  const choice = chooseBackoffice(options, electronAvailability(ROOT, false, log));
  if (choice.mode === 'browser' && choice.why) log(choice.why);
  if (choice.mode === 'electron') {
    const main = options.build
      ? await buildForElectron(ROOT, log)
      : path.join(ROOT, 'dist', 'electron', 'app', 'main.mjs');
    log(`Starting the desktop back-office (store in ${options.backofficeDataDir}).`);
    return spawnElectron(choice.binary, main, args);
  }
  if (options.build) await ensureRendererBuild(ROOT, log);
  const child = spawnChild(process.execPath, [...TSX, 'scripts/backoffice.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  void watchLines(child.stdout!, process.stdout, BACKOFFICE_READY_LINE).then(
    (url) => url && log(`Open the back-office: ${url}   (store in ${options.backofficeDataDir})`),
  );
  return child;
}

/** Back-office first: its last sync pass may still need the server. */
async function stopAll(backoffice: ChildProcess | undefined, server: ChildProcess): Promise<boolean> {
  const cleanBackoffice = backoffice ? await stopChild(backoffice, STOP_GRACE_MS) : true;
  const cleanServer = await stopChild(server, STOP_GRACE_MS);
  return cleanBackoffice && cleanServer;
}

async function main(): Promise<number> {
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: the environment alone configures both.
  }
  const options = readStartOptions(process.argv.slice(2), process.env, process.cwd());
  if (typeof options === 'string') {
    console.error(`${options}\n${START_USAGE}`);
    return 64;
  }
  const server = await startServer();
  let backoffice: ChildProcess | undefined;
  let stopping: Promise<number> | undefined;
  const stop = (code: number) => (stopping ??= stopAll(backoffice, server.child).then((clean) => (clean ? code : 1)));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const serverDied = exited(server.child).then((code) => {
    if (!stopping) log(`The server stopped unexpectedly (exit code ${code}).`);
    return stop(code === 0 ? 1 : code);
  });
  try {
    backoffice = await startBackoffice(options, server.url);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return stop(1);
  }
  void exited(backoffice).then((code) => {
    if (!stopping && !hasExited(server.child))
      log(`The back-office ended (exit code ${code}); the server keeps running. Ctrl+C stops it.`);
  });
  return serverDied;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

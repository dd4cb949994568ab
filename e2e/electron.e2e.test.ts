/**
 * The login test in the real desktop window, when an Electron binary (and a better-sqlite3 built
 * for it) is present: playwright-core's `_electron` drives the app against a real central server.
 * Where Electron cannot run, one line says why and the test is skipped.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChild, watchLines } from '../scripts/lib/children.js';
import { buildForElectron } from '../scripts/lib/desktop-launch.js';
import { checkNativeAbi, findElectronBinary } from '../scripts/lib/electron-binary.js';
import { SERVER_READY_LINE } from '../scripts/lib/start-plan.js';
import { CHANNEL_NAMES } from '../shared/contract/backoffice.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const ADMIN = { email: 'electron-e2e@nexus.local', password: 'electron-e2e-password-1' };

const binary = findElectronBinary(ROOT);
const native = checkNativeAbi(ROOT);
const skipReason = !binary.ok ? binary.reason : !native.ok ? native.reason : null;
if (skipReason) console.warn(`Electron e2e skipped: ${skipReason}.`);

describe.skipIf(skipReason !== null)('the desktop app in a real Electron window', () => {
  let dir: string;
  let server: ChildProcess;
  let serverUrl: string;
  let main: string;
  let app: ElectronApplication | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-electron-e2e-'));
    server = spawnChild(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: path.join(dir, 'server'),
        PORT: '0',
        SEED_DEMO: 'false',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      },
    });
    const url = await watchLines(server.stdout!, process.stdout, SERVER_READY_LINE);
    if (!url) throw new Error('The central server did not start');
    serverUrl = url;
    main = await buildForElectron(ROOT, console.warn);
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (server) await stopChild(server, 15_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the server already filled in, through exactly the contract', async () => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: binary.ok ? binary.binary : '',
      args: [main, '--data-dir', path.join(dir, 'backoffice'), '--server-url', serverUrl],
      env: env as Record<string, string>,
    });
    const window = await app.firstWindow();
    expect(window.url()).toMatch(/^app:\/\/nexus\//);

    // The page is a browser: the contract's functions and onEvent, no Node, no generic invoke.
    const exposed = await window.evaluate(() => {
      const page = globalThis as unknown as { nexus?: object; require?: unknown; process?: unknown };
      return { keys: Object.keys(page.nexus ?? {}).sort(), require: typeof page.require, process: typeof page.process };
    });
    expect(exposed.keys).toEqual([...CHANNEL_NAMES, 'onEvent'].sort());
    expect(exposed).toMatchObject({ require: 'undefined', process: 'undefined' });

    await window.getByLabel('E-mail').fill(ADMIN.email);
    await window.getByLabel('Password').fill(ADMIN.password);
    await window.getByRole('button', { name: 'Sign in' }).click();
    await window.getByRole('region', { name: 'Sync status' }).waitFor({ timeout: 30_000 });
    await window.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'detached', timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await window.screenshot({ path: path.join(ARTIFACTS, 'electron-after-login.png') });
  }, 120_000);
});

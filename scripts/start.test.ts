/**
 * `npm start` end to end, as a user runs it: the server on PGlite in a fresh DATA_DIR, then the
 * back-office (browser mode here: no Electron binary) pointed at it, then Ctrl+C stopping both.
 * The server under `npm start` is always PGlite: this runs once, in the PGlite project.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKOFFICE_READY_LINE, SERVER_READY_LINE } from './lib/start-plan.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = { email: 'start-test@nexus.local', password: 'start-test-password-1' };
const dataDir = mkdtempSync(path.join(tmpdir(), 'nexus-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  for (const name of ['SERVER_URL', 'BACKOFFICE_PORT', 'BACKOFFICE_DATA_DIR', 'DATABASE_URL', 'PORT', 'DATA_DIR'])
    delete clean[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = output
        .split('\n')
        .map((line) => pattern.exec(line))
        .find(Boolean);
      if (match) return match[1]!;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`No ${pattern} in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

const post = (base: string, channel: string, secret: string | null, body: unknown = {}) =>
  fetch(new URL(`/api/${channel}`, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(secret ? { Authorization: `Bearer ${secret}` } : {}) },
    body: JSON.stringify(body),
  });

describe.skipIf(process.env.TEST_DB === 'postgres')('npm start (scripts/start.ts)', () => {
  it('starts the server and a back-office pointed at it; Ctrl+C stops both', async () => {
    const run = start(['--browser'], {
      DATA_DIR: dataDir,
      PORT: '0',
      SEED_DEMO: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const serverUrl = await run.waitFor(SERVER_READY_LINE, 60_000);
    const launchUrl = await run.waitFor(BACKOFFICE_READY_LINE, 45_000);
    const secret = new URL(launchUrl).hash.replace('#secret=', '');

    // The store lives under DATA_DIR, and the UI was built (or already fresh) before serving.
    expect(existsSync(path.join(dataDir, 'backoffice', 'backoffice.db'))).toBe(true);
    const page = await fetch(new URL('/', launchUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const status = await post(launchUrl, 'sync:status', secret);
    expect(await status.json()).toMatchObject({ ok: true, value: { serverUrl, state: 'signed_out' } });
    expect((await post(launchUrl, 'sync:status', null)).status).toBe(403);

    // Staff only type the credentials: the back-office already knows the server.
    const login = await post(launchUrl, 'auth:login', secret, ADMIN);
    expect(await login.json()).toMatchObject({ ok: true, value: { email: ADMIN.email } });

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    await expect(fetch(new URL('/api/health', serverUrl))).rejects.toThrow();
    await expect(fetch(launchUrl)).rejects.toThrow();
  }, 120_000);

  it('refuses an unknown option with its usage', async () => {
    const run = start(['--electron']);
    expect(await run.exited).toBe(64);
    expect(run.output()).toContain('usage: npm start');
  }, 40_000);

  it('says so and exits non-zero when the server cannot start', async () => {
    const run = start(['--browser'], { DATA_DIR: dataDir, PORT: 'not-a-port' });
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('PORT');
    expect(run.output()).toContain('The server did not start');
  }, 60_000);
});

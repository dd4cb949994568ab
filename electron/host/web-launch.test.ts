/** `npm run backoffice` (scripts/backoffice.ts) as a person launches it: the printed URL, exit codes, bad flags. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackofficeHost } from './host.js';
import { rawRequest } from './web.testkit.js';

const repo = path.resolve(import.meta.dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'nexus-web-launch-'));
const json = { 'content-type': 'application/json' };
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tsxBin = path.join(repo, 'node_modules', '.bin', 'tsx');

const launched: ChildProcess[] = [];
// A failed assertion must not leave a server running.
afterAll(() => launched.filter((c) => c.exitCode === null && c.signalCode === null).forEach((c) => c.kill('SIGKILL')));

/** `tsx scripts/backoffice.ts …` as npm runs it, with the back-office's environment variables cleared. */
function launch(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['BACKOFFICE_PORT', 'BACKOFFICE_DATA_DIR', 'SERVER_URL'].includes(k)),
  );
  const child = spawn(tsxBin, ['scripts/backoffice.ts', ...args], { cwd: repo, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const found = /http:\/\/\S+/.exec(stdout);
      if (found) resolve(found[0]);
    });
    void exited.then(() => reject(new Error(`exited before printing a URL: ${stderr}`)));
  });
  // Runs that are meant to fail never await the URL.
  url.catch(() => undefined);
  launched.push(child);
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

/** A channel call through the printed URL, as the UI's bridge makes it after reading the fragment. */
async function callThrough(printed: string, channel: string) {
  const url = new URL(printed);
  const secret = new URLSearchParams(url.hash.slice(1)).get('secret')!;
  const answer = await rawRequest({
    method: 'POST',
    path: `/api/${channel}`,
    port: Number(url.port),
    headers: { host: url.host, authorization: `Bearer ${secret}`, ...json },
    body: '{}',
  });
  return answer;
}

describe('scripts/backoffice.ts', () => {
  it('prints one URL that works, saves --server-url, and on SIGTERM exits 0 warning about unsynced changes', async () => {
    const dataDir = path.join(root, 'script-a');
    // One change queued offline by an earlier run: the exit warning must count it.
    const earlier = createBackofficeHost({ dataDir, autoSync: false });
    await earlier.call('categories:create', { name: 'Offline' });
    await earlier.close();

    const run = launch(['--port', '0', '--data-dir', dataDir, '--server-url', 'http://127.0.0.1:9']);
    const printed = await run.url;
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=[A-Za-z0-9_-]{43}$/);
    const settings = await callThrough(printed, 'settings:get');
    expect(settings.status).toBe(200);
    expect(settings.json.value.serverUrl).toBe('http://127.0.0.1:9');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const { stdout, stderr } = run.output();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Warning: 1 unsynced change kept in/);
  });

  it('defaults the data dir to $XDG_DATA_HOME/nexus-backoffice and stops cleanly on SIGINT', async () => {
    const xdg = path.join(root, 'xdg');
    const run = launch(['--port', '0'], { XDG_DATA_HOME: xdg });
    await run.url;
    expect(existsSync(path.join(xdg, 'nexus-backoffice', 'backoffice.db'))).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output().stderr).not.toContain('Warning');
  });

  // Each launch starts tsx (seconds on a busy machine): they run side by side.
  it('refuses bad arguments with a usage message and exit code 64', { timeout: 90_000 }, async () => {
    const cases = [['--port', 'abc'], ['--port', '70000'], ['--port', ''], ['--server-url', 'ftp://x'], ['--bogus']];
    const runs = cases.map((args) => ({ args, run: launch([...args, '--data-dir', path.join(root, 'script-bad')]) }));
    for (const { args, run } of runs) {
      expect(await run.exited, args.join(' ')).toBe(64);
      expect(run.output().stderr).toContain('usage: npm run backoffice');
      expect(run.output().stdout).toBe('');
    }
    expect(existsSync(path.join(root, 'script-bad'))).toBe(false);
  });
});

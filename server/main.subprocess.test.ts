import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, runTs, type TsProcess } from './main.testkit.js';
import { TEST_DB } from './test/harness.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// One process at a time owns a PGlite directory; the Postgres variant adds nothing here.
describe.skipIf(TEST_DB === 'postgres')('server/main.ts as a real process', { timeout: 120_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nexus-main-'));
  const dataDir = path.join(root, 'data');
  const admin = { email: '', password: '' };
  let firstToken = '';
  afterAll(async () => {
    await killStarted();
    rmSync(root, { recursive: true, force: true });
  });

  async function start(extraEnv: Record<string, string> = {}) {
    const port = await freePort();
    const proc = runTs(
      'server/main.ts',
      [],
      { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', SEED_DEMO: 'true', ...extraEnv },
      root,
    );
    return { proc, url: `http://127.0.0.1:${port}` };
  }

  const login = (url: string, password = admin.password) =>
    fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password }),
    });

  async function expectCleanExit(proc: TsProcess, signal: NodeJS.Signals) {
    expect(await proc.stop(signal)).toEqual({ code: 0, signal: null });
    const logs = proc.stdout();
    expect(logs).toContain(`"signal":"${signal}"`);
    expect(logs).toContain('"msg":"shutdown complete"');
    // The generated JWT secret never reaches the output.
    expect(logs + proc.stderr()).not.toContain(readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim());
  }

  it('starts on a fresh data directory, prints a demo admin once, serves, and exits 0 on SIGTERM', async () => {
    const { proc, url } = await start();
    const banner = await proc.waitFor(/Demo admin\s+(\S+@\S+) \/ (\S+)\s+\(saved in (.+)\)/);
    [admin.email, admin.password] = [banner[1]!, banner[2]!];
    expect(admin.email).toBe('admin@nexus.local');
    expect(admin.password.length).toBeGreaterThanOrEqual(12);
    expect(banner[3]).toBe(path.join(dataDir, 'demo-admin.txt'));
    expect(readFileSync(banner[3]!, 'utf8')).toBe(`${admin.email}\n${admin.password}\n`);
    expect(proc.stdout()).toContain(`Nexus server is up on PGlite at ${path.join(dataDir, 'pglite')}`);
    expect(proc.stdout()).toContain(`${url}/api/health`);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/api/ready`)).json()).toEqual({ status: 'ready', database: 'pglite' });

    const res = await login(url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { role: string; email: string }; accessToken: string };
    expect(body.user).toMatchObject({ role: 'admin', email: admin.email });
    firstToken = body.accessToken;
    const users = await fetch(`${url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${firstToken}` } });
    expect(users.status).toBe(200);
    await login(url, 'not the password').then((r) => expect(r.status).toBe(401));

    await expectCleanExit(proc, 'SIGTERM');
  });

  it('reuses the data directory on a second start: no new password, same admin and secret', async () => {
    expect(admin.password, 'needs the first test').not.toBe('');
    const { proc, url } = await start();
    await proc.waitFor(/Health\s+http/);
    expect(proc.stdout()).toMatch(
      new RegExp(
        `Demo admin\\s+admin@nexus\\.local\\s+\\(password in ${escapeRe(path.join(dataDir, 'demo-admin.txt'))}\\)`,
      ),
    );
    expect(proc.stdout()).not.toContain(admin.password);
    expect(readFileSync(path.join(dataDir, 'demo-admin.txt'), 'utf8')).toBe(`${admin.email}\n${admin.password}\n`);

    const res = await login(url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    // Same JWT secret from DATA_DIR: a token from the first run is still accepted.
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${firstToken}` } });
    expect(me.status).toBe(200);

    await expectCleanExit(proc, 'SIGINT');
  });

  it('refuses a bad environment with exit code 78, naming every bad variable, before touching the disk', async () => {
    const badDir = path.join(root, 'never-created');
    const proc = runTs('server/main.ts', [], { DATA_DIR: badDir, PORT: 'abc', LOG_LEVEL: 'loud' }, root);
    expect(await proc.exited).toEqual({ code: 78, signal: null });
    expect(proc.stderr()).toContain('Nexus cannot start.');
    expect(proc.stderr()).toMatch(/PORT: must be a port number/);
    expect(proc.stderr()).toMatch(/LOG_LEVEL: /);
    expect(proc.stdout()).not.toContain('Nexus server is up');
    expect(existsSync(badDir)).toBe(false);
  });

  it('refuses production without JWT_SECRET', async () => {
    const proc = runTs('server/main.ts', [], { DATA_DIR: path.join(root, 'prod'), NODE_ENV: 'production' }, root);
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toMatch(/JWT_SECRET: required in production/);
  });
});

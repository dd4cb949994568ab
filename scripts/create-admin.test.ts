import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/client.js';
import { killStarted, runTs } from '../server/main.testkit.js';
import { hashPassword, verifyPassword } from '../server/modules/auth/passwords.js';
import { findUserByEmail, insertUser } from '../server/modules/users/users.service.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../server/test/harness.js';

/**
 * Runs the real script as an operator would. On PGlite it uses DATA_DIR/pglite (the script and the
 * test take turns: an embedded database has one process at a time); on Postgres, DATABASE_URL.
 */
describe(`scripts/create-admin.ts (${TEST_DB})`, { timeout: 120_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nexus-create-admin-'));
  const dataDir = path.join(root, 'data');
  let postgres: TestDatabase | undefined;

  beforeAll(async () => {
    if (TEST_DB === 'postgres') postgres = await createTestDatabase();
  });
  afterAll(async () => {
    await killStarted();
    await postgres?.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: dataDir, ...(postgres ? { DATABASE_URL: postgres.url! } : {}) });
  const location = () => (postgres ? /\(postgres(ql)?:\/\/.+\)$/m : `(PGlite at ${path.join(dataDir, 'pglite')})`);

  async function createAdmin(...args: string[]) {
    const proc = runTs('scripts/create-admin.ts', args, env(), root);
    const { code } = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  }

  /** Opens the same database the script used (on PGlite only while no script runs). */
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (postgres) return fn(postgres.db);
    const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      await database.migrate();
      return await fn(database.db);
    } finally {
      await database.close();
    }
  }

  it('creates an admin that can be read back from the database', async () => {
    const result = await createAdmin(
      '--email',
      'Boss@Example.com',
      '--password',
      'first password',
      '--name',
      'Big Boss',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Admin boss@example\.com: created /m);
    expect(result.stdout).toMatch(location());
    expect(result.stdout).not.toContain('first password');

    await withDb(async (db) => {
      const user = await findUserByEmail(db, 'boss@example.com');
      expect(user).toMatchObject({ email: 'boss@example.com', name: 'Big Boss', role: 'admin', disabled: false });
      expect(await verifyPassword(user!.passwordHash, 'first password')).toBe(true);
      // Prepare the next test: an ordinary customer to promote.
      await insertUser(db, {
        email: 'customer@example.com',
        name: 'Customer',
        passwordHash: await hashPassword('customer password'),
      });
    });
  });

  it('sets a new password for an existing admin, and promotes a customer', async () => {
    const again = await createAdmin('--email', 'boss@example.com', '--password', 'second password');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Admin boss@example\.com: updated /m);

    const promoted = await createAdmin('--email', 'customer@example.com', '--password', 'now an admin!');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/^Admin customer@example\.com: promoted /m);

    await withDb(async (db) => {
      const boss = await findUserByEmail(db, 'boss@example.com');
      expect(await verifyPassword(boss!.passwordHash, 'second password')).toBe(true);
      expect(await verifyPassword(boss!.passwordHash, 'first password')).toBe(false);
      expect(boss!.name).toBe('Big Boss'); // not asked to change
      const customer = await findUserByEmail(db, 'customer@example.com');
      expect(customer).toMatchObject({ role: 'admin', name: 'Customer' });
      expect(await verifyPassword(customer!.passwordHash, 'now an admin!')).toBe(true);
    });
  });

  it.each([
    [['--password', 'long enough'], /--email: /],
    [['--email', 'not-an-email', '--password', 'long enough'], /--email: must be a valid e-mail address/],
    [['--email', 'x@example.com', '--password', 'short'], /--password: must be at least 8 characters/],
    [['--email', 'x@example.com'], /--password: /],
  ])('refuses %j with exit code 64 and a usage line', async (args, message) => {
    const result = await createAdmin(...args);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage: npm run create-admin -- --email');
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown option with a non-zero exit naming it', async () => {
    const result = await createAdmin('--email', 'x@example.com', '--password', 'long enough', '--bogus', 'y');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--bogus');
  });

  it('refuses a bad environment with the config message', async () => {
    const proc = runTs(
      'scripts/create-admin.ts',
      ['--email', 'x@example.com', '--password', 'long enough'],
      { DATA_DIR: dataDir, DATABASE_URL: 'mysql://x' },
      root,
    );
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr()).toMatch(/Invalid configuration:\n\s+- DATABASE_URL: must be a URL like postgres:\/\//);
  });

  it('left nobody else behind: no admin was created by the refused runs', async () => {
    await withDb(async (db) => {
      expect(await findUserByEmail(db, 'x@example.com')).toBeUndefined();
    });
  });
});

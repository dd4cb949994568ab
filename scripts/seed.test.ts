import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/client.js';
import { products, variants } from '../server/db/schema/index.js';
import { killStarted, runTs } from '../server/main.testkit.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../server/test/harness.js';

/** Runs `npm run seed`'s script as an operator would, against DATA_DIR/pglite or DATABASE_URL. */
describe(`scripts/seed.ts (${TEST_DB})`, { timeout: 120_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nexus-seed-'));
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

  const seed = async (...args: string[]) => {
    const proc = runTs(
      'scripts/seed.ts',
      args,
      { DATA_DIR: dataDir, ...(postgres ? { DATABASE_URL: postgres.url! } : {}) },
      root,
    );
    const { code } = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  };

  it('adds N products with their variants, and refuses bad arguments with a usage line', async () => {
    const ok = await seed('--products', '30', '--seed', '5');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Seeded 30 products, \d+ variants in \d+ categories/);

    for (const bad of [
      ['--products', '0'],
      ['--products', 'many'],
      ['--colour', 'red'],
    ]) {
      const res = await seed(...bad);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/usage|Unknown option/i);
    }

    const database = postgres ?? (await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') }));
    try {
      const [p] = await database.db.select({ n: count() }).from(products);
      const [v] = await database.db.select({ n: count() }).from(variants);
      expect(p!.n).toBe(30);
      expect(v!.n).toBeGreaterThanOrEqual(30);
    } finally {
      if (!postgres) await database.close();
    }
  });
});

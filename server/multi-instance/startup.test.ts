import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { queryRows } from '../db/sql.js';
import { createLogger } from '../logger.js';
import { startServer } from '../runtime.js';
import { createTestDatabase, TEST_DB, TEST_JWT_SECRET } from '../test/harness.js';

// Instances racing each other at start-up need a database server several processes share.
describe.skipIf(TEST_DB !== 'postgres')(
  'instances starting together on a fresh database (real Postgres only; PGlite lives inside one process)',
  { timeout: 90_000 },
  () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nexus-startup-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('all start, with one admin between them', async () => {
      const database = await createTestDatabase();
      const config = (name: string) =>
        loadConfig({
          NODE_ENV: 'test',
          PORT: '0',
          DATA_DIR: path.join(root, name),
          DATABASE_URL: database.url,
          DATABASE_POOL_MAX: '3',
          JWT_SECRET: TEST_JWT_SECRET,
          ADMIN_EMAIL: 'admin@startup.example.com',
          ADMIN_PASSWORD: 'correct horse battery staple',
          // The demo catalog (200 products with images) would take most of a minute here; it is
          // seeded under the same lock as the admin.
          SEED_DEMO: 'false',
        });
      const started = await Promise.allSettled(
        ['a', 'b', 'c'].map((name) => startServer(config(name), createLogger('silent'))),
      );
      try {
        expect(started.map((s) => (s.status === 'fulfilled' ? 'started' : String(s.reason)))).toEqual([
          'started',
          'started',
          'started',
        ]);
        const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        expect(running.map((r) => r.admin?.email)).toEqual(Array(3).fill('admin@startup.example.com'));
        const admins = await queryRows<{ email: string }>(
          database.db,
          sql`select email from users where role = 'admin'`,
        );
        expect(admins).toEqual([{ email: 'admin@startup.example.com' }]);
      } finally {
        await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.shutdown()] : [])));
        await database.destroy();
      }
    });
  },
);

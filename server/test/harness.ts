/**
 * Test harness: every test file gets its own database (in-memory PGlite, or a fresh database on
 * the real Postgres server) and builds the app with createApp, as production does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import supertest from 'supertest';
import { createApp, type NexusApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { openMigratedPglite } from './pglite-template.js';
import type { MailMessage, MailTransport } from '../modules/notifications/transport.js';

export const TEST_DB: 'pglite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends Database {
  /** Closes and, on Postgres, drops the test database. */
  destroy(): Promise<void>;
  /** A URL for this database on Postgres (for tests that need a second connection or process). */
  url?: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'pglite') {
    const database = await openMigratedPglite();
    return { ...database, destroy: () => database.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `nexus_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: 10 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async destroy() {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'nexus-test-')),
    SEED_DEMO: 'false',
    ...env,
  });
}

/** Keeps sent mail in memory; `fail` makes the next sends throw, to exercise retries. */
export function memoryTransport() {
  const sent: MailMessage[] = [];
  const transport: MailTransport & { sent: MailMessage[]; failNext: number } = {
    description: 'memory',
    sent,
    failNext: 0,
    async send(message) {
      if (transport.failNext > 0) {
        transport.failNext--;
        throw new Error('simulated SMTP failure');
      }
      sent.push(message);
    },
    close() {},
  };
  return transport;
}

export interface TestApp {
  nexus: NexusApp;
  database: TestDatabase;
  config: Config;
  mail: ReturnType<typeof memoryTransport>;
  request: ReturnType<typeof supertest>;
  /** Runs the outbox until it is empty (tests drive the worker by hand). */
  flushOutbox(): Promise<void>;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    database?: TestDatabase;
    mailTransport?: MailTransport;
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(options.env);
  const mail = memoryTransport();
  const nexus = createApp({
    config,
    database,
    logger: options.logger ?? createLogger('silent'),
    mailTransport: options.mailTransport ?? mail,
  });
  nexus.lifecycle.migrated = true;
  return {
    nexus,
    database,
    config,
    mail,
    request: supertest(nexus.app),
    async flushOutbox() {
      await nexus.ctx.background.drain();
      while ((await nexus.outbox.runOnce()) > 0);
    },
    async close(closeOptions: { keepDatabase?: boolean } = {}) {
      await nexus.ctx.background.drain();
      await nexus.outbox.stop();
      // Its Redis link (REDIS_URL) is its own, as in production (runtime.ts closes it on shutdown).
      await nexus.ctx.redis?.close();
      // An app sharing another app's database (a second instance) leaves it to its owner.
      if (!closeOptions.keepDatabase) await database.destroy();
    },
  };
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${Date.now()}.${++counter}@example.com`;

/** Registers a customer through the API and returns the tokens. */
export async function registerCustomer(
  app: TestApp,
  overrides: { email?: string; password?: string; name?: string } = {},
) {
  const body = { email: uniqueEmail(), password: 'correct horse battery', name: 'Test Customer', ...overrides };
  const res = await app.request.post('/api/v1/auth/register').send(body).expect(201);
  return { ...res.body, password: body.password } as {
    user: { id: string; email: string; role: string };
    accessToken: string;
    refreshToken: string;
    password: string;
  };
}

/** Creates a user with the given role directly and signs an access token for it. */
export async function userWithRole(app: TestApp, role: 'customer' | 'staff' | 'admin') {
  const { insertUser } = await import('../modules/users/users.service.js');
  const { hashPassword } = await import('../modules/auth/passwords.js');
  const password = 'correct horse battery';
  const user = await insertUser(app.nexus.ctx.db, {
    email: uniqueEmail(role),
    name: `Test ${role}`,
    passwordHash: await hashPassword(password),
    role,
  });
  const accessToken = await app.nexus.ctx.tokens.sign({ userId: user.id, role });
  return { user, accessToken, password, auth: { Authorization: `Bearer ${accessToken}` } };
}

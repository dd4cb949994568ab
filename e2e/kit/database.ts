/**
 * The central server's database for an e2e run: in-memory PGlite always, and real Postgres when
 * the suite found one (vitest.config.ts passes its URL as E2E_POSTGRES_URL, empty when none
 * answers), like the server suites. Each call makes a fresh database that `destroy()` removes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../server/db/client.js';
import type { TestDatabase } from '../../server/test/harness.js';
import { openMigratedPglite } from '../../server/test/pglite-template.js';

export type DatabaseKind = 'pglite' | 'postgres';

const postgresUrl = (): string | undefined => process.env.E2E_POSTGRES_URL || undefined;

/** The databases this run covers. */
export function e2eDatabases(): DatabaseKind[] {
  return postgresUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * For tests whose subject is not the server's database (reports are computed by the host): real
 * Postgres when there is one, since an in-memory PGlite takes seconds longer to start.
 */
export function quickestDatabase(): DatabaseKind {
  return e2eDatabases().at(-1)!;
}

export async function createDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openMigratedPglite();
    return { ...database, destroy: () => database.close() };
  }
  const adminUrl = postgresUrl();
  if (!adminUrl) throw new Error('e2e: no Postgres for this run (E2E_POSTGRES_URL is empty)');
  const name = `nexus_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: 10 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async destroy() {
      await database.close();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

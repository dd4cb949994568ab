/**
 * A real central server for e2e tests, in this process: the app production runs (createApp, via
 * the server suites' harness: temp DATA_DIR, mail kept in memory, the test payment provider),
 * listening on loopback, with a staff account to sign in with and the fixtures the server suites
 * use to make products, carts and orders. `seedBulk` fills the catalog with set-based SQL (the
 * bench seeder), so a first download has thousands of rows without minutes of API calls.
 */
import { sql } from 'drizzle-orm';
import { seedSyncData, type SeedCounts, type SeedSizes } from '../../bench/sync-seed.js';
import { queryRows } from '../../server/db/sql.js';
import { createTestApp } from '../../server/test/harness.js';
import { type SyncServer, startSyncServer } from '../../electron/host/sync/testing/e2e.js';
import { createDatabase, type DatabaseKind } from './database.js';

export interface CentralServer extends SyncServer {
  kind: DatabaseKind;
  /** The staff account the UI signs in with. */
  credentials: { email: string; password: string };
  seedBulk(sizes: Partial<SeedSizes>): Promise<SeedCounts>;
  /** A number the server holds (`select count(*) …`), for checking against what the UI shows. */
  count(sql: string): Promise<number>;
  /** Rows the server holds. */
  query<T>(sql: string): Promise<T[]>;
}

export async function startCentralServer(kind: DatabaseKind = 'pglite'): Promise<CentralServer> {
  const database = await createDatabase(kind);
  const app = await createTestApp({ database });
  const server = await startSyncServer(app);
  return {
    ...server,
    kind,
    credentials: { email: server.staff.user.email, password: server.staff.password },
    seedBulk: (sizes) =>
      seedSyncData(app.nexus.ctx.db, { products: 100, variantsPer: 2, orders: 0, chunk: 500, ...sizes }),
    async count(text) {
      const rows = await queryRows<{ n: number }>(app.nexus.ctx.db, sql.raw(`select (${text})::int as n`));
      return rows[0]!.n;
    },
    query: (text) => queryRows(app.nexus.ctx.db, sql.raw(text)),
    async close() {
      await server.close();
      await app.close();
    },
  };
}

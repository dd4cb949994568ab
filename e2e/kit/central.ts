/**
 * A real central server for e2e tests, in this process: the app production runs (createApp, via
 * the server suites' harness: temp DATA_DIR, mail kept in memory, the test payment provider),
 * listening on loopback, with a staff account to sign in with and the fixtures the server suites
 * use to make products, carts and orders. `seedBulk` fills the catalog with set-based SQL (the
 * bench seeder), so a first download has thousands of rows without minutes of API calls.
 * `stop()` and `restart()` take the server off the network and bring it back at the same address,
 * app and database: what a back-office sees when the shop's server goes down and comes back.
 */
import http from 'node:http';
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
  /** Closes the HTTP listener and cuts every open connection (event streams too); the app and database stay. */
  stop(): Promise<void>;
  /** Listens again on the same port, so the address a back-office saved still works. */
  restart(): Promise<void>;
}

export async function startCentralServer(kind: DatabaseKind = 'pglite'): Promise<CentralServer> {
  const database = await createDatabase(kind);
  const app = await createTestApp({ database });
  const server = await startSyncServer(app);
  const port = Number(new URL(server.url).port);
  // The first listener belongs to startSyncServer (its close() ends it); after a restart, ours does.
  let listener: http.Server | null = null;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    if (!listener) return server.close();
    const current = listener;
    listener = null;
    // Stop accepting first, then cut what is open (close() alone would wait for the event streams).
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeAllConnections();
    await closed;
  };
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
    stop,
    async restart() {
      if (listening) return;
      const next = http.createServer(app.nexus.app);
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(port, '127.0.0.1', () => {
          next.off('error', reject);
          resolve();
        });
      });
      listener = next;
      listening = true;
    },
    async close() {
      await stop();
      await app.close();
    },
  };
}

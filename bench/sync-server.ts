/**
 * Child process of bench/sync.ts: the central server on its own event loop (and, on PGlite, the
 * only process that can open the database). Migrates, seeds with set-based SQL (sync-seed.ts),
 * adds one staff account for the back-office host, then serves the real app and prints its ready
 * line (with BENCH_REUSE=1, a database a previous run seeded with the same sizes is used as it is).
 * Commands (bench/lib/child.ts):
 * - `mark`: pushes from now on are this run's (a kept database has earlier runs' too);
 * - `stock`: per variant touched by pushed mutations since the mark (movements referenced `sync:<mutation id>`),
 *   its level, the sum of those movements, and the whole ledger's sum, for the parent's check;
 * - `pull-floor {"clientId", "limit", "samples"}`: the floor of one pull page (see pullFloor).
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../server/db/client.js';
import { syncDevices } from '../server/db/schema/index.js';
import { queryRows } from '../server/db/sql.js';
import { hashPassword } from '../server/modules/auth/passwords.js';
import { pull, pullBody } from '../server/modules/sync/pull.js';
import { insertUser } from '../server/modules/users/users.service.js';
import { announceReady, serveCommands } from './lib/child.js';
import { serveBench } from './lib/serve.js';
import type { ServerStockRow } from './sync-check.js';
import { seededAlready, seedSyncData } from './sync-seed.js';

export interface SyncServerReady {
  url: string;
  database: 'pglite' | 'postgres';
  staff: { email: string; password: string };
  seed: { seconds: number; counts: Record<string, number>; syncLog: number };
}

const sizes = {
  products: Number(process.env.BENCH_PRODUCTS ?? 100_000),
  variantsPer: Number(process.env.BENCH_VARIANTS_PER ?? 3),
  orders: Number(process.env.BENCH_ORDERS ?? 50_000),
  chunk: Number(process.env.BENCH_SEED_CHUNK ?? 100),
};

const database = await openDatabase({
  url: process.env.BENCH_SYNC_DATABASE_URL || undefined,
  pgliteDir: 'memory',
  poolMax: 10,
});
await database.migrate();
const db = database.db;

const started = performance.now();
const counts = (process.env.BENCH_REUSE === '1' && (await seededAlready(db, sizes))) || (await seedSyncData(db, sizes));
const seedSeconds = (performance.now() - started) / 1000;
const [log] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from sync_log`);

// A scratch account for a scratch database: the password only has to be unguessable for the run.
// A fresh address each run: a kept database (--reuse) has the earlier runs' accounts.
const staff = {
  email: `sync-bench-${randomBytes(4).toString('hex')}@bench.invalid`,
  password: randomBytes(18).toString('base64url'),
};
await insertUser(db, {
  email: staff.email,
  name: 'Sync bench',
  passwordHash: await hashPassword(staff.password),
  role: 'staff',
});

/** Movements before this moment are an earlier run's (a kept database, --reuse): `stock` leaves them out. */
let since = new Date(0);
async function mark(): Promise<{ since: string }> {
  since = new Date();
  return { since: since.toISOString() };
}

async function stock(): Promise<ServerStockRow[]> {
  return queryRows<ServerStockRow>(
    db,
    sql`select s.variant_id as "variantId", l.on_hand as "onHand", s.delta as "syncDelta", s.n as "syncMovements",
        (select coalesce(sum(a.on_hand_delta), 0) from stock_movements a where a.variant_id = s.variant_id)::int as ledger
      from (select variant_id, sum(on_hand_delta)::int as delta, count(*)::int as n from stock_movements
            where reference like 'sync:%' and created_at >= ${since.toISOString()}::timestamptz group by variant_id) s
      join stock_levels l on l.variant_id = s.variant_id`,
  );
}

/**
 * The floor of one pull page: the pull service alone (its SQL, rows rendered by Postgres, the
 * answer's JSON text), no HTTP, auth or validation. Like the parent's HTTP samples, the second
 * page of a download, `samples` times one after another (the first page also counts what is
 * left, which no other page does). Answers the ms of each.
 */
async function pullFloor(argument: string): Promise<number[]> {
  const { clientId, limit, samples } = JSON.parse(argument) as { clientId: string; limit: number; samples: number };
  const [device] = await db.select().from(syncDevices).where(eq(syncDevices.clientId, clientId));
  if (!device) throw new Error(`no device ${clientId}`);
  const { cursor } = await pull(db, device, { limit });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    pullBody(await pull(db, device, { cursor, limit }));
    times.push(performance.now() - started);
  }
  return times;
}

const running = await serveBench(database, { env: { JSON_BODY_LIMIT: process.env.BENCH_JSON_BODY_LIMIT ?? '100kb' } });
const ready: SyncServerReady = {
  url: running.url,
  database: database.kind,
  staff,
  seed: { seconds: seedSeconds, counts: { ...counts }, syncLog: log?.n ?? 0 },
};
announceReady({ ...ready });
serveCommands({ mark, stock, 'pull-floor': pullFloor }, () => running.shutdown());

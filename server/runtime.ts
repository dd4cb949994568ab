import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { createApp, type NexusApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { seedDemoCatalogIfEmpty } from './modules/catalog/demo/demo.js';
import { scheduleCartPurge } from './modules/cart/cart.purge.js';
import { scheduleOrderExpiry } from './modules/orders/expiry.js';
import { closeSyncEvents } from './modules/sync/sync.routes.js';
import { createDemoAdmin, ensureAdmin, hasAdmin } from './modules/users/bootstrap.js';

export interface RunningServer {
  nexus: NexusApp;
  server: http.Server;
  url: string;
  /** Stops accepting, drains in-flight requests, stops workers, closes the database. */
  shutdown(): Promise<void>;
}

export interface AdminNotice {
  email: string;
  /** Present only when the password was generated on this start. */
  password?: string;
  file?: string;
}

/** Applies ADMIN_EMAIL/ADMIN_PASSWORD, and on a demo database creates a demo admin once. */
async function bootstrapAdmins(nexus: NexusApp, config: Config): Promise<AdminNotice | undefined> {
  const { db } = nexus.ctx;
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await ensureAdmin(db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    return { email: config.ADMIN_EMAIL };
  }
  if (!config.SEED_DEMO) return undefined;
  const file = path.join(config.dataDir, 'demo-admin.txt');
  if (await hasAdmin(db)) {
    if (!existsSync(file)) return undefined;
    const [email] = readFileSync(file, 'utf8').split('\n');
    return email ? { email, file } : undefined;
  }
  const admin = await createDemoAdmin(db);
  writeFileSync(file, `${admin.email}\n${admin.password}\n`, { mode: 0o600 });
  return { ...admin, file };
}

// Distinct from the migration lock's key (db/client.ts).
const STARTUP_LOCK_KEY = 7_240_002;

/**
 * Runs the start-up writes (admins, demo catalog) one instance at a time: instances started
 * together on a fresh database would otherwise each see no admin and each insert one, and all but
 * one would fail to start. The lock is held on a connection of its own, so the work inside can
 * use the whole pool (whatever DATABASE_POOL_MAX is).
 */
async function oneInstanceAtATime<T>(config: Config, work: () => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL) return work(); // PGlite: one process owns the database
  const lock = new pg.Client({ connectionString: config.DATABASE_URL });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    return await work();
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

export async function startServer(
  config: Config,
  logger: Logger,
): Promise<RunningServer & { admin: AdminNotice | undefined; seededProducts: number }> {
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolMax: config.DATABASE_POOL_MAX,
  });
  await database.migrate();
  const nexus = createApp({ config, database, logger });
  nexus.lifecycle.migrated = true;
  const { admin, seededProducts } = await oneInstanceAtATime(config, async () => ({
    admin: await bootstrapAdmins(nexus, config),
    seededProducts: config.SEED_DEMO ? await seedDemoCatalogIfEmpty(nexus.ctx) : 0,
  }));
  const running = await listen(
    nexus,
    config.PORT,
    config.HOST,
    config.SHUTDOWN_TIMEOUT_MS,
    config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  );
  nexus.outbox.start();
  const stopCartPurge = scheduleCartPurge(nexus.ctx);
  const stopOrderExpiry = scheduleOrderExpiry(nexus.ctx);
  const shutdown = () => {
    stopCartPurge();
    stopOrderExpiry();
    return running.shutdown();
  };
  return { ...running, shutdown, admin, seededProducts };
}

export async function listen(
  nexus: NexusApp,
  port: number,
  host: string,
  drainMs: number,
  keepAliveMs = 65_000,
): Promise<RunningServer> {
  const server = http.createServer(nexus.app);
  server.keepAliveTimeout = keepAliveMs;
  // Node's own guard against a slow-headers race: the headers timeout must outlast keep-alive.
  server.headersTimeout = Math.max(server.headersTimeout, keepAliveMs + 1000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stopping: Promise<void> | undefined;
  const answering = new Set<http.ServerResponse>();
  // A keep-alive connection whose response ends during the drain would stay open until the client's
  // idle timeout (seconds), holding shutdown up: close it as soon as it is idle.
  server.on('request', (_req, res: http.ServerResponse) => {
    answering.add(res);
    res.once('close', () => answering.delete(res));
    res.once('finish', () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  const shutdown = () =>
    (stopping ??= (async () => {
      nexus.lifecycle.shuttingDown = true;
      // Requests already running answer "Connection: close" too (the app's middleware marks only those
      // arriving from now on): a client told keep-alive would send its next request down a connection
      // that is closed under it, a request lost unread that a proxy may not retry (a POST).
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Event streams never finish on their own: end them now rather than at the drain deadline.
      await closeSyncEvents(nexus.ctx);
      // Requests still running after the drain window are cut, so shutdown always ends.
      const force = setTimeout(() => server.closeAllConnections(), drainMs);
      await closed;
      clearTimeout(force);
      await nexus.ctx.background.drain();
      await nexus.outbox.stop();
      nexus.mailTransport.close();
      await nexus.ctx.redis?.close();
      await nexus.ctx.database.close();
    })());
  return { nexus, server, url: `http://${shownHost}:${address.port}`, shutdown };
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
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
  const admin = await bootstrapAdmins(nexus, config);
  const seededProducts = config.SEED_DEMO ? await seedDemoCatalogIfEmpty(nexus.ctx) : 0;
  const running = await listen(nexus, config.PORT, config.HOST, config.SHUTDOWN_TIMEOUT_MS);
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

export async function listen(nexus: NexusApp, port: number, host: string, drainMs: number): Promise<RunningServer> {
  const server = http.createServer(nexus.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stopping: Promise<void> | undefined;
  // A keep-alive connection whose response ends during the drain would stay open until the client's
  // idle timeout (seconds), holding shutdown up: close it as soon as it is idle.
  server.on('request', (_req, res: http.ServerResponse) => {
    res.once('finish', () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  const shutdown = () =>
    (stopping ??= (async () => {
      nexus.lifecycle.shuttingDown = true;
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

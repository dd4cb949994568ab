/** Serves the real app on a benchmark's database, configured as in production, on a free loopback port. */
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import type { MailTransport } from '../../server/modules/notifications/transport.js';
import { listen } from '../../server/runtime.js';

export interface ServeOptions {
  /** Environment settings on top of the production-like defaults. */
  env?: Record<string, string>;
  mailTransport?: MailTransport;
}

export async function serveBench(database: Database, options: ServeOptions = {}) {
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-'.padEnd(40, 'x'),
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: process.env.BENCH_DATA_DIR ?? '/tmp/nexus-bench',
    ...options.env,
  });
  const nexus = createApp({
    config,
    database,
    logger: createLogger('silent'),
    ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
  });
  nexus.lifecycle.migrated = true;
  return listen(nexus, 0, '127.0.0.1', 2000);
}

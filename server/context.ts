import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { AccessTokenSigner } from './http/auth.js';
import type { BackgroundTasks } from './jobs/background.js';
import type { CatalogCache } from './modules/catalog/cache.js';
import type { MediaStore } from './modules/media/store.js';
import type { Payments } from './modules/payments/payments.js';
import type { RedisLink } from './redis/redis.js';

/** What services need from the running system; built once in createApp and passed down. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  tokens: AccessTokenSigner;
  /** Wakes the e-mail outbox after a commit that enqueued mail. */
  outbox: { poke(): void };
  /** Request-started work that the response must not wait for (see BackgroundTasks). */
  background: BackgroundTasks;
  /** Where product images live: Cloudinary when configured, else files under DATA_DIR/media. */
  media: MediaStore;
  /** Catalog state and cached public catalog answers (modules/catalog/cache.ts). */
  catalog: CatalogCache;
  /** The payment provider (Stripe, or the built-in test provider) and the one path provider events take. */
  payments: Payments;
  /** Shared by every instance when REDIS_URL is set (catalog cache, rate limits); closed on shutdown. */
  redis: RedisLink | undefined;
}

import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Database } from './db/client.js';
import { accessTokens, authenticate, requireAccess } from './http/auth.js';
import { BackgroundTasks } from './jobs/background.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { useRequestLog } from './http/request-log.js';
import { buildOpenApi } from './http/openapi.js';
import type { ApiRouter } from './http/route.js';
import { createLogger } from './logger.js';
import { meRoutes } from './modules/accounts/me.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { OutboxWorker } from './modules/notifications/outbox.worker.js';
import { createMailTransport, type MailTransport } from './modules/notifications/transport.js';
import { docsRouter } from './modules/system/docs.js';
import { systemRoutes, type Lifecycle } from './modules/system/system.routes.js';
import { adminUserRoutes } from './modules/users/users.routes.js';
import { cachedCatalogAnswers, CatalogCache, invalidateOnWrite } from './modules/catalog/cache.js';
import { adminCatalogRoutes, publicCatalogRoutes } from './modules/catalog/catalog.routes.js';
import { productCsvRoutes } from './modules/catalog/csv/csv.routes.js';
import { inventoryRoutes } from './modules/inventory/inventory.routes.js';
import { configureLowStockAlerts } from './modules/inventory/low-stock-alert.js';
import { adminMediaRoutes, mediaFilesRouter } from './modules/media/media.routes.js';
import { createMediaStore } from './modules/media/store.js';
import { reviewRoutes } from './modules/reviews/reviews.routes.js';
import { cartRoutes } from './modules/cart/cart.routes.js';
import { wishlistRoutes } from './modules/wishlist/wishlist.routes.js';
import { checkoutRoutes } from './modules/checkout/checkout.routes.js';
import { adminOrderRoutes } from './modules/orders/admin-orders.routes.js';
import { orderRoutes } from './modules/orders/orders.routes.js';
import { paymentEventHandler } from './modules/orders/payment-events.js';
import { STRIPE_WEBHOOK_PATH } from '../shared/api/payments.schemas.js';
import type { PaymentEventHandler } from './modules/payments/contract.js';
import { createPayments } from './modules/payments/payments.js';
import { paymentRoutes } from './modules/payments/payments.routes.js';
import { syncRoutes } from './modules/sync/sync.routes.js';
import { storefrontRouter } from './storefront/storefront.routes.js';
import { redisCatalog } from './redis/catalog.js';
import { RedisLink } from './redis/redis.js';

export interface CreateAppOptions {
  config: Config;
  database: Database;
  logger?: Logger;
  mailTransport?: MailTransport;
  /** Replaces the orders module's payment event handler (tests). */
  paymentEventHandler?: PaymentEventHandler;
}

export interface NexusApp {
  app: Express;
  ctx: AppContext;
  outbox: OutboxWorker;
  mailTransport: MailTransport;
  lifecycle: Lifecycle;
  routers: ApiRouter[];
}

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Wires the app together; no I/O happens here beyond what the passed-in pieces do, and Redis
 * (REDIS_URL) connecting in the background.
 */
export function createApp(options: CreateAppOptions): NexusApp {
  const { config, database } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const mailTransport =
    options.mailTransport ?? createMailTransport({ smtpUrl: config.SMTP_URL, dataDir: config.dataDir });
  const outbox = new OutboxWorker({
    db: database.db,
    transport: mailTransport,
    from: config.MAIL_FROM,
    shopName: config.SHOP_NAME,
    logger: logger.child({ worker: 'outbox' }),
    pollMs: config.OUTBOX_POLL_MS,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    backoff: { baseMs: config.OUTBOX_BACKOFF_BASE_MS, maxMs: 3_600_000 },
  });
  const redis = config.REDIS_URL
    ? new RedisLink({
        url: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        logger: logger.child({ component: 'redis' }),
      })
    : undefined;
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    logger,
    tokens: accessTokens(config.JWT_SECRET, config.ACCESS_TOKEN_TTL),
    outbox: { poke: () => outbox.poke() },
    background: new BackgroundTasks(logger),
    media: createMediaStore(config),
    catalog: new CatalogCache(database.db, {
      stateTtlMs: config.CATALOG_STATE_TTL_MS,
      responseBytes: config.CATALOG_CACHE_MB * 1024 * 1024,
      shared: redis && redisCatalog(redis),
    }),
    payments: createPayments({
      config,
      db: database.db,
      logger,
      ...(options.paymentEventHandler ? { handler: options.paymentEventHandler } : {}),
    }),
    redis,
  };
  // Provider events change orders through the orders module's state machine (tests may replace it).
  if (!options.paymentEventHandler) ctx.payments.setHandler(paymentEventHandler(config));
  configureLowStockAlerts({ recipients: config.STAFF_ALERT_EMAIL, publicUrl: config.PUBLIC_URL });
  const lifecycle: Lifecycle = { migrated: false, shuttingDown: false };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  useRequestLog(app, logger);
  app.use((_req, res, next) => {
    // While draining for shutdown, tell keep-alive clients to reconnect elsewhere.
    if (lifecycle.shuttingDown) res.setHeader('Connection', 'close');
    next();
  });
  app.use(helmet());
  app.use(
    cors({
      origin: (origin, cb) => cb(null, origin !== undefined && config.CORS_ORIGINS.includes(origin)),
      exposedHeaders: ['ETag', 'X-Request-Id', 'X-Cart-Token', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 600,
    }),
  );
  // A public catalog read already answered for the current catalog state skips everything below.
  app.use(cachedCatalogAnswers(ctx.catalog));
  // Stripe signs the exact bytes it sends: this body stays raw (and the JSON parser below then skips it).
  app.use(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }));
  app.use(express.json({ limit: config.JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use('/api', authenticate(ctx.tokens));
  // Any request that may write makes the next catalog read look at the database again.
  app.use('/api', invalidateOnWrite(ctx.catalog));
  // Everything under /admin needs staff at least, even paths that do not exist (no probing).
  app.use('/api/v1/admin', requireAccess('staff'));

  const routers: ApiRouter[] = [];
  let openapi: unknown;
  const openapiDoc = () =>
    (openapi ??= buildOpenApi(
      routers.flatMap((r) => r.routes),
      { title: 'Nexus API', version: '1' },
    ));
  routers.push(
    systemRoutes(ctx, lifecycle, openapiDoc),
    authRoutes(ctx),
    meRoutes(ctx),
    adminUserRoutes(ctx),
    publicCatalogRoutes(ctx),
    productCsvRoutes(ctx), // before adminCatalogRoutes: its GET /products/:id would claim /products/export
    adminCatalogRoutes(ctx),
    inventoryRoutes(ctx),
    adminMediaRoutes(ctx),
    reviewRoutes(ctx),
    cartRoutes(ctx),
    wishlistRoutes(ctx),
    checkoutRoutes(ctx),
    orderRoutes(ctx),
    adminOrderRoutes(ctx),
    paymentRoutes(ctx),
    syncRoutes(ctx),
  );
  for (const r of routers) app.use(r.prefix, r.router);
  app.use(docsRouter());
  app.use('/media', mediaFilesRouter(ctx));
  // The shop's pages at `/`; unknown browser paths get its 404 page (API paths keep problem+json).
  app.use(storefrontRouter(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, ctx, outbox, mailTransport, lifecycle, routers };
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.test(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL like ${hint}` },
    )
    .optional();

/** A JSON object of ISO country code (or `default`, which is required) to a non-negative integer. */
const countryTable = (max: number, unit: string) =>
  z
    .record(
      z.string().regex(/^(default|[A-Z]{2})$/, { message: 'keys must be `default` or a country code like US' }),
      z
        .number({ message: `values must be ${unit}` })
        .int({ message: `values must be whole ${unit}` })
        .min(0)
        .max(max),
    )
    .refine((t) => t.default !== undefined, { message: 'needs a `default` entry' });
const centsByCountry = countryTable(10_000_000, 'cents');
const basisPointsByCountry = countryTable(10_000, 'basis points (1900 = 19 %)');

/** An environment variable holding JSON, checked by `schema`. */
const jsonEnv = <S extends z.ZodType<Record<string, number>>>(schema: S, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx): unknown => {
      try {
        return JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON like ${fallback}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalUrl(/^https?:$/, 'https://shop.example.com'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(/^postgres(ql)?:$/, 'postgres://user:pass@host:5432/db'),
  // One connection stays LISTENing for sync pokes while any device is connected (modules/sync/events.ts).
  DATABASE_POOL_MAX: z.coerce
    .number()
    .int()
    .min(2, { message: 'must be at least 2: one connection listens for sync events' })
    .max(200)
    .default(10),
  SEED_DEMO: bool.default(true),
  ADMIN_EMAIL: z.email({ message: 'must be a valid e-mail address' }).optional(),
  ADMIN_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).max(256).optional(),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 1mb' })
    .default('100kb'),
  TRUST_PROXY: z.string().default('loopback'),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().optional(),
  /** Where the Stripe SDK sends API calls: only for tests against a local fake, or an egress proxy. */
  STRIPE_API_HOST: z.string().trim().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number({ message: 'must be a port number' }).int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  CLOUDINARY_URL: optionalUrl(/^cloudinary:$/, 'cloudinary://key:secret@cloud'),
  /** Largest accepted product image upload, in bytes (10 MiB). */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(10_485_760),
  /** How long one read of the catalog's change position serves other requests (writes here invalidate it at once). */
  CATALOG_STATE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Memory for cached public catalog answers, in MiB (0 turns the response cache off). */
  CATALOG_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
  SMTP_URL: optionalUrl(/^smtps?:$/, 'smtp://user:pass@host:587'),
  MAIL_FROM: z.string().min(3).default('Nexus <no-reply@nexus.local>'),
  /** The shop's name: storefront titles and headings, and what the e-mails sign with. */
  SHOP_NAME: z.string().trim().min(1).max(100).default('Nexus Store'),
  /** Who gets staff alerts (low stock), comma-separated; unset: every active staff and admin user. */
  STAFF_ALERT_EMAIL: z
    .string()
    .transform((v, ctx) => {
      const list = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.filter((e) => !z.email().safeParse(e).success);
      if (list.length === 0 || bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: bad.length
            ? `not an e-mail address: ${bad.join(', ')}`
            : 'must list e-mail addresses separated by commas',
        });
        return z.NEVER;
      }
      return list;
    })
    .optional(),
  REDIS_URL: optionalUrl(/^rediss?:$/, 'redis://127.0.0.1:6379'),
  /** Starts every Redis key and channel name, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^\S{1,64}$/, { message: 'must be 1 to 64 characters without spaces, like nexus:' })
    .default('nexus:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * How long an idle keep-alive connection stays open. Above a load balancer's idle timeout (60 s
   * on the common ones): the balancer must be the side that closes, or it may send a request down a
   * connection the server is closing at that moment and answer the shopper 502.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(65_000),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  /** A review by a member who bought the product is published at once; all others wait for a moderator. */
  REVIEWS_AUTO_APPROVE_VERIFIED: bool.default(true),
  /** Flat shipping per destination country (ISO 3166 alpha-2), in cents; `default` for every other country. */
  SHIPPING_RATES: jsonEnv(centsByCountry, '{"default":599,"US":499}'),
  /** An order whose subtotal reaches this ships free (0: never free). */
  FREE_SHIPPING_THRESHOLD_CENTS: z.coerce.number().int().min(0).default(5000),
  /** Tax per destination country in basis points (1900 = 19 %), applied to subtotal plus shipping. */
  TAX_RATES: jsonEnv(basisPointsByCountry, '{"default":0}'),
  /** How long an unpaid order holds its stock before it is cancelled. */
  ORDER_PAYMENT_TTL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  /** How often the sweeper cancels expired unpaid orders. */
  ORDER_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable the server reads (deployment files are checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config extends Omit<Env, 'JWT_SECRET' | 'PUBLIC_URL'> {
  JWT_SECRET: string;
  PUBLIC_URL: string;
  dataDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and checks the environment; every bad variable is named with what is wrong. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  // Checked on the raw values, so these are reported in the same run as any other bad variable.
  if ((cleaned.ADMIN_EMAIL === undefined) !== (cleaned.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (cleaned.NODE_ENV === 'production' && cleaned.JWT_SECRET === undefined) {
    problems.push('JWT_SECRET: required in production (at least 32 random characters)');
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/**
 * Outside production a JWT secret is generated once into the data directory, so tokens
 * survive restarts without anyone having to invent a secret.
 */
function devJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const existing = readFileSync(file, 'utf8').trim();
    // A truncated or hand-emptied file is replaced rather than used as a weak key.
    if (existing.length >= 32) return existing;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = parseEnv(env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  return {
    ...parsed,
    dataDir,
    JWT_SECRET: parsed.JWT_SECRET ?? devJwtSecret(dataDir),
    PUBLIC_URL: (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ''),
  };
}

/** Names of variables whose values must never reach a log line. */
export const SECRET_KEYS = [
  'DATABASE_URL',
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'CLOUDINARY_URL',
  'SMTP_URL',
  'REDIS_URL',
] as const;

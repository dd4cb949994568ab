import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../../shared/domain/errors.js';
import type { RedisLink } from '../../redis/redis.js';
import { SharedRateLimitStore } from '../../redis/rate-limit-store.js';

export interface LoginLimits {
  perIp: number;
  perEmail: number;
  windowSeconds: number;
  /** Counts kept in Redis, so every instance shares them; unset: in this process. */
  redis?: RedisLink | undefined;
}

/** One store per limiter, each under its own key prefix. */
const storeFor = (limits: LoginLimits, name: string) =>
  limits.redis ? { store: new SharedRateLimitStore(limits.redis, name) } : {};

const limited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'Too many attempts. Wait a while before trying again.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

const emailKey = (body: unknown): string => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

/** Per client IP: one attacker trying many accounts. */
export function ipLimiter(limits: LoginLimits, name: string): RequestHandler {
  return rateLimit({
    windowMs: limits.windowSeconds * 1000,
    limit: limits.perIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: `${name}-ip`,
    ...storeFor(limits, `ip:${name}`),
    handler: (_req, _res, next) => next(limited(limits.windowSeconds)),
  });
}

/**
 * Per target e-mail: many IPs against one account (counting failures only), or many reset
 * e-mails to one inbox (counting every request). The answer never says whether the account exists.
 */
export function emailLimiter(limits: LoginLimits, name: string, failuresOnly: boolean): RequestHandler {
  return rateLimit({
    windowMs: limits.windowSeconds * 1000,
    limit: limits.perEmail,
    standardHeaders: false,
    legacyHeaders: false,
    skipSuccessfulRequests: failuresOnly,
    keyGenerator: (req) => `${name}:${emailKey(req.body)}`,
    skip: (req) => emailKey(req.body) === '',
    ...storeFor(limits, `email:${name}`),
    handler: (_req, _res, next) => next(limited(limits.windowSeconds)),
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, uniqueEmail, userWithRole, type TestApp } from '../../test/harness.js';
import { inspector, redisAvailable, redisReady, TEST_REDIS_URL, uniquePrefix } from '../../redis/redis.testkit.js';

const withRedis = await redisAvailable('auth.rate-limit.redis.test.ts');

// Two apps on one database stand for two server instances behind one load balancer.
const prefix = uniquePrefix();
const limits = { LOGIN_RATE_LIMIT_PER_EMAIL: '3', LOGIN_RATE_LIMIT_PER_IP: '5' };
let a: TestApp;
let b: TestApp;
let redis: Awaited<ReturnType<typeof inspector>>;

beforeAll(async () => {
  if (!withRedis) return;
  const env = { ...limits, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
  a = await createTestApp({ env });
  b = await createTestApp({ database: a.database, env });
  await Promise.all([redisReady(a), redisReady(b)]);
  redis = await inspector(prefix);
});
afterAll(async () => {
  if (!withRedis) return;
  await b.close({ keepDatabase: true });
  await a.close();
  await redis.cleanUp();
});

let ipCounter = 0;
/** A fresh client address per test, sent the way a trusted (loopback) reverse proxy would. */
const freshIp = () => `192.0.2.${++ipCounter}`;

const login = (app: TestApp, email: string, password: string, ip: string) =>
  app.request.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

function expect429(res: { status: number; headers: Record<string, string>; body: { code?: string } }, app: TestApp) {
  expect(res.status).toBe(429);
  expect(res.body.code).toBe('rate_limited');
  expect(res.headers['retry-after']).toBe(String(app.config.RATE_LIMIT_WINDOW_SECONDS));
}

describe.skipIf(!withRedis)(`auth: rate limits shared through Redis (${TEST_DB})`, () => {
  it('counts login failures for one e-mail on both instances together', async () => {
    const { user, password } = await userWithRole(a, 'customer');
    expect((await login(a, user.email, 'wrong password', freshIp())).status).toBe(401);
    expect((await login(b, user.email, 'wrong password', freshIp())).status).toBe(401);
    expect((await login(a, user.email, 'wrong password', freshIp())).status).toBe(401);
    // The 4th attempt is refused wherever it lands, even with the right password.
    expect429(await login(b, user.email, password, freshIp()), b);
    expect429(await login(a, user.email, password, freshIp()), a);
  });

  it('counts attempts from one address on both instances together', async () => {
    const ip = freshIp();
    for (const app of [a, b, a, b, a])
      expect((await login(app, uniqueEmail('spray'), 'x-wrong-x', ip)).status).toBe(401);
    expect429(await login(b, uniqueEmail('spray'), 'x-wrong-x', ip), b);
    // Another address still has its whole budget.
    expect((await login(b, uniqueEmail('spray'), 'x-wrong-x', freshIp())).status).toBe(401);
  });

  it('keeps the counts in Redis under the prefix, one key set per limiter', async () => {
    const ip = freshIp();
    await login(a, uniqueEmail('keys'), 'x-wrong-x', ip);
    const keys = await redis.keys();
    expect(keys).toContain(`${prefix}rl:ip:login:${ip}`);
    expect(keys.some((k) => k.startsWith(`${prefix}rl:email:login:`))).toBe(true);
    expect(await redis.client.pTTL(`${prefix}rl:ip:login:${ip}`)).toBeGreaterThan(0);
  });

  it('without REDIS_URL, each instance keeps its own count (the fallback)', async () => {
    const c = await createTestApp({ database: a.database, env: limits });
    const d = await createTestApp({ database: a.database, env: limits });
    try {
      const { user, password } = await userWithRole(c, 'customer');
      for (const app of [c, d, c, d])
        expect((await login(app, user.email, 'wrong password', freshIp())).status).toBe(401);
      // Two failures on each: under the limit of 3 on both, though 4 in all.
      await login(d, user.email, password, freshIp()).expect(200);
      expect((await login(c, user.email, 'wrong password', freshIp())).status).toBe(401);
      expect429(await login(c, user.email, password, freshIp()), c);
    } finally {
      await d.close({ keepDatabase: true });
      await c.close({ keepDatabase: true });
    }
  });
});

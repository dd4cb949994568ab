import { Writable } from 'node:stream';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { freePort } from '../main.testkit.js';
import { listen } from '../runtime.js';
import { createTestApp, TEST_DB, uniqueEmail, userWithRole, type TestApp } from '../test/harness.js';
import { inspector, redisAvailable, redisReady, redisRelay, uniquePrefix } from './redis.testkit.js';

const withRedis = await redisAvailable('redis.outage.test.ts');

/** A logger whose lines are kept, to count what an outage logs. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}
const WARN = 40;
const outageWarnings = (lines: { level: number; msg: string }[]) =>
  lines.filter((l) => l.level === WARN && /^Redis unavailable/.test(l.msg));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never happened: ${what}`);
}

const limits = { LOGIN_RATE_LIMIT_PER_EMAIL: '3', LOGIN_RATE_LIMIT_PER_IP: '1000' };
const failLogin = (request: ReturnType<typeof supertest>, email: string) =>
  request.post('/api/v1/auth/login').send({ email, password: 'wrong password' });

describe(`Redis unreachable from the start (${TEST_DB})`, () => {
  it('starts, serves the catalog from the database, limits logins per instance, warns once', async () => {
    const deadPort = await freePort();
    const { logger, lines } = recordingLogger();
    const app = await createTestApp({
      env: { ...limits, REDIS_URL: `redis://127.0.0.1:${deadPort}`, REDIS_PREFIX: uniquePrefix() },
      logger,
    });
    const { nexus } = app;
    const staff = (await userWithRole(app, 'staff')).auth;
    const running = await listen(nexus, 0, '127.0.0.1', 1000);
    try {
      // Over a real socket: the server listens although Redis never answers.
      const http = supertest(running.url);
      for (const path of ['/api/v1/categories', '/api/v1/products?q=anything', '/']) {
        const res = await http.get(path).expect(200);
        await http
          .get(path)
          .set('If-None-Match', res.headers.etag as string)
          .expect(304);
      }
      await http.post('/api/v1/admin/categories').set(staff).send({ name: 'Lamps' }).expect(201);
      expect((await http.get('/api/v1/categories').expect(200)).body).toHaveLength(1);
      // Logins are still limited, by this instance's own count.
      const email = uniqueEmail('outage');
      for (let i = 0; i < 3; i++) expect((await failLogin(http, email)).status).toBe(401);
      const refused = await failLogin(http, email);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('900');

      await until(() => outageWarnings(lines).length > 0, 'the outage warning');
      expect(outageWarnings(lines)).toHaveLength(1);
      expect(nexus.ctx.redis?.ready).toBe(false);
    } finally {
      // Shutdown ends even though Redis never answered (it also stops the reconnection attempts).
      await running.shutdown();
      await app.database.destroy();
    }
    expect(outageWarnings(lines)).toHaveLength(1);
  });
});

describe.skipIf(!withRedis)(`Redis going away mid-run and coming back (${TEST_DB})`, () => {
  let relay: Awaited<ReturnType<typeof redisRelay>>;
  let a: TestApp;
  let b: TestApp;
  let log: ReturnType<typeof recordingLogger>;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    relay = await redisRelay();
    log = recordingLogger();
    const env = { ...limits, REDIS_URL: relay.url, REDIS_PREFIX: prefix, CATALOG_STATE_TTL_MS: '60000' };
    a = await createTestApp({ env, logger: log.logger });
    b = await createTestApp({ database: a.database, env });
    await Promise.all([redisReady(a), redisReady(b)]);
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
    await relay.close();
    const redis = await inspector(prefix);
    await redis.cleanUp();
  });

  it('falls back while Redis is away, then shares again, catching up on writes it was not told of', async () => {
    const staff = (await userWithRole(a, 'staff')).auth;
    const created = await a.request
      .post('/api/v1/admin/products')
      .set(staff)
      .send({ name: 'Relay Lamp', status: 'active', variants: [{ sku: 'RL-1', priceCents: 2500, initialStock: 2 }] })
      .expect(201);
    const url = `/api/v1/products/${created.body.slug}`;
    expect((await b.request.get(url).expect(200)).body.name).toBe('Relay Lamp');

    await relay.cut();
    await until(() => !a.nexus.ctx.redis!.ready && !b.nexus.ctx.redis!.ready, 'both links down');
    // Reads and writes go on; each instance counts logins on its own meanwhile.
    await a.request.patch(`/api/v1/admin/products/${created.body.id}`).set(staff).send({ name: 'Lamp' }).expect(200);
    expect((await a.request.get(url).expect(200)).body.name).toBe('Lamp');
    const email = uniqueEmail('cut');
    for (let i = 0; i < 3; i++) expect((await failLogin(a.request, email)).status).toBe(401);
    expect((await failLogin(a.request, email)).status).toBe(429);
    expect((await failLogin(b.request, email)).status).toBe(401);
    // b reads the state afresh now and keeps it for a minute (its TTL): a's next write cannot be announced to it.
    b.nexus.ctx.catalog.invalidate();
    expect((await b.request.get(url).expect(200)).body.name).toBe('Lamp');
    await a.request.patch(`/api/v1/admin/products/${created.body.id}`).set(staff).send({ name: 'Lamp 2' }).expect(200);
    expect((await b.request.get(url).expect(200)).body.name).toBe('Lamp');
    expect(outageWarnings(log.lines)).toHaveLength(1);

    await relay.restore();
    await Promise.all([redisReady(a), redisReady(b)]);
    // Back on Redis, b assumes it missed announcements and reads the state again.
    expect((await b.request.get(url).expect(200)).body.name).toBe('Lamp 2');
    expect(log.lines.some((l) => l.msg === 'Redis reachable again')).toBe(true);
    const shared = uniqueEmail('back');
    for (const app of [a, b, a]) expect((await failLogin(app.request, shared)).status).toBe(401);
    expect((await failLogin(b.request, shared)).status).toBe(429);
  });
});

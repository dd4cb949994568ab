import { and, eq } from 'drizzle-orm';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../db/schema/index.js';
import {
  createTestApp,
  createTestDatabase,
  TEST_DB,
  uniqueEmail,
  userWithRole,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';

// Two apps with different limits share one database (starting a database is the slow part);
// each app has its own in-memory rate-limit counters.
let database: TestDatabase;
let perEmail: TestApp;
let perIp: TestApp;
beforeAll(async () => {
  database = await createTestDatabase();
  perEmail = await createTestApp({
    database,
    env: { LOGIN_RATE_LIMIT_PER_EMAIL: '3', LOGIN_RATE_LIMIT_PER_IP: '100' },
  });
  perIp = await createTestApp({ database, env: { LOGIN_RATE_LIMIT_PER_IP: '5', LOGIN_RATE_LIMIT_PER_EMAIL: '100' } });
});
afterAll(async () => {
  await perIp.nexus.outbox.stop();
  await perEmail.close(); // also drops the shared database
});

type Res = Pick<Response, 'status' | 'headers' | 'body'>;
function expect429(res: Res, app: TestApp) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, code: 'rate_limited' });
  expect(res.headers['retry-after']).toBe(String(app.config.RATE_LIMIT_WINDOW_SECONDS));
  expect(res.body).not.toHaveProperty('accessToken');
}

let ipCounter = 0;
/** A fresh client address per test, sent the way a trusted (loopback) reverse proxy would. */
const freshIp = () => `198.51.100.${++ipCounter}`;

const login = (app: TestApp, email: string, password: string, ip?: string) =>
  app.request
    .post('/api/v1/auth/login')
    .set(ip ? { 'X-Forwarded-For': ip } : {})
    .send({ email, password });

describe(`auth: login rate limit per e-mail (${TEST_DB})`, () => {
  it('after 3 failures for one e-mail the 4th attempt is refused, even with the right password', async () => {
    const { user, password } = await userWithRole(perEmail, 'customer');
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await login(perEmail, user.email, 'wrong password', ip)).status).toBe(401);
    expect429(await login(perEmail, user.email, password, ip), perEmail);
    // Per e-mail, not per address: another client is refused too, and the case of the e-mail does not matter.
    expect429(await login(perEmail, user.email.toUpperCase(), password, freshIp()), perEmail);
  });

  it('still serves another e-mail from the same client', async () => {
    const victim = await userWithRole(perEmail, 'customer');
    const other = await userWithRole(perEmail, 'customer');
    const ip = freshIp();
    for (let i = 0; i < 4; i++) await login(perEmail, victim.user.email, 'wrong password', ip);
    expect429(await login(perEmail, victim.user.email, victim.password, ip), perEmail);
    const res = await login(perEmail, other.user.email, other.password, ip).expect(200);
    expect(res.body.user.id).toBe(other.user.id);
  });

  it('counts failures only: successful sign-ins never lock the account', async () => {
    const { user, password } = await userWithRole(perEmail, 'customer');
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await login(perEmail, user.email, password, ip).expect(200);
  });

  it('answers the same for an address without an account', async () => {
    const email = uniqueEmail('ghost');
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await login(perEmail, email, 'wrong password', ip)).status).toBe(401);
    expect429(await login(perEmail, email, 'wrong password', ip), perEmail);
  });
});

describe(`auth: password-reset rate limit per e-mail (${TEST_DB})`, () => {
  const reset = async (email: string) => {
    const res = await perEmail.request
      .post('/api/v1/auth/password-reset')
      .set('X-Forwarded-For', freshIp())
      .send({ email });
    await perEmail.nexus.ctx.background.drain();
    return res;
  };
  const resetRows = (email: string) =>
    database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.toAddress, email), eq(notifications.template, 'password-reset')));

  it('limits requests per e-mail with the same answer whether or not the account exists', async () => {
    const { user } = await userWithRole(perEmail, 'customer');
    const ghost = uniqueEmail('ghost');
    const refused: Res[] = [];
    for (const email of [user.email, ghost]) {
      for (let i = 0; i < 3; i++) expect((await reset(email)).status).toBe(202);
      const res = await reset(email);
      expect429(res, perEmail);
      refused.push(res);
    }
    const [known, unknown] = refused as [Res, Res];
    const { requestId: _a, ...knownBody } = known.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    expect(unknownBody).toEqual(knownBody);
    expect(unknown.headers['retry-after']).toBe(known.headers['retry-after']);
    // The refused request mailed nothing: only the 3 accepted ones were queued.
    expect(await resetRows(user.email)).toHaveLength(3);
    expect(await resetRows(ghost)).toHaveLength(0);
  });
});

describe(`auth: login rate limit per client IP (${TEST_DB})`, () => {
  it('refuses the 6th attempt from one address, whatever the e-mail; other addresses go on', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login(perIp, uniqueEmail('spray'), 'wrong password')).status).toBe(401);
    }
    const { user, password } = await userWithRole(perIp, 'customer');
    const res = await login(perIp, user.email, password);
    expect429(res, perIp);
    expect(res.headers['ratelimit-policy']).toBeDefined();

    // Behind a trusted proxy, another client address has its own budget.
    const ok = await login(perIp, user.email, password, '203.0.113.9').expect(200);
    expect(ok.body.user.id).toBe(user.id);
  });

  it('counts addresses sent by the proxy separately', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      expect((await login(perIp, uniqueEmail('spray'), 'wrong password', ip)).status).toBe(401);
    }
    expect429(await login(perIp, uniqueEmail('spray'), 'wrong password', ip), perIp);
    expect((await login(perIp, uniqueEmail('spray'), 'wrong password', freshIp())).status).toBe(401);
  });
  it('limits password-reset confirmations per IP, so junk tokens cannot make the server hash without end', async () => {
    const ip = freshIp();
    const confirm = () =>
      perIp.request
        .post('/api/v1/auth/password-reset/confirm')
        .set('X-Forwarded-For', ip)
        .send({ token: 'pr_guess', password: 'a new passphrase' });
    for (let i = 0; i < 5; i++) expect((await confirm()).body.code).toBe('invalid_reset_token');
    expect429(await confirm(), perIp);
  });
});

import { count, eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, users } from '../../db/schema/index.js';
import {
  createTestApp,
  registerCustomer,
  TEST_DB,
  uniqueEmail,
  userWithRole,
  type TestApp,
} from '../../test/harness.js';
import { updateUser } from '../users/users.service.js';

let app: TestApp;
beforeAll(async () => {
  // Rate limits are covered in auth.rate-limit.test.ts; here they must not interfere.
  app = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_IP: '10000', LOGIN_RATE_LIMIT_PER_EMAIL: '10000' } });
});
afterAll(() => app.close());

const PASSWORD = 'correct horse battery';

const userCount = async () => (await app.nexus.ctx.db.select({ n: count() }).from(users))[0]!.n;
const userRow = async (email: string) => (await app.nexus.ctx.db.select().from(users).where(eq(users.email, email)))[0];
const notificationsTo = (email: string) =>
  app.nexus.ctx.db.select().from(notifications).where(eq(notifications.toAddress, email));

function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  expect(typeof res.body.detail).toBe('string');
}

describe(`auth: register (${TEST_DB})`, () => {
  it('creates a customer and returns the user with a working token pair', async () => {
    const email = uniqueEmail('reg');
    const res = await app.request
      .post('/api/v1/auth/register')
      .send({ email, password: PASSWORD, name: 'Ada Lovelace' })
      .expect(201);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user']);
    expect(res.body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      name: 'Ada Lovelace',
      role: 'customer',
      createdAt: expect.any(String),
    });
    expect(new Date(res.body.user.createdAt).toISOString()).toBe(res.body.user.createdAt);
    expect(res.body.expiresIn).toBe(app.config.ACCESS_TOKEN_TTL);
    expect(res.body.refreshToken).toMatch(/^rt_/);

    const claims = decodeJwt(res.body.accessToken);
    expect(claims).toMatchObject({ sub: res.body.user.id, role: 'customer', iss: 'nexus', aud: 'nexus-api' });
    expect(claims.exp! - claims.iat!).toBe(app.config.ACCESS_TOKEN_TTL);

    const me = await app.request.get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('never returns a password hash and stores an argon2id hash, not the password', async () => {
    const email = uniqueEmail('hash');
    const res = await app.request
      .post('/api/v1/auth/register')
      .send({ email, password: PASSWORD, name: 'H' })
      .expect(201);
    expect(res.text).not.toContain('$argon2');
    expect(res.text).not.toContain(PASSWORD);
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const row = await userRow(email);
    expect(row!.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(row!.passwordHash).not.toContain(PASSWORD);
  });

  it('lower-cases the e-mail and rejects the same address in another case with 409 email_taken', async () => {
    const email = uniqueEmail('Case.Mixed');
    const mixed = email.toUpperCase();
    const res = await app.request
      .post('/api/v1/auth/register')
      .send({ email: `  ${mixed} `, password: PASSWORD, name: 'C' });
    expect(res.status).toBe(201);
    expect(res.body.user.email).toBe(email.toLowerCase());
    expect((await userRow(email.toLowerCase()))?.id).toBe(res.body.user.id);

    const before = await userCount();
    const again = await app.request
      .post('/api/v1/auth/register')
      .send({ email: email.toLowerCase(), password: 'another password', name: 'Dup' });
    expectProblem(again, 409, 'email_taken');
    expect(await userCount()).toBe(before);
    // The original account keeps its password.
    await app.request.post('/api/v1/auth/login').send({ email: mixed, password: PASSWORD }).expect(200);
  });

  it('enqueues a welcome e-mail in the outbox and sends it on flush', async () => {
    const email = uniqueEmail('welcome');
    await app.request.post('/api/v1/auth/register').send({ email, password: PASSWORD, name: 'Grace' }).expect(201);
    const rows = await notificationsTo(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: 'welcome', status: 'pending', payload: { name: 'Grace' } });
    expect(app.mail.sent.filter((m) => m.to === email)).toHaveLength(0);

    await app.flushOutbox();
    const sent = app.mail.sent.filter((m) => m.to === email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toContain('Welcome');
    expect(sent[0]!.text).toContain('Grace');
    expect((await notificationsTo(email))[0]!.status).toBe('sent');
  });

  it('stores and returns SQL and HTML metacharacters in the name exactly as sent', async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const email = uniqueEmail('bobby');
    const before = await userCount();
    const res = await app.request.post('/api/v1/auth/register').send({ email, password: PASSWORD, name }).expect(201);
    expect(res.body.user.name).toBe(name);
    expect((await userRow(email))!.name).toBe(name);
    expect(await userCount()).toBe(before + 1);
    const me = await app.request.get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.name).toBe(name);
  });
});

describe(`auth: login (${TEST_DB})`, () => {
  it('signs in with the right password (any e-mail case) and starts a new session', async () => {
    const { user, refreshToken } = await registerCustomer(app);
    const res = await app.request
      .post('/api/v1/auth/login')
      .send({ email: user.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, role: 'customer' });
    expect(res.text).not.toContain('$argon2');
    expect(res.body.refreshToken).not.toBe(refreshToken);
    expect(res.body.expiresIn).toBe(app.config.ACCESS_TOKEN_TTL);
    const me = await app.request.get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.id).toBe(user.id);
  });

  it('returns the role of staff and admin users in the token', async () => {
    const { user, password } = await userWithRole(app, 'staff');
    const res = await app.request.post('/api/v1/auth/login').send({ email: user.email, password }).expect(200);
    expect(res.body.user.role).toBe('staff');
    expect(decodeJwt(res.body.accessToken).role).toBe('staff');
  });

  it('answers a wrong password and an unknown e-mail identically (401 invalid_credentials)', async () => {
    const { user } = await registerCustomer(app);
    const wrong = await app.request
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'not the password' });
    const unknown = await app.request
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'not the password' });
    expectProblem(wrong, 401, 'invalid_credentials');
    expectProblem(unknown, 401, 'invalid_credentials');
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.title).toBe(unknown.body.title);
    expect(wrong.body.type).toBe(unknown.body.type);
    expect(wrong.body).not.toHaveProperty('accessToken');
  });

  it('refuses a disabled account with 403, but only after the password checks out', async () => {
    const { user } = await registerCustomer(app);
    await updateUser(app.nexus.ctx.db, user.id, { disabled: true });
    const res = await app.request.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    expectProblem(res, 403, 'forbidden');
    expect(res.body).not.toHaveProperty('accessToken');
    // A wrong password does not reveal that the account exists and is disabled.
    const wrong = await app.request.post('/api/v1/auth/login').send({ email: user.email, password: 'wrong password' });
    expectProblem(wrong, 401, 'invalid_credentials');
  });
});

describe(`auth: bad input changes nothing (${TEST_DB})`, () => {
  const register = () => app.request.post('/api/v1/auth/register');

  it('malformed JSON → 400 invalid_json', async () => {
    const before = await userCount();
    const res = await register().set('Content-Type', 'application/json').send('{"email": "a@example.com", "password":');
    expectProblem(res, 400, 'invalid_json');
    expect(await userCount()).toBe(before);
  });

  it('an unknown field (e.g. role) → 422 naming body.<field>', async () => {
    const before = await userCount();
    const email = uniqueEmail('mass');
    const res = await register().send({ email, password: PASSWORD, name: 'M', role: 'admin' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors).toEqual([{ path: 'body.role', message: expect.any(String) }]);
    expect(await userRow(email)).toBeUndefined();
    expect(await userCount()).toBe(before);
  });

  it('missing fields → 422 listing each one', async () => {
    const before = await userCount();
    const res = await register().send({});
    expectProblem(res, 422, 'validation_failed');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['body.email', 'body.name', 'body.password']);
    expect(await userCount()).toBe(before);
  });

  it('wrong types → 422', async () => {
    const before = await userCount();
    const res = await register().send({ email: 123, password: PASSWORD, name: 'T' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.email']);
    const login = await app.request.post('/api/v1/auth/login').send({ email: ['x@example.com'], password: 1 });
    expectProblem(login, 422, 'validation_failed');
    expect(await userCount()).toBe(before);
  });

  it('an invalid e-mail address → 422', async () => {
    const before = await userCount();
    const res = await register().send({ email: 'not-an-email', password: PASSWORD, name: 'T' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.email']);
    expect(await userCount()).toBe(before);
  });

  it('a 7-character password → 422 (8 is accepted)', async () => {
    const before = await userCount();
    const email = uniqueEmail('short');
    const res = await register().send({ email, password: '1234567', name: 'S' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.password']);
    expect(await userCount()).toBe(before);
    await register().send({ email, password: '12345678', name: 'S' }).expect(201);
  });

  it('text/plain → 415', async () => {
    const before = await userCount();
    const body = JSON.stringify({ email: uniqueEmail('plain'), password: PASSWORD, name: 'P' });
    const res = await register().set('Content-Type', 'text/plain').send(body);
    expectProblem(res, 415, 'unsupported_media_type');
    expect(await userCount()).toBe(before);
  });

  it('a body over the 100kb limit → 413', async () => {
    const before = await userCount();
    const body = JSON.stringify({ email: uniqueEmail('big'), password: PASSWORD, name: 'x'.repeat(110 * 1024) });
    const res = await register().set('Content-Type', 'application/json').send(body);
    expectProblem(res, 413, 'payload_too_large');
    expect(await userCount()).toBe(before);
  });
});

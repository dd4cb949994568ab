import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addresses } from '../../db/schema/index.js';
import {
  createTestApp,
  registerCustomer,
  TEST_DB,
  uniqueEmail,
  userWithRole,
  type TestApp,
} from '../../test/harness.js';
import { createAddress, MAX_ADDRESSES } from './addresses.service.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type Headers = Record<string, string>;
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const address = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'gb',
  ...overrides,
});
const countAddresses = async (userId?: string) =>
  (
    await app.nexus.ctx.db
      .select({ n: count() })
      .from(addresses)
      .where(userId ? eq(addresses.userId, userId) : undefined)
  )[0]!.n;
const list = async (auth: Headers) =>
  (await app.request.get('/api/v1/me/addresses').set(auth).expect(200)).body.items as Record<string, unknown>[];
const login = (email: string, password: string) => app.request.post('/api/v1/auth/login').send({ email, password });
const refresh = (refreshToken: string) => app.request.post('/api/v1/auth/refresh').send({ refreshToken });

describe(`GET/PATCH /api/v1/me (${TEST_DB})`, () => {
  it('needs a token for the profile and the address book', async () => {
    const res = await app.request.get('/api/v1/me').expect(401);
    expect(res.body.code).toBe('unauthorized');
    await app.request.patch('/api/v1/me').send({ name: 'X' }).expect(401);
    await app.request.get('/api/v1/me/addresses').expect(401);
    await app.request.post('/api/v1/me/addresses').send(address()).expect(401);
    await app.request.delete(`/api/v1/me/addresses/${randomUUID()}`).expect(401);
  });

  it('returns the profile without a password hash', async () => {
    const c = await registerCustomer(app, { name: 'Grace' });
    const res = await app.request.get('/api/v1/me').set('Authorization', `Bearer ${c.accessToken}`).expect(200);
    expect(res.body).toEqual({
      id: c.user.id,
      email: c.user.email,
      name: 'Grace',
      role: 'customer',
      createdAt: expect.any(String),
    });
  });

  it('changes the name (trimmed) without a current password', async () => {
    const { auth } = await userWithRole(app, 'customer');
    const res = await app.request.patch('/api/v1/me').set(auth).send({ name: '  New Name  ' }).expect(200);
    expect(res.body.name).toBe('New Name');
    expect((await app.request.get('/api/v1/me').set(auth)).body.name).toBe('New Name');
    const empty = await app.request.patch('/api/v1/me').set(auth).send({}).expect(422);
    expect(empty.body.code).toBe('validation_failed');
    const unknown = await app.request.patch('/api/v1/me').set(auth).send({ role: 'admin' }).expect(422);
    expect(errorPaths(unknown)).toContain('body.role');
    expect((await app.request.get('/api/v1/me').set(auth)).body.role).toBe('customer');
  });

  it('needs the correct current password to change e-mail or password', async () => {
    const { auth, user, password } = await userWithRole(app, 'customer');
    const attempts = [
      { email: uniqueEmail('new') },
      { email: uniqueEmail('new'), currentPassword: 'wrong password' },
      { password: 'another good password' },
      { password: 'another good password', currentPassword: 'wrong password' },
    ];
    for (const body of attempts) {
      const res = await app.request.patch('/api/v1/me').set(auth).send(body).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res)).toContain('body.currentPassword');
    }
    expect((await app.request.get('/api/v1/me').set(auth)).body.email).toBe(user.email);
    await login(user.email, password).expect(200);
    await login(user.email, 'another good password').expect(401);
  });

  it('a new password works for login and ends every other session', async () => {
    const c = await registerCustomer(app);
    const other = (await login(c.user.email, c.password).expect(200)).body.refreshToken as string;
    const auth = { Authorization: `Bearer ${c.accessToken}` };
    const res = await app.request
      .patch('/api/v1/me')
      .set(auth)
      .send({ password: 'brand new passphrase', currentPassword: c.password })
      .expect(200);
    expect(res.body).not.toHaveProperty('passwordHash');
    await refresh(c.refreshToken).expect(401);
    await refresh(other).expect(401);
    await login(c.user.email, c.password).expect(401);
    const fresh = await login(c.user.email, 'brand new passphrase').expect(200);
    await refresh(fresh.body.refreshToken).expect(200);
    // This client keeps its access token until it expires.
    await app.request.get('/api/v1/me').set(auth).expect(200);
  });

  it('changes the e-mail (lower-cased) with the current password', async () => {
    const { auth, user, password } = await userWithRole(app, 'customer');
    const next = uniqueEmail('Moved').replace('moved', 'MoVed');
    const res = await app.request
      .patch('/api/v1/me')
      .set(auth)
      .send({ email: next, currentPassword: password })
      .expect(200);
    expect(res.body.email).toBe(next.toLowerCase());
    await login(next.toLowerCase(), password).expect(200);
    await login(user.email, password).expect(401);
  });

  it('refuses an e-mail another account uses, whatever its case', async () => {
    const taken = await registerCustomer(app);
    const { auth, user, password } = await userWithRole(app, 'customer');
    for (const email of [taken.user.email, taken.user.email.toUpperCase()]) {
      const res = await app.request
        .patch('/api/v1/me')
        .set(auth)
        .send({ email, currentPassword: password })
        .expect(409);
      expect(res.body.code).toBe('email_taken');
    }
    expect((await app.request.get('/api/v1/me').set(auth)).body.email).toBe(user.email);
    // Re-sending one's own address in another case is not a conflict.
    await app.request
      .patch('/api/v1/me')
      .set(auth)
      .send({ email: user.email.toUpperCase(), currentPassword: password })
      .expect(200);
  });
});

describe(`address book (${TEST_DB})`, () => {
  it('hands the default to the oldest remaining address when the default is deleted', async () => {
    const { auth } = await userWithRole(app, 'customer');
    const first = (await app.request.post('/api/v1/me/addresses').set(auth).send(address()).expect(201)).body;
    const second = (
      await app.request
        .post('/api/v1/me/addresses')
        .set(auth)
        .send(address({ name: 'B' }))
        .expect(201)
    ).body;
    await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .send(address({ name: 'C' }))
      .expect(201);
    await app.request.delete(`/api/v1/me/addresses/${first.id}`).set(auth).expect(204);
    const items = await list(auth);
    expect(items.filter((x) => x.isDefault).map((x) => x.id)).toEqual([second.id]);
  });

  it('creates, lists, patches and deletes addresses; the first becomes the default', async () => {
    const { auth, user } = await userWithRole(app, 'customer');
    expect(await list(auth)).toEqual([]);
    const first = await app.request.post('/api/v1/me/addresses').set(auth).send(address()).expect(201);
    expect(first.body).toMatchObject({ ...address(), country: 'GB', isDefault: true, company: null, line2: null });
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .send(address({ name: 'Office', country: ' us ', company: 'ACME' }))
      .expect(201);
    expect(second.body).toMatchObject({ country: 'US', isDefault: false, company: 'ACME' });
    expect((await list(auth)).map((a) => a.id)).toEqual([first.body.id, second.body.id]);

    const patched = await app.request
      .patch(`/api/v1/me/addresses/${second.body.id}`)
      .set(auth)
      .send({ city: 'Paris', country: 'fr', company: null })
      .expect(200);
    expect(patched.body).toMatchObject({
      id: second.body.id,
      city: 'Paris',
      country: 'FR',
      company: null,
      name: 'Office',
    });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(second.body.updatedAt));
    expect((await list(auth)).find((a) => a.id === second.body.id)).toMatchObject({ city: 'Paris' });

    await app.request.delete(`/api/v1/me/addresses/${second.body.id}`).set(auth).expect(204);
    expect((await list(auth)).map((a) => a.id)).toEqual([first.body.id]);
    await app.request.delete(`/api/v1/me/addresses/${second.body.id}`).set(auth).expect(404);
    expect(await countAddresses(user.id)).toBe(1);
  });

  it('keeps exactly one default', async () => {
    const { auth } = await userWithRole(app, 'customer');
    const a = (await app.request.post('/api/v1/me/addresses').set(auth).send(address()).expect(201)).body;
    const b = (
      await app.request
        .post('/api/v1/me/addresses')
        .set(auth)
        .send(address({ name: 'B' }))
        .expect(201)
    ).body;
    await app.request.patch(`/api/v1/me/addresses/${b.id}`).set(auth).send({ isDefault: true }).expect(200);
    let items = await list(auth);
    expect(items.filter((x) => x.isDefault).map((x) => x.id)).toEqual([b.id]);
    expect(items[0]!.id).toBe(b.id);
    const c = (
      await app.request
        .post('/api/v1/me/addresses')
        .set(auth)
        .send(address({ name: 'C', isDefault: true }))
    ).body;
    items = await list(auth);
    expect(items.filter((x) => x.isDefault).map((x) => x.id)).toEqual([c.id]);
    expect(items.find((x) => x.id === a.id)!.isDefault).toBe(false);
  });

  it("treats another user's address as missing and leaves it unchanged", async () => {
    const owner = await userWithRole(app, 'customer');
    const intruder = await userWithRole(app, 'customer');
    const mine = (await app.request.post('/api/v1/me/addresses').set(owner.auth).send(address()).expect(201)).body;
    const theirs = (await app.request.post('/api/v1/me/addresses').set(intruder.auth).send(address()).expect(201)).body;
    const url = `/api/v1/me/addresses/${mine.id}`;
    const patch = await app.request.patch(url).set(intruder.auth).send({ city: 'Hacked', isDefault: true }).expect(404);
    expect(patch.body.code).toBe('not_found');
    const del = await app.request.delete(url).set(intruder.auth).expect(404);
    expect(del.body.detail).toBe(patch.body.detail);
    expect(await list(owner.auth)).toEqual([mine]);
    // The failed isDefault change must not have cleared the intruder's own default either.
    expect((await list(intruder.auth)).map((x) => [x.id, x.isDefault])).toEqual([[theirs.id, true]]);
  });

  it('answers an unknown id with 404 and a malformed one with 422', async () => {
    const { auth } = await userWithRole(app, 'customer');
    for (const method of ['patch', 'delete'] as const) {
      const missing = await app.request[method](`/api/v1/me/addresses/${randomUUID()}`).set(auth).send({ city: 'X' });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('not_found');
      const bad = await app.request[method]('/api/v1/me/addresses/123').set(auth).send({ city: 'X' });
      expect(bad.status).toBe(422);
      expect(errorPaths(bad)).toContain('params.id');
    }
  });

  it('validates the body', async () => {
    const { auth, user } = await userWithRole(app, 'customer');
    const post = (body: unknown) =>
      app.request
        .post('/api/v1/me/addresses')
        .set(auth)
        .send(body as object);
    const { line1: _omit, ...noLine1 } = address();
    const cases: [unknown, string][] = [
      [noLine1, 'body.line1'],
      [address({ line1: '   ' }), 'body.line1'],
      [address({ country: 'USA' }), 'body.country'],
      [address({ country: 'U1' }), 'body.country'],
      [address({ nickname: 'home' }), 'body.nickname'],
      [address({ userId: randomUUID() }), 'body.userId'],
      [address({ isDefault: 'yes' }), 'body.isDefault'],
      [address({ postalCode: 'x'.repeat(21) }), 'body.postalCode'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res), JSON.stringify(body)).toContain(path);
    }
    const missing = await post({}).expect(422);
    expect(errorPaths(missing)).toEqual(
      expect.arrayContaining(['body.name', 'body.line1', 'body.city', 'body.postalCode', 'body.country']),
    );
    expect(await countAddresses(user.id)).toBe(0);
  });

  it('stores SQL and HTML metacharacters as plain data', async () => {
    const { auth } = await userWithRole(app, 'customer');
    const nasty = address({
      name: "Robert'); DROP TABLE addresses;--",
      company: '<script>alert("x")</script>',
      line1: "1' OR '1'='1",
      line2: '%_\\ $1 $$ Zürich 東京 🚀',
      city: '"; SELECT pg_sleep(5); --',
      region: '<img src=x onerror=alert(1)>',
    });
    const res = await app.request.post('/api/v1/me/addresses').set(auth).send(nasty).expect(201);
    const expected = { ...nasty, country: 'GB' };
    expect(res.body).toMatchObject(expected);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect((await list(auth))[0]).toMatchObject(expected);
    expect(await countAddresses()).toBeGreaterThan(0);
  });

  it('changes no rows on bad input', async () => {
    const { auth, user } = await userWithRole(app, 'customer');
    const other = await userWithRole(app, 'customer');
    const a = (await app.request.post('/api/v1/me/addresses').set(auth).send(address()).expect(201)).body;
    const before = await countAddresses();
    const snapshot = await list(auth);
    await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .send(address({ country: 'USA' }))
      .expect(422);
    await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    await app.request.post('/api/v1/me/addresses').set(auth).set('Content-Type', 'text/plain').send('x').expect(415);
    await app.request.patch(`/api/v1/me/addresses/${a.id}`).set(auth).send({ country: 'USA', city: 'X' }).expect(422);
    await app.request.patch(`/api/v1/me/addresses/${a.id}`).set(auth).send({}).expect(422);
    await app.request.patch(`/api/v1/me/addresses/${a.id}`).set(auth).send({ name: null }).expect(422);
    await app.request.patch(`/api/v1/me/addresses/${a.id}`).set(other.auth).send({ city: 'X' }).expect(404);
    await app.request.delete(`/api/v1/me/addresses/${a.id}`).set(other.auth).expect(404);
    await app.request.delete('/api/v1/me/addresses/nope').set(auth).expect(422);
    expect(await countAddresses()).toBe(before);
    expect(await list(auth)).toEqual(snapshot);
    expect(await countAddresses(user.id)).toBe(1);
  });

  it(`caps the address book at ${MAX_ADDRESSES}`, async () => {
    const { auth, user } = await userWithRole(app, 'customer');
    for (let i = 0; i < MAX_ADDRESSES; i++) {
      await createAddress(app.nexus.ctx.db, user.id, { ...address({ name: `A${i}` }), country: 'GB' });
    }
    const res = await app.request.post('/api/v1/me/addresses').set(auth).send(address()).expect(409);
    expect(res.body.code).toBe('conflict');
    expect(await countAddresses(user.id)).toBe(MAX_ADDRESSES);
  });
});

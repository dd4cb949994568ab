import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  registerCustomer,
  TEST_DB,
  uniqueEmail,
  userWithRole,
  type TestApp,
} from '../../test/harness.js';
import { verifyPassword } from '../auth/passwords.js';
import { ensureAdmin, hasAdmin } from './bootstrap.js';
import { findUserByEmail, getUserRow, updateUser } from './users.service.js';

let app: TestApp;
let admin: Awaited<ReturnType<typeof userWithRole>>;
beforeAll(async () => {
  app = await createTestApp();
  admin = await userWithRole(app, 'admin');
});
afterAll(() => app.close());

const USERS = '/api/v1/admin/users';
const ADMIN_USER_KEYS = ['createdAt', 'disabled', 'email', 'id', 'name', 'role', 'updatedAt'];
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const patchUser = (id: string, body: object, auth = admin.auth) =>
  app.request.patch(`${USERS}/${id}`).set(auth).send(body);
const login = (email: string, password: string) => app.request.post('/api/v1/auth/login').send({ email, password });
const refresh = (refreshToken: string) => app.request.post('/api/v1/auth/refresh').send({ refreshToken });

describe(`admin user routes: access (${TEST_DB})`, () => {
  it('needs a token', async () => {
    const res = await app.request.get(USERS).expect(401);
    expect(res.body.code).toBe('unauthorized');
    await app.request.get('/api/v1/admin/anything').expect(401);
  });

  it('forbids customers everything under /admin, even paths that do not exist', async () => {
    const { auth } = await userWithRole(app, 'customer');
    const list = await app.request.get(USERS).set(auth).expect(403);
    expect(list.body.code).toBe('forbidden');
    expect(list.headers['content-type']).toMatch(/problem\+json/);
    for (const path of ['/api/v1/admin/nope', '/api/v1/admin/users/nope/deeper', '/api/v1/admin']) {
      const res = await app.request.get(path).set(auth);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    await patchUser(admin.user.id, { role: 'customer' }, auth).expect(403);
  });

  it('lets staff into /admin but not into user management', async () => {
    const staff = await userWithRole(app, 'staff');
    const res = await app.request.get(USERS).set(staff.auth).expect(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.detail).toContain('admin');
    const own = await patchUser(staff.user.id, { role: 'admin' }, staff.auth).expect(403);
    expect(own.body.code).toBe('forbidden');
    expect((await getUserRow(app.nexus.ctx.db, staff.user.id)).role).toBe('staff');
    // Past the /admin guard, an unknown path is a plain 404.
    await app.request.get('/api/v1/admin/nope').set(staff.auth).expect(404);
  });
});

describe(`GET /api/v1/admin/users (${TEST_DB})`, () => {
  it('lists users paginated, without password hashes', async () => {
    await registerCustomer(app);
    const res = await app.request.get(USERS).set(admin.auth).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 24, total: expect.any(Number) });
    expect(res.body.total).toBeGreaterThanOrEqual(2);
    expect(res.body.items.length).toBe(Math.min(res.body.total, 24));
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(ADMIN_USER_KEYS);
    expect(res.text).not.toMatch(/password|argon/i);
    expect(res.body.items.map((u: { id: string }) => u.id)).toContain(admin.user.id);
  });

  it('pages without overlap and validates page and limit', async () => {
    for (let i = 0; i < 3; i++) await userWithRole(app, 'customer');
    const p1 = (await app.request.get(USERS).query({ limit: 2, page: 1 }).set(admin.auth).expect(200)).body;
    const p2 = (await app.request.get(USERS).query({ limit: 2, page: 2 }).set(admin.auth).expect(200)).body;
    expect(p1).toMatchObject({ page: 1, limit: 2 });
    expect(p1.items).toHaveLength(2);
    expect(p2.items).toHaveLength(2);
    expect(p2.total).toBe(p1.total);
    const ids = [...p1.items, ...p2.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    const beyond = (await app.request.get(USERS).query({ page: 1000 }).set(admin.auth).expect(200)).body;
    expect(beyond.items).toEqual([]);
    for (const [query, path] of [
      [{ limit: 101 }, 'query.limit'],
      [{ limit: 0 }, 'query.limit'],
      [{ page: 0 }, 'query.page'],
      [{ page: 'x' }, 'query.page'],
      [{ role: 'god' }, 'query.role'],
      [{ sort: 'email' }, 'query.sort'],
    ] as const) {
      const res = await app.request.get(USERS).query(query).set(admin.auth).expect(422);
      expect(errorPaths(res)).toContain(path);
    }
  });

  it('filters by role', async () => {
    const staff = await userWithRole(app, 'staff');
    const res = await app.request.get(USERS).query({ role: 'staff', limit: 100 }).set(admin.auth).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((u: { role: string }) => u.role === 'staff')).toBe(true);
    expect(res.body.items.map((u: { id: string }) => u.id)).toContain(staff.user.id);
    expect(res.body.total).toBe(res.body.items.length);
  });

  it('searches e-mail and name with q, case-insensitively and with LIKE wildcards taken literally', async () => {
    const marker = `zq${Date.now()}`;
    const byName = await registerCustomer(app, { name: `Quentin ${marker}` });
    const byEmail = await registerCustomer(app, { email: `${marker}.mail@example.com` });
    const res = await app.request.get(USERS).query({ q: marker.toUpperCase() }).set(admin.auth).expect(200);
    expect(res.body.items.map((u: { id: string }) => u.id).sort()).toEqual([byName.user.id, byEmail.user.id].sort());
    expect(res.body.total).toBe(2);
    const both = await app.request.get(USERS).query({ q: marker, role: 'admin' }).set(admin.auth).expect(200);
    expect(both.body.total).toBe(0);
    for (const q of ['%', '_', '\\', "' or 1=1 --"]) {
      const wild = await app.request.get(USERS).query({ q }).set(admin.auth).expect(200);
      expect(wild.body.total, q).toBe(0);
    }
  });
});

describe(`PATCH /api/v1/admin/users/:id (${TEST_DB})`, () => {
  it('promotes a customer to staff, who then gets into /admin after signing in again', async () => {
    const c = await registerCustomer(app);
    const res = await patchUser(c.user.id, { role: 'staff' }).expect(200);
    expect(res.body).toMatchObject({ id: c.user.id, role: 'staff', disabled: false });
    expect(Object.keys(res.body).sort()).toEqual(ADMIN_USER_KEYS);
    // Sessions end so the new role applies; a fresh sign-in carries it.
    await refresh(c.refreshToken).expect(401);
    const signedIn = await login(c.user.email, c.password).expect(200);
    expect(signedIn.body.user.role).toBe('staff');
    await app.request.get('/api/v1/admin/nope').set('Authorization', `Bearer ${signedIn.body.accessToken}`).expect(404);
    const listed = await app.request.get(USERS).query({ role: 'staff', q: c.user.email }).set(admin.auth);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([c.user.id]);
  });

  it('disabling a user ends their sessions and blocks sign-in; enabling lets them back', async () => {
    const c = await registerCustomer(app);
    const res = await patchUser(c.user.id, { disabled: true }).expect(200);
    expect(res.body.disabled).toBe(true);
    expect(res.body.role).toBe('customer');
    const refused = await refresh(c.refreshToken).expect(401);
    expect(refused.body.code).toBe('invalid_token');
    const blocked = await login(c.user.email, c.password).expect(403);
    expect(blocked.body.code).toBe('forbidden');
    await patchUser(c.user.id, { disabled: false }).expect(200);
    await refresh(c.refreshToken).expect(401);
    const back = await login(c.user.email, c.password).expect(200);
    await refresh(back.body.refreshToken).expect(200);
  });

  it('does not let an admin demote or disable themself', async () => {
    for (const body of [
      { role: 'staff' },
      { role: 'customer' },
      { disabled: true },
      { role: 'admin', disabled: true },
    ]) {
      const res = await patchUser(admin.user.id, body).expect(409);
      expect(res.body.code).toBe('conflict');
    }
    const row = await getUserRow(app.nexus.ctx.db, admin.user.id);
    expect(row).toMatchObject({ role: 'admin', disabled: false });
    await app.request.get(USERS).set(admin.auth).expect(200);
  });

  it('lets one admin demote another', async () => {
    const other = await userWithRole(app, 'admin');
    await patchUser(other.user.id, { role: 'staff' }).expect(200);
    expect((await getUserRow(app.nexus.ctx.db, other.user.id)).role).toBe('staff');
  });

  it('answers an unknown id with 404 and a malformed one with 422', async () => {
    const missing = await patchUser(randomUUID(), { role: 'staff' }).expect(404);
    expect(missing.body.code).toBe('not_found');
    const bad = await patchUser('12345', { role: 'staff' }).expect(422);
    expect(errorPaths(bad)).toContain('params.id');
  });

  it('rejects bad bodies and leaves the user unchanged', async () => {
    const { user } = await userWithRole(app, 'customer');
    const cases: [object, string | undefined][] = [
      [{}, undefined],
      [{ role: 'god' }, 'body.role'],
      [{ disabled: 'yes' }, 'body.disabled'],
      [{ role: 'staff', email: 'x@example.com' }, 'body.email'],
      [{ role: null }, 'body.role'],
    ];
    for (const [body, path] of cases) {
      const res = await patchUser(user.id, body).expect(422);
      expect(res.body.code).toBe('validation_failed');
      if (path) expect(errorPaths(res), JSON.stringify(body)).toContain(path);
    }
    const row = await getUserRow(app.nexus.ctx.db, user.id);
    expect(row).toMatchObject({ role: 'customer', disabled: false, email: user.email });
  });
});

describe(`ensureAdmin (${TEST_DB})`, () => {
  const db = () => app.nexus.ctx.db;

  it('creates an admin when the e-mail is new', async () => {
    const email = uniqueEmail('boot');
    expect(await ensureAdmin(db(), { email: ` ${email.toUpperCase()} `, password: 'first admin pass' })).toBe(
      'created',
    );
    const row = (await findUserByEmail(db(), email))!;
    expect(row).toMatchObject({ email, role: 'admin', name: 'Administrator', disabled: false });
    expect(await verifyPassword(row.passwordHash, 'first admin pass')).toBe(true);
    expect(await hasAdmin(db())).toBe(true);
    await login(email, 'first admin pass').expect(200);
  });

  it('promotes an existing customer without touching the password', async () => {
    const c = await registerCustomer(app);
    const result = await ensureAdmin(db(), { email: c.user.email.toUpperCase(), password: 'some other password' });
    expect(result).toBe('promoted');
    const row = (await findUserByEmail(db(), c.user.email))!;
    expect(row.id).toBe(c.user.id);
    expect(row.role).toBe('admin');
    expect(await verifyPassword(row.passwordHash, c.password)).toBe(true);
    expect(await verifyPassword(row.passwordHash, 'some other password')).toBe(false);
  });

  it("answers 'unchanged' for an enabled admin and resets the password only when asked", async () => {
    const email = uniqueEmail('boot');
    await ensureAdmin(db(), { email, password: 'original password' });
    expect(await ensureAdmin(db(), { email, password: 'ignored password' })).toBe('unchanged');
    let row = (await findUserByEmail(db(), email))!;
    expect(await verifyPassword(row.passwordHash, 'original password')).toBe(true);
    expect(await ensureAdmin(db(), { email, password: 'reset password', resetPassword: true })).toBe('updated');
    row = (await findUserByEmail(db(), email))!;
    expect(row.role).toBe('admin');
    expect(await verifyPassword(row.passwordHash, 'reset password')).toBe(true);
    expect(await verifyPassword(row.passwordHash, 'original password')).toBe(false);
  });

  it('re-enables a disabled admin', async () => {
    const email = uniqueEmail('boot');
    await ensureAdmin(db(), { email, password: 'original password' });
    const row = (await findUserByEmail(db(), email))!;
    await updateUser(db(), row.id, { disabled: true });
    expect(await ensureAdmin(db(), { email, password: 'x' })).toBe('updated');
    expect((await getUserRow(db(), row.id)).disabled).toBe(false);
  });
});

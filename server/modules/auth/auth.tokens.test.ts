import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '../../db/schema/index.js';
import { createTestApp, registerCustomer, TEST_DB, TEST_JWT_SECRET, type TestApp } from '../../test/harness.js';
import { updateUser } from '../users/users.service.js';
import { hashToken } from './tokens.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_IP: '10000', LOGIN_RATE_LIMIT_PER_EMAIL: '10000' } });
});
afterAll(() => app.close());

type Res = Pick<Response, 'status' | 'headers' | 'body'>;
function expect401(res: Res, code = 'invalid_token') {
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, code });
  expect(res.body).not.toHaveProperty('accessToken');
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Signs an access token like the server does, with any part overridable. */
async function forge(
  sub: string,
  opts: { role?: string; secret?: string; iat?: number; exp?: number; issuer?: string; audience?: string } = {},
) {
  return new SignJWT({ role: opts.role ?? 'customer' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(opts.issuer ?? 'nexus')
    .setAudience(opts.audience ?? 'nexus-api')
    .setIssuedAt(opts.iat ?? now())
    .setExpirationTime(opts.exp ?? now() + 600)
    .sign(new TextEncoder().encode(opts.secret ?? TEST_JWT_SECRET));
}

const me = (token: string) => app.request.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
const refresh = (refreshToken: string) => app.request.post('/api/v1/auth/refresh').send({ refreshToken });
const login = (email: string, password: string) =>
  app.request.post('/api/v1/auth/login').send({ email, password }).expect(200);

describe(`auth: access tokens (${TEST_DB})`, () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await registerCustomer(app)).user.id;
  });

  it('accepts the issued token and a correctly forged one (control for the cases below)', async () => {
    const { accessToken, user } = await registerCustomer(app);
    expect((await me(accessToken).expect(200)).body.id).toBe(user.id);
    expect((await me(await forge(userId)).expect(200)).body.id).toBe(userId);
  });

  it('requires a token on /me (401 unauthorized)', async () => {
    const res = await app.request.get('/api/v1/me');
    expect401(res, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('rejects an expired token', async () => {
    const res = await me(await forge(userId, { iat: now() - 3600, exp: now() - 60 }));
    expect401(res);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expect(res.body.detail).toMatch(/expired/i);
  });

  it('rejects a token with a tampered signature', async () => {
    const [h, p, s] = (await forge(userId)).split('.') as [string, string, string];
    // Flip a character in the middle: the last one may only carry padding bits.
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect401(await me(`${h}.${p}.${flipped}`));
  });

  it('rejects a token whose payload was changed (role raised to admin)', async () => {
    const [h, p, s] = (await forge(userId)).split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const raised = b64url({ ...payload, role: 'admin' });
    expect401(await me(`${h}.${raised}.${s}`));
    expect401(await app.request.get('/api/v1/admin/users').set('Authorization', `Bearer ${h}.${raised}.${s}`));
  });

  it('rejects an unsigned alg:none token', async () => {
    const header = b64url({ alg: 'none', typ: 'JWT' });
    const payload = b64url({
      sub: userId,
      role: 'admin',
      iss: 'nexus',
      aud: 'nexus-api',
      iat: now(),
      exp: now() + 600,
    });
    expect401(await me(`${header}.${payload}.`));
    expect401(await app.request.get('/api/v1/admin/users').set('Authorization', `Bearer ${header}.${payload}.`));
  });

  it('rejects a token signed with another secret', async () => {
    expect401(await me(await forge(userId, { secret: 'another-secret-0123456789-abcdefghijklmnopq' })));
  });

  it('rejects a token with an unknown role, issuer or audience', async () => {
    expect401(await me(await forge(userId, { role: 'superuser' })));
    expect401(await me(await forge(userId, { issuer: 'someone-else' })));
    expect401(await me(await forge(userId, { audience: 'other-api' })));
  });

  it('rejects malformed Authorization headers, even on public routes', async () => {
    for (const header of ['Basic x', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer not.a.jwt']) {
      expect401(await app.request.get('/api/v1/me').set('Authorization', header));
    }
    expect401(await app.request.get('/api/health').set('Authorization', 'Basic x'));
  });
});

describe(`auth: refresh (${TEST_DB})`, () => {
  it('exchanges a refresh token for a new pair, and the new one works once more', async () => {
    const { user, refreshToken: r1 } = await registerCustomer(app);
    const first = await refresh(r1).expect(200);
    expect(Object.keys(first.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(first.body.refreshToken).not.toBe(r1);
    expect(first.body.expiresIn).toBe(app.config.ACCESS_TOKEN_TTL);
    expect((await me(first.body.accessToken).expect(200)).body.id).toBe(user.id);
    const second = await refresh(first.body.refreshToken).expect(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    await me(second.body.accessToken).expect(200);
  });

  it('stores only a hash of the refresh token', async () => {
    const { refreshToken } = await registerCustomer(app);
    const db = app.nexus.ctx.db;
    expect(await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, refreshToken))).toHaveLength(0);
    expect(
      await db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashToken(refreshToken))),
    ).toHaveLength(1);
  });

  it('treats a spent token presented again as theft: 401 and the whole family is revoked', async () => {
    const { user, refreshToken: r1, password } = await registerCustomer(app);
    const other = (await login(user.email, password)).body.refreshToken as string;
    const r2 = (await refresh(r1).expect(200)).body.refreshToken as string;
    const r3 = (await refresh(r2).expect(200)).body.refreshToken as string;

    expect401(await refresh(r1));
    // The newest token of that family, never used before, is dead too.
    expect401(await refresh(r3));
    // The separate login (another family) is untouched.
    const next = await refresh(other).expect(200);
    await refresh(next.body.refreshToken).expect(200);
  });

  it('rejects an unknown token', async () => {
    expect401(await refresh('rt_this-token-was-never-issued'));
  });

  it('rejects an expired token', async () => {
    const { refreshToken } = await registerCustomer(app);
    await app.nexus.ctx.db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(refreshTokens.tokenHash, hashToken(refreshToken)));
    const res = await refresh(refreshToken);
    expect401(res);
    expect(res.body.detail).toMatch(/expired/i);
  });

  it('rejects the token of a disabled user', async () => {
    const { user, refreshToken } = await registerCustomer(app);
    await updateUser(app.nexus.ctx.db, user.id, { disabled: true });
    expect401(await refresh(refreshToken));
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const { refreshToken } = await registerCustomer(app);
    const results = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    expect401(results.find((r) => r.status === 401)!);
    // The token is spent for good.
    expect401(await refresh(refreshToken));
  });
});

describe(`auth: logout (${TEST_DB})`, () => {
  it('answers 204 and the refresh token no longer works; other sessions go on', async () => {
    const { user, refreshToken, password } = await registerCustomer(app);
    const other = (await login(user.email, password)).body.refreshToken as string;
    const rotated = (await refresh(refreshToken).expect(200)).body.refreshToken as string;
    const res = await app.request.post('/api/v1/auth/logout').send({ refreshToken: rotated }).expect(204);
    expect(res.text).toBe('');
    expect401(await refresh(rotated));
    await refresh(other).expect(200);
  });

  it('ends the whole session even when given an earlier token of it', async () => {
    const { refreshToken: r1 } = await registerCustomer(app);
    const r2 = (await refresh(r1).expect(200)).body.refreshToken as string;
    await app.request.post('/api/v1/auth/logout').send({ refreshToken: r1 }).expect(204);
    expect401(await refresh(r2));
  });

  it('answers 204 for an unknown token too', async () => {
    await app.request.post('/api/v1/auth/logout').send({ refreshToken: 'rt_unknown' }).expect(204);
  });

  it('validates the body', async () => {
    const res = await app.request.post('/api/v1/auth/logout').send({});
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.refreshToken']);
  });
});

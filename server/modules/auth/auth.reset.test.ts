import { and, count, eq } from 'drizzle-orm';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, passwordResetTokens, refreshTokens } from '../../db/schema/index.js';
import { createTestApp, registerCustomer, TEST_DB, uniqueEmail, type TestApp } from '../../test/harness.js';
import { updateUser } from '../users/users.service.js';
import { hashToken } from './tokens.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_IP: '10000', LOGIN_RATE_LIMIT_PER_EMAIL: '10000' } });
});
afterAll(() => app.close());

const NEW_PASSWORD = 'a brand new passphrase';

const notificationCount = async () => (await app.nexus.ctx.db.select({ n: count() }).from(notifications))[0]!.n;
const resetRows = (email: string) =>
  app.nexus.ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.toAddress, email), eq(notifications.template, 'password-reset')));

// The reset work runs after the 202 (so timing reveals nothing); wait for it before looking.
const requestReset = (email: string) => ({
  async expect(status: number) {
    const res = await app.request.post('/api/v1/auth/password-reset').send({ email }).expect(status);
    await app.nexus.ctx.background.drain();
    return res;
  },
});
const confirm = (token: string, password = NEW_PASSWORD) =>
  app.request.post('/api/v1/auth/password-reset/confirm').send({ token, password });
const login = (email: string, password: string) => app.request.post('/api/v1/auth/login').send({ email, password });

/** Sends the outbox and returns every reset token mailed to `email` so far, parsed from the text part. */
async function mailedTokens(email: string): Promise<string[]> {
  await app.flushOutbox();
  return app.mail.sent
    .filter((m) => m.to === email && /reset/i.test(m.subject))
    .map((m) => {
      const url = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(m.text)?.[1];
      expect(url, 'reset URL in the text part').toBeDefined();
      expect(url!.startsWith(`${app.config.PUBLIC_URL}/reset-password?token=`)).toBe(true);
      return new URL(url!).searchParams.get('token')!;
    });
}

function expectInvalidToken(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, code: 'invalid_reset_token' });
}

describe(`auth: password reset (${TEST_DB})`, () => {
  it('answers 202 {status: accepted} identically for known and unknown addresses; only a known one gets mail', async () => {
    const { user } = await registerCustomer(app);
    await app.flushOutbox();
    const before = await notificationCount();
    const known = await requestReset(user.email).expect(202);
    expect(await notificationCount()).toBe(before + 1);
    const unknownEmail = uniqueEmail('nobody');
    const unknown = await requestReset(unknownEmail).expect(202);
    expect(await notificationCount()).toBe(before + 1);
    expect(known.body).toEqual({ status: 'accepted' });
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
    await app.flushOutbox();
    expect(app.mail.sent.some((m) => m.to === unknownEmail)).toBe(false);
    expect(await mailedTokens(user.email)).toHaveLength(1);
  });

  it('does not send a link to a disabled account', async () => {
    const { user } = await registerCustomer(app);
    await updateUser(app.nexus.ctx.db, user.id, { disabled: true });
    await requestReset(user.email).expect(202);
    expect(await resetRows(user.email)).toHaveLength(0);
  });

  it('mails a one-time link that sets a new password and signs out every session', async () => {
    const { user, password, refreshToken } = await registerCustomer(app);
    const second = (await login(user.email, password).expect(200)).body.refreshToken as string;
    const db = app.nexus.ctx.db;
    const sessionsBefore = await db.select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(sessionsBefore).toHaveLength(2);
    for (const s of sessionsBefore) expect(s.revokedAt).toBeNull();
    await requestReset(user.email.toUpperCase()).expect(202);
    const [token] = await mailedTokens(user.email);
    expect(token).toMatch(/^pr_/);

    const res = await confirm(token!).expect(204);
    expect(res.text).toBe('');

    const ok = await login(user.email, NEW_PASSWORD).expect(200);
    expect(ok.body.user.id).toBe(user.id);
    const old = await login(user.email, password);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('invalid_credentials');

    expectInvalidToken(await confirm(token!, 'yet another passphrase'));
    // The second confirm did not change the password.
    await login(user.email, NEW_PASSWORD).expect(200);

    for (const rt of [refreshToken, second]) {
      const r = await app.request.post('/api/v1/auth/refresh').send({ refreshToken: rt });
      expect(r.status).toBe(401);
    }
    for (const before of sessionsBefore) {
      const [after] = await db.select().from(refreshTokens).where(eq(refreshTokens.id, before.id));
      expect(after!.revokedAt).not.toBeNull();
    }
    // The session started after the reset works.
    await app.request.post('/api/v1/auth/refresh').send({ refreshToken: ok.body.refreshToken }).expect(200);
  });

  it('stores only a hash of the reset token and scrubs the link from the outbox once sent', async () => {
    const { user } = await registerCustomer(app);
    await requestReset(user.email).expect(202);
    const [pending] = await resetRows(user.email);
    expect(pending!.status).toBe('pending');
    expect(String(pending!.payload.resetUrl)).toContain('token=pr_');

    const [token] = await mailedTokens(user.email);
    const [sent] = await resetRows(user.email);
    expect(sent!.status).toBe('sent');
    expect(JSON.stringify(sent!.payload)).not.toContain(token!);
    expect(JSON.stringify(sent!.payload)).not.toContain('pr_');
    expect(sent!.payload.name).toBe(pending!.payload.name);

    const stored = await app.nexus.ctx.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(hashToken(token!));
    // Scrubbing only touched the outbox copy: the mailed link still works.
    await confirm(token!).expect(204);
  });

  it('retires the earlier link when a new one is requested', async () => {
    const { user, password } = await registerCustomer(app);
    await requestReset(user.email).expect(202);
    const [first] = await mailedTokens(user.email);
    await requestReset(user.email).expect(202);
    const tokens = await mailedTokens(user.email);
    expect(tokens).toHaveLength(2);
    const latest = tokens.find((t) => t !== first)!;
    expect(latest).toBeDefined();
    expectInvalidToken(await confirm(first!));
    await login(user.email, password).expect(200);
    await confirm(latest).expect(204);
    await login(user.email, NEW_PASSWORD).expect(200);
  });

  it('rejects an expired link', async () => {
    const { user, password } = await registerCustomer(app);
    await requestReset(user.email).expect(202);
    const [token] = await mailedTokens(user.email);
    await app.nexus.ctx.db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(passwordResetTokens.userId, user.id));
    expectInvalidToken(await confirm(token!));
    await login(user.email, password).expect(200);
  });

  it('rejects an unknown token, and validates the new password', async () => {
    expectInvalidToken(await confirm('pr_never-issued'));
    const { user, password } = await registerCustomer(app);
    await requestReset(user.email).expect(202);
    const [token] = await mailedTokens(user.email);
    const short = await confirm(token!, '1234567');
    expect(short.status).toBe(422);
    expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.password']);
    // A rejected request did not spend the token.
    await login(user.email, password).expect(200);
    await confirm(token!).expect(204);
  });

  it('lets only one of two concurrent confirms with the same token win', async () => {
    const { user } = await registerCustomer(app);
    await requestReset(user.email).expect(202);
    const [token] = await mailedTokens(user.email);
    const results = await Promise.all([confirm(token!, 'first passphrase'), confirm(token!, 'second passphrase')]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    const winner = results[0].status === 204 ? 'first passphrase' : 'second passphrase';
    const loser = winner === 'first passphrase' ? 'second passphrase' : 'first passphrase';
    await login(user.email, winner).expect(200);
    expect((await login(user.email, loser)).status).toBe(401);
  });
});

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, redactQuery } from './logger.js';
import { createTestApp, TEST_DB, type TestApp } from './test/harness.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ logger: createLogger('info', sink) });
});
afterAll(() => app.close());

describe(`request logging (${TEST_DB})`, () => {
  it('logs each request with its id, and never a password, token or Authorization header', async () => {
    const password = 'hunter2-super-secret-pw';
    const reg = await app.request
      .post('/api/v1/auth/register')
      .set('X-Request-Id', 'req-abc-123')
      .send({ email: 'logged@example.com', password, name: 'Logged' })
      .expect(201);
    const { accessToken, refreshToken } = reg.body as { accessToken: string; refreshToken: string };
    await app.request.get('/api/v1/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
    await app.request.post('/api/v1/auth/refresh').send({ refreshToken }).expect(200);
    const unknownOrder = '/api/v1/orders/0190f5a2-6b1c-7d3e-8f40-123456789abc';
    await app.request.get(`${unknownOrder}?token=order-secret-token`).expect(404);

    const output = lines.join('\n');
    const entries = lines.map(
      (l) => JSON.parse(l) as { req?: { id: string; url: string }; res?: { statusCode: number } },
    );
    const registerLog = entries.find((e) => e.req?.url === '/api/v1/auth/register');
    expect(registerLog?.req?.id).toBe('req-abc-123');
    expect(registerLog?.res?.statusCode).toBe(201);
    expect(entries.some((e) => e.req?.url === `${unknownOrder}?token=%5Bredacted%5D`)).toBe(true);
    for (const secret of [password, accessToken, refreshToken, 'order-secret-token', 'Bearer']) {
      expect(output).not.toContain(secret);
    }
  });

  it('gives a request without a usable X-Request-Id a fresh id, in the header and on its one log line', async () => {
    const before = lines.length;
    const res = await app.request.get('/api/v1/categories').set('X-Request-Id', 'not ok: spaces').expect(200);
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const mine = lines
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown> & { req?: { id: string } })
      .filter((e) => e.req?.id === id);
    expect(mine).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: expect.objectContaining({ id, method: 'GET', url: '/api/v1/categories' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('redacts credential-like query parameters only', () => {
    expect(redactQuery('/a?token=x&q=shoes&refresh_token=y')).toBe(
      '/a?token=%5Bredacted%5D&q=shoes&refresh_token=%5Bredacted%5D',
    );
    expect(redactQuery('/plain/path')).toBe('/plain/path');
  });

  it('redacts secret-named fields even when code logs them by mistake', () => {
    const captured: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        captured.push(chunk.toString());
        done();
      },
    });
    createLogger('info', out).info({ user: { password: 'p4ss', refreshToken: 'rt_x' }, token: 't0k' }, 'oops');
    expect(captured.join('')).not.toMatch(/p4ss|rt_x|t0k/);
    expect(captured.join('')).toContain('[redacted]');
  });
});

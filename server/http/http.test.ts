import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/domain/errors.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../test/harness.js';
import { errorHandler } from './errors.js';

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string };

/** The RFC 9457 shape every error shares. */
function expectProblem(res: Res, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: `https://nexus.dev/problems/${code.replaceAll('_', '-')}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
  expect((res.body.detail as string).length).toBeGreaterThan(0);
}

const paths = (res: Res) => ((res.body.errors ?? []) as { path: string }[]).map((e) => e.path);

let app: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  auth = (await userWithRole(app, 'customer')).auth;
});
afterAll(() => app.close());

describe(`HTTP conventions (${TEST_DB})`, () => {
  it('answers an unknown route with a 404 problem naming it', async () => {
    const res = await app.request.get('/api/v1/nope');
    expectProblem(res, 404, 'not_found');
    expect(res.body.title).toBe('Not Found');
    expect(res.body.detail).toContain('/api/v1/nope');
    expect(res.body.errors).toBeUndefined();
  });

  it('gives every response an X-Request-Id, also carried in problem bodies', async () => {
    const ok = await app.request.get('/api/health').expect(200);
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const other = await app.request.get('/api/health').expect(200);
    expect(other.headers['x-request-id']).not.toBe(ok.headers['x-request-id']);
    const err = await app.request.get('/api/nope').expect(404);
    expect(err.body.requestId).toBe(err.headers['x-request-id']);
  });

  it('echoes a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const echoed = await app.request.get('/api/v1/nope').set('X-Request-Id', 'trace-abc.123_x');
    expect(echoed.headers['x-request-id']).toBe('trace-abc.123_x');
    expect(echoed.body.requestId).toBe('trace-abc.123_x');
    for (const bad of ['has spaces in it', 'x'.repeat(65), 'a<b>', 'line;drop']) {
      const res = await app.request.get('/api/health').set('X-Request-Id', bad);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"name": "x",');
    expectProblem(res, 400, 'invalid_json');
    expect(res.body.title).toBe('Bad Request');
  });

  it('answers a body over the JSON limit with 413', async () => {
    const res = await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .send({ name: 'x'.repeat(150 * 1024) });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers a non-JSON body with 415, but accepts +json types', async () => {
    const res = await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .set('Content-Type', 'text/plain')
      .send('{"name":"x"}');
    expectProblem(res, 415, 'unsupported_media_type');
    const form = await app.request.post('/api/v1/me/addresses').set(auth).type('form').send({ name: 'x' });
    expectProblem(form, 415, 'unsupported_media_type');
    const merge = await app.request
      .patch('/api/v1/me')
      .set(auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Merge Patch' }));
    expect(merge.status).toBe(200);
    expect(merge.body.name).toBe('Merge Patch');
  });

  it('answers invalid fields with 422 and one error per field, unknown ones as body.<name>', async () => {
    const res = await app.request
      .post('/api/v1/me/addresses')
      .set(auth)
      .send({ name: 'A', line1: '1 Main St', city: 'X', postalCode: '1', country: 'US', color: 'red', size: 2 });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.title).toBe('Unprocessable Content');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.color', message: 'is not a known field' },
        { path: 'body.size', message: 'is not a known field' },
      ]),
    );
    for (const e of res.body.errors as unknown[])
      expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
  });

  it('reports params, query and body errors together with their prefixes', async () => {
    const res = await app.request.patch('/api/v1/me/addresses/not-a-uuid').set(auth).send({ country: 'USA' });
    expectProblem(res, 422, 'validation_failed');
    expect(paths(res)).toEqual(expect.arrayContaining(['params.id', 'body.country']));
  });

  it('answers a missing token with 401 and a bad one with 401 invalid_token, even on public routes', async () => {
    const none = await app.request.get('/api/v1/me');
    expectProblem(none, 401, 'unauthorized');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const bad = await app.request.get('/api/health').set('Authorization', 'Bearer not.a.jwt');
    expectProblem(bad, 401, 'invalid_token');
    expect(bad.headers['www-authenticate']).toContain('invalid_token');
    const basic = await app.request.get('/api/v1/me').set('Authorization', 'Basic dXNlcjpwYXNz');
    expectProblem(basic, 401, 'invalid_token');
  });

  it('sends helmet security headers and no X-Powered-By, on success and on error', async () => {
    for (const res of [await app.request.get('/api/health'), await app.request.get('/api/nope')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await app.request.get('/api/health').set('Origin', 'https://shop.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe(`CORS with CORS_ORIGINS set (${TEST_DB})`, () => {
  let corsApp: TestApp;
  beforeAll(async () => {
    corsApp = await createTestApp({ env: { CORS_ORIGINS: 'https://shop.example, https://admin.example' } });
  });
  afterAll(() => corsApp.close());

  it('allows a listed origin on GET and exposes the request id', async () => {
    const res = await corsApp.request.get('/api/health').set('Origin', 'https://shop.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    expect(res.headers['vary']).toMatch(/origin/i);
    const second = await corsApp.request.get('/api/health').set('Origin', 'https://admin.example');
    expect(second.headers['access-control-allow-origin']).toBe('https://admin.example');
  });

  it('answers a preflight from a listed origin', async () => {
    const res = await corsApp.request
      .options('/api/v1/me')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/i);
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('gives no CORS grant to another origin', async () => {
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example']) {
      const get = await corsApp.request.get('/api/health').set('Origin', origin);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await corsApp.request
        .options('/api/v1/me')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'PATCH');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.headers['access-control-allow-methods']).toBeUndefined();
    }
  });
});

describe('errorHandler with unexpected errors', () => {
  function appThrowing(error: unknown) {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const server = express();
    server.get('/boom', () => {
      throw error;
    });
    server.get('/async', async () => {
      await Promise.resolve();
      throw error;
    });
    server.get('/known', () => {
      throw new AppError('conflict', 'Already there');
    });
    server.use(errorHandler(pino({ level: 'error' }, stream)));
    return { request: supertest(server), lines };
  }

  it('turns a thrown Error into a 500 problem with no internals or stack', async () => {
    const { request, lines } = appThrowing(new Error('secret internals'));
    for (const path of ['/boom', '/async']) {
      const res = await request.get(path);
      expectProblem(res, 500, 'internal');
      expect(res.body.title).toBe('Internal Server Error');
      expect(res.text).not.toContain('secret internals');
      expect(res.text).not.toContain('at ');
      expect(res.text).not.toContain('stack');
      expect(res.text).not.toMatch(/\.ts:\d+/);
      expect(Object.keys(res.body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    }
    // The details go to the log instead.
    expect(lines.join('')).toContain('secret internals');
  });

  it('does the same for a thrown non-Error value', async () => {
    const { request } = appThrowing({ password: 'hunter2', toString: () => 'weird' });
    const res = await request.get('/boom');
    expectProblem(res, 500, 'internal');
    expect(res.text).not.toContain('hunter2');
  });

  it('renders an AppError with its own status and code', async () => {
    const { request, lines } = appThrowing(new Error('unused'));
    const res = await request.get('/known');
    expectProblem(res, 409, 'conflict');
    expect(res.body.detail).toBe('Already there');
    expect(lines).toHaveLength(0);
  });
});

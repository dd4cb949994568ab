import { Writable } from 'node:stream';
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { useRequestLog } from './request-log.js';

type Line = {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
};

/** An app logging to memory, with a failing route, a route that logs about its request and one that never answers. */
function loggedApp(level = 'info') {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const app = express();
  useRequestLog(app, createLogger(level, sink));
  app.get('/fails', (_req, res) => void res.status(503).end());
  app.get('/warns', (req, res) => {
    req.log.warn('something about this request');
    res.json({ ok: true });
  });
  app.get('/hangs', () => undefined);
  return { app, lines };
}

describe('the request log', () => {
  it('logs a 5xx at error level as "request errored"', async () => {
    const { app, lines } = loggedApp();
    const res = await supertest(app).get('/fails?token=s3cret').set('X-Request-Id', 'fail-1').expect(503);
    expect(res.headers['x-request-id']).toBe('fail-1');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request errored',
        req: expect.objectContaining({ id: 'fail-1', method: 'GET', url: '/fails?token=%5Bredacted%5D' }),
        res: { statusCode: 503 },
      }),
    ]);
  });

  it('binds req.log to the request: its lines carry the request id and redacted URL', async () => {
    const { app, lines } = loggedApp();
    await supertest(app).get('/warns').set('X-Request-Id', 'warn-1').expect(200);
    expect(lines.map((l) => [l.level, l.msg, l.req?.id])).toEqual([
      [40, 'something about this request', 'warn-1'],
      [30, 'request completed', 'warn-1'],
    ]);
  });

  it('logs a request whose client went away before the answer as "request aborted", once', async () => {
    const { app, lines } = loggedApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const controller = new AbortController();
    const asked = fetch(`http://127.0.0.1:${port}/hangs`, {
      headers: { 'X-Request-Id': 'gone-1' },
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(asked).rejects.toThrow();
    for (let waited = 0; lines.length === 0 && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(lines.map((l) => [l.msg, l.req?.id])).toEqual([['request aborted', 'gone-1']]);
  });

  it('writes nothing below its level, yet still gives every request an id', async () => {
    const { app, lines } = loggedApp('warn');
    const res = await supertest(app).get('/fails').expect(503);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await supertest(app).get('/warns').expect(200);
    // The 5xx is an error (logged); the success line is info (not); the route's own warning is.
    expect(lines.map((l) => l.msg)).toEqual(['request errored', 'something about this request']);
  });
});

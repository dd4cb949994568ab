import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe(`meta endpoints (${TEST_DB})`, () => {
  it('answers liveness', async () => {
    const res = await app.request.get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers readiness with the database kind once migrated', async () => {
    const res = await app.request.get('/api/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready', database: TEST_DB });
  });

  it('is not ready while shutting down', async () => {
    app.nexus.lifecycle.shuttingDown = true;
    try {
      const res = await app.request.get('/api/ready').expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('service_unavailable');
    } finally {
      app.nexus.lifecycle.shuttingDown = false;
    }
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { inspector, redisAvailable, redisReady, TEST_REDIS_URL, uniquePrefix } from '../../redis/redis.testkit.js';

const withRedis = await redisAvailable('cache.redis.test.ts');

// Two apps on one database stand for two server instances. Their state TTL is a minute, so
// anything another instance's write changes before then comes from Redis, not from expiry.
const prefix = uniquePrefix();
const shared = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, CATALOG_STATE_TTL_MS: '60000' };
let a: TestApp;
let b: TestApp;
let redis: Awaited<ReturnType<typeof inspector>>;
let staff: Record<string, string>;
let product: { id: string; slug: string };

beforeAll(async () => {
  if (!withRedis) return;
  a = await createTestApp({ env: shared });
  b = await createTestApp({ database: a.database, env: shared });
  await Promise.all([redisReady(a), redisReady(b)]);
  redis = await inspector(prefix);
  staff = (await userWithRole(a, 'staff')).auth;
  const res = await a.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({ name: 'Copper Kettle', status: 'active', variants: [{ sku: 'CK-1', priceCents: 4900, initialStock: 3 }] })
    .expect(201);
  product = res.body;
});
afterAll(async () => {
  if (!withRedis) return;
  await b.close({ keepDatabase: true });
  await a.close();
  await redis.cleanUp();
});

const answerKey = (etag: string) => `${prefix}catalog:answer:${etag}`;

/** Makes every product search fail until the returned function puts the column back. */
async function breakSearch(app: TestApp): Promise<() => Promise<void>> {
  await app.nexus.ctx.db.execute(sql`alter table products rename column search_document to search_doc_x`);
  return async () => {
    await app.nexus.ctx.db.execute(sql`alter table products rename column search_doc_x to search_document`);
  };
}

/** Both instances read the catalog state afresh, so they agree on it (same time window). */
/**
 * The other instance hears of a write through Redis as the write's answer goes out, and its next
 * request normally sees it; on a loaded machine Redis may hand the announcement over a moment
 * after that answer. Asks again for up to a second: still far inside the 60 s state TTL, so only
 * the announcement can explain the new answer.
 */
async function soon<T>(ask: () => Promise<T>, accepted: (answer: T) => boolean): Promise<T> {
  const deadline = performance.now() + 1000;
  for (;;) {
    const answer = await ask();
    if (accepted(answer) || performance.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freshStates(...apps: TestApp[]) {
  for (const app of apps) app.nexus.ctx.catalog.invalidate();
}

describe.skipIf(!withRedis)(`catalog cache shared through Redis (${TEST_DB})`, () => {
  it('serves an answer computed by one instance from another without running the search there', async () => {
    const url = '/api/v1/products?q=copper';
    let outcome: { status: number; body: unknown; etag: unknown; control: number } | undefined;
    let first: { body: unknown; etag: string } | undefined;
    // A second try only if the pair straddled a time-window boundary (the instances' states then differ).
    for (let attempt = 0; attempt < 2 && outcome?.status !== 200; attempt++) {
      freshStates(a, b);
      const res = await a.request.get(url).expect(200);
      first = { body: res.body, etag: res.headers.etag as string };
      await redis.waitForKey(answerKey(first.etag));
      const restore = await breakSearch(a);
      try {
        const fromB = await b.request.get(url);
        // A search B has not seen fails there: the search really is broken for B.
        const control = (await b.request.get('/api/v1/products?q=copper&sort=price_desc')).status;
        outcome = { status: fromB.status, body: fromB.body, etag: fromB.headers.etag, control };
      } finally {
        await restore();
      }
    }
    expect(outcome).toMatchObject({ status: 200, control: 500 });
    expect(outcome!.body).toEqual(first!.body);
    expect(outcome!.etag).toBe(first!.etag);
    expect((first!.body as { items: { name: string }[] }).items[0]!.name).toBe('Copper Kettle');
  });

  it('keeps only public answers in Redis, never a signed-in one', async () => {
    freshStates(a);
    const before = await redis.keys();
    const signedIn = await a.request.get('/api/v1/products?q=kettle&sort=newest').set(staff).expect(200);
    expect(signedIn.headers['cache-control']).toMatch(/private/);
    // A public answer written after it, on the same connection, shows the background writes are done.
    const later = await a.request.get('/api/v1/products?q=kettle&sort=rating').expect(200);
    await redis.waitForKey(answerKey(later.headers.etag as string));
    const added = (await redis.keys()).filter((k) => !before.includes(k));
    expect(added).toEqual([answerKey(later.headers.etag as string)]);
    expect(await redis.client.ttl(added[0]!)).toBeGreaterThan(0);
  });

  it('shows a write through one instance on the other at once (not after its state TTL), and keeps its 304s right', async () => {
    const url = `/api/v1/products/${product.slug}`;
    const before = await b.request.get(url).expect(200);
    const oldTag = before.headers.etag as string;
    await b.request.get(url).set('If-None-Match', oldTag).expect(304);

    await a.request
      .patch(`/api/v1/admin/products/${product.id}`)
      .set(staff)
      .send({ name: 'Copper Kettle II' })
      .expect(200);
    const after = await soon(
      () => b.request.get(url).set('If-None-Match', oldTag),
      (res) => res.status === 200,
    );
    expect(after.status).toBe(200);
    expect(after.body.name).toBe('Copper Kettle II');
    const newTag = after.headers.etag as string;
    expect(newTag).not.toBe(oldTag);
    await b.request.get(url).set('If-None-Match', newTag).expect(304);
    await b.request.get(url).set('If-None-Match', oldTag).expect(200);
  });

  it('keeps storefront pages working across instances, a write through one showing on the other', async () => {
    const page = `/products/${product.slug}`;
    freshStates(a, b);
    const fromA = await a.request.get(page).expect(200);
    const fromB = await b.request.get(page).expect(200);
    expect(fromB.headers['content-type']).toMatch(/^text\/html/);
    expect(fromB.text).toBe(fromA.text);
    await b.request
      .get(page)
      .set('If-None-Match', fromB.headers.etag as string)
      .expect(304);

    await a.request
      .patch(`/api/v1/admin/products/${product.id}`)
      .set(staff)
      .send({ name: 'Copper Kettle III' })
      .expect(200);
    const updated = await soon(
      () => b.request.get(page).set('If-None-Match', fromB.headers.etag as string),
      (res) => res.status === 200,
    );
    expect(updated.status).toBe(200);
    expect(updated.text).toContain('Copper Kettle III');
  });

  it('without REDIS_URL, two instances keep their own caches and state (the fallback)', async () => {
    const alone = { CATALOG_STATE_TTL_MS: '60000' };
    const c = await createTestApp({ database: a.database, env: alone });
    const d = await createTestApp({ database: a.database, env: alone });
    try {
      expect(c.nexus.ctx.redis).toBeUndefined();
      const url = '/api/v1/products?q=copper&inStock=true';
      await c.request.get(url).expect(200);
      const restore = await breakSearch(c);
      try {
        // d did not get c's answer: it ran the (broken) search itself.
        expect((await d.request.get(url)).status).toBe(500);
      } finally {
        await restore();
      }
      const page = `/api/v1/products/${product.slug}`;
      const name = (await d.request.get(page).expect(200)).body.name as string;
      const cStaff = (await userWithRole(c, 'staff')).auth;
      await c.request
        .patch(`/api/v1/admin/products/${product.id}`)
        .set(cStaff)
        .send({ name: 'Kettle Alone' })
        .expect(200);
      expect((await c.request.get(page)).body.name).toBe('Kettle Alone');
      // Nobody told d: it keeps its state (and answer) until its TTL.
      expect((await d.request.get(page)).body.name).toBe(name);
    } finally {
      await d.close({ keepDatabase: true });
      await c.close({ keepDatabase: true });
    }
  });
});

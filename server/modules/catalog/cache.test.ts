import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './cache.js';

let app: TestApp;
let staff: Record<string, string>;
let product: { id: string; slug: string; variants: { id: string }[] };

beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
  const category = await app.request
    .post('/api/v1/admin/categories')
    .set(staff)
    .send({ name: 'Kitchen', slug: 'kitchen' })
    .expect(201);
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: 'Enamel Kettle',
      status: 'active',
      categoryIds: [category.body.id],
      variants: [{ sku: 'KET-1', priceCents: 3900, initialStock: 4 }],
    })
    .expect(201);
  product = res.body;
});
afterAll(() => app.close());

const URLS = () => ['/api/v1/categories', '/api/v1/products?q=kettle', `/api/v1/products/${product.slug}`];
const get = (url: string, headers: Record<string, string> = {}) => app.request.get(url).set(headers);

/**
 * The ETag of `url` now, checked to be stable: a second request sending it back gets a 304.
 * The validator also rolls over with a time window (cache.ts), so one retry covers a request
 * pair that happens to straddle a window boundary.
 */
async function stableTag(url: string, headers: Record<string, string> = {}): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const first = await get(url, headers).expect(200);
    const etag = first.headers.etag as string;
    const again = await get(url, { ...headers, 'If-None-Match': etag });
    if (again.status === 304) {
      expect(again.headers.etag).toBe(etag);
      expect(again.text ?? '').toBe('');
      return etag;
    }
  }
  throw new Error(`${url}: a matching If-None-Match never got a 304`);
}

describe(`catalog HTTP caching (${TEST_DB})`, () => {
  it('sends a weak ETag and must-revalidate Cache-Control, and answers 304 to a match', async () => {
    for (const url of URLS()) {
      const res = await get(url).expect(200);
      expect(res.headers.etag, url).toMatch(/^W\/"[A-Za-z0-9_-]{20,}"$/);
      expect(res.headers['cache-control'], url).toBe(PUBLIC_CACHE_CONTROL);
      expect(res.headers.vary, url).toMatch(/Authorization/);
      await stableTag(url);
    }
  });

  it('gives each URL its own validator, whatever the parameter order', async () => {
    const a = await stableTag('/api/v1/products?q=kettle&sort=price_asc');
    const b = await stableTag('/api/v1/products?sort=price_asc&q=kettle');
    const c = await stableTag('/api/v1/products?q=kettle&sort=price_desc');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const other = await get('/api/v1/products?q=kettle&sort=price_desc', { 'If-None-Match': a });
    expect(other.status).toBe(200);
  });

  it('answers 200 to a stale tag, a request asking for no-cache, and a HEAD keeps the tag', async () => {
    const url = '/api/v1/products?q=kettle';
    const etag = await stableTag(url);
    const stale = await get(url, { 'If-None-Match': 'W/"not-the-current-one"' }).expect(200);
    expect(stale.body.items[0].name).toBe('Enamel Kettle');
    await get(url, { 'If-None-Match': etag, 'Cache-Control': 'no-cache' }).expect(200);
    const head = await app.request.head(url).expect(200);
    expect(head.headers.etag).toBe(etag);
    await app.request.head(url).set('If-None-Match', etag).expect(304);
  });

  it('changes every catalog tag after a product edit', async () => {
    const before = await Promise.all(URLS().map((u) => stableTag(u)));
    await app.request
      .patch(`/api/v1/admin/products/${product.id}`)
      .set(staff)
      .send({ name: 'Enamel Kettle Blue' })
      .expect(200);
    for (const [i, url] of URLS().entries()) {
      const res = await get(url, { 'If-None-Match': before[i]! }).expect(200);
      expect(res.headers.etag, url).not.toBe(before[i]);
    }
    expect((await get(`/api/v1/products/${product.slug}`)).body.name).toBe('Enamel Kettle Blue');
  });

  it('changes the tag after a stock adjustment, and the answer shows the new stock', async () => {
    const url = '/api/v1/products?q=kettle&inStock=true';
    const before = await stableTag(url);
    expect((await get(url)).body.total).toBe(1);
    await app.request
      .post('/api/v1/admin/inventory/adjustments')
      .set(staff)
      .send({ variantId: product.variants[0]!.id, delta: -4, reason: 'damage' })
      .expect(201);
    const res = await get(url, { 'If-None-Match': before }).expect(200);
    expect(res.headers.etag).not.toBe(before);
    expect(res.body.total).toBe(0);
  });

  it('changes the categories tag after a category is added', async () => {
    const before = await stableTag('/api/v1/categories');
    await app.request.post('/api/v1/admin/categories').set(staff).send({ name: 'Garden' }).expect(201);
    const res = await get('/api/v1/categories', { 'If-None-Match': before }).expect(200);
    expect(res.body.map((c: { slug: string }) => c.slug)).toContain('garden');
  });

  it('keeps a tag while nothing changed, even after reads and unrelated writes', async () => {
    const url = '/api/v1/products?q=kettle';
    const before = await stableTag(url);
    await get('/api/v1/categories').expect(200);
    await userWithRole(app, 'customer');
    const res = await get(url, { 'If-None-Match': before });
    // 304 unless the time window rolled over between the two requests.
    if (res.status !== 304) expect(await stableTag(url)).not.toBe(before);
    else expect(res.status).toBe(304);
  });

  it('does not let a shared cache keep a signed-in answer', async () => {
    const url = '/api/v1/products?q=kettle';
    const publicTag = await stableTag(url);
    const res = await get(url, staff).expect(200);
    expect(res.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
    expect(res.headers.etag).not.toBe(publicTag);
    await stableTag(url, staff);
    // The public tag does not validate a signed-in request's copy.
    await get(url, { ...staff, 'If-None-Match': publicTag }).expect(200);
  });

  it('never puts the catalog validator on an error', async () => {
    const missing = await get('/api/v1/products/no-such-product').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const invalid = await get('/api/v1/products?colour=red').expect(422);
    expect(invalid.headers['cache-control']).toBe('no-store');
    // Even a client that sends the current catalog tag of the URL gets the error again, not a 304.
    const tagOfGoodUrl = (await get('/api/v1/products')).headers.etag as string;
    await get('/api/v1/products/no-such-product', { 'If-None-Match': tagOfGoodUrl }).expect(404);
  });

  /** Makes every search fail until the returned function puts the column back. */
  async function breakSearch(): Promise<() => Promise<void>> {
    await app.nexus.ctx.db.execute(sql`alter table products rename column search_document to search_doc_x`);
    return async () => {
      await app.nexus.ctx.db.execute(sql`alter table products rename column search_doc_x to search_document`);
    };
  }

  it('answers a 304, and a repeat of a cached answer, without running the search; a write starts afresh', async () => {
    const url = '/api/v1/products?q=kettle';
    // Two tries in case the first pair straddles a time-window boundary.
    let outcome: { notModified: number; repeat: number; repeatBody: unknown; firstBody: unknown } | undefined;
    for (let attempt = 0; attempt < 2 && outcome?.notModified !== 304; attempt++) {
      const etag = await stableTag(url);
      const first = await get(url).expect(200);
      const restore = await breakSearch();
      try {
        const notModified = (await get(url, { 'If-None-Match': etag })).status;
        const repeat = await get(url);
        outcome = { notModified, repeat: repeat.status, repeatBody: repeat.body, firstBody: first.body };
      } finally {
        await restore();
      }
    }
    expect(outcome).toMatchObject({ notModified: 304, repeat: 200 });
    expect(outcome!.repeatBody).toEqual(outcome!.firstBody);

    // After a write through the API, the cached answer is not served again: the search really runs.
    const restore = await breakSearch();
    try {
      await app.request.post('/api/v1/admin/categories').set(staff).send({ name: 'Bathroom' }).expect(201);
      expect((await get(url)).status).toBe(500);
    } finally {
      await restore();
    }
    await get(url).expect(200);
  });

  it("shows another instance's write once its state read expires, and at once after its own writes", async () => {
    // A second app on the same database stands for another server instance.
    const slow = await createTestApp({ database: app.database, env: { CATALOG_STATE_TTL_MS: '60000' } });
    const quick = await createTestApp({ database: app.database, env: { CATALOG_STATE_TTL_MS: '150' } });
    try {
      const url = `/api/v1/products/${product.slug}`;
      const name = (await slow.request.get(url).expect(200)).body.name as string;
      await quick.request.get(url).expect(200);
      await app.request.patch(`/api/v1/admin/products/${product.id}`).set(staff).send({ name: 'Kettle X' }).expect(200);
      // The instance that wrote shows it at once; one that read the state a moment ago keeps its
      // answer for its TTL; one with a short TTL shows the write right after it.
      expect((await get(url)).body.name).toBe('Kettle X');
      expect((await slow.request.get(url)).body.name).toBe(name);
      await new Promise((r) => setTimeout(r, 200));
      expect((await quick.request.get(url)).body.name).toBe('Kettle X');
      // A write through the slow instance itself is visible there at once.
      const slowStaff = (await userWithRole(slow, 'staff')).auth;
      await slow.request.patch(`/api/v1/admin/products/${product.id}`).set(slowStaff).send({ name }).expect(200);
      expect((await slow.request.get(url)).body.name).toBe(name);
    } finally {
      await slow.close({ keepDatabase: true });
      await quick.close({ keepDatabase: true });
    }
  });
});

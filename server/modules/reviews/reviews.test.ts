import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { reviews } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import {
  createProduct,
  member,
  placeOrder,
  postReview,
  productRow,
  review,
  reviewRows,
  staffAuth,
  type TestProduct,
} from './reviews.testkit.js';

let app: TestApp;
let staff: Record<string, string>;
let product: TestProduct;
beforeAll(async () => {
  app = await createTestApp();
  staff = await staffAuth(app);
  product = await createProduct(app, staff);
});
afterAll(() => app.close());

const REVIEW_KEYS = [
  'authorName',
  'body',
  'createdAt',
  'id',
  'productId',
  'rating',
  'status',
  'title',
  'updatedAt',
  'verifiedPurchase',
];
const totalReviews = async () => (await app.nexus.ctx.db.select({ n: count() }).from(reviews))[0]!.n;
const approve = (id: string) =>
  app.request.patch(`/api/v1/admin/reviews/${id}`).set(staff).send({ status: 'approved' }).expect(200);
const listReviews = (idOrSlug: string, query: Record<string, string | number> = {}) =>
  app.request.get(`/api/v1/products/${idOrSlug}/reviews`).query(query);

describe(`POST /api/v1/products/:id/reviews: creating (${TEST_DB})`, () => {
  it('creates a pending review for a member without a purchase, showing a display name and never the e-mail', async () => {
    const jane = await member(app, 'Jane Doe');
    const before = await productRow(app, product.id);
    const res = await postReview(app, product.id, jane.auth, review({ rating: 5 })).expect(201);
    expect(Object.keys(res.body).sort()).toEqual(REVIEW_KEYS);
    expect(res.body).toMatchObject({
      productId: product.id,
      rating: 5,
      title: 'Does the job',
      body: 'Sturdy and well made.',
      status: 'pending',
      verifiedPurchase: false,
      authorName: 'Jane D.',
    });
    expect(res.text).not.toContain(jane.email);
    expect(res.text).not.toContain(jane.userId);
    // Pending reviews do not count and are not public.
    expect(await productRow(app, product.id)).toEqual(before);
    expect((await listReviews(product.id).expect(200)).body.items).toEqual([]);
  });

  it('accepts the product slug as well as its id', async () => {
    const other = await createProduct(app, staff, { name: 'Slugged Kettle' });
    const res = await postReview(app, other.slug, (await member(app)).auth, review()).expect(201);
    expect(res.body.productId).toBe(other.id);
  });

  it('lets staff and admins review like members', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const { auth } = await userWithRole(app, role);
      const res = await postReview(app, product.id, auth, review()).expect(201);
      expect(res.body.authorName).toBe(role === 'staff' ? 'Test S.' : 'Test A.');
    }
  });

  it('needs a signed-in user, and stores nothing otherwise', async () => {
    const before = await totalReviews();
    const anonymous = await postReview(app, product.id, undefined, review()).expect(401);
    expect(anonymous.body.code).toBe('unauthorized');
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const forged = await postReview(app, product.id, { Authorization: 'Bearer not.a.jwt' }, review()).expect(401);
    expect(forged.body.code).toBe('invalid_token');
    expect(await totalReviews()).toBe(before);
  });

  it('answers 404 for an unknown, draft or archived product', async () => {
    const draft = await createProduct(app, staff, { status: 'draft' });
    const archived = await createProduct(app, staff);
    await app.request.delete(`/api/v1/admin/products/${archived.id}`).set(staff).expect(200);
    const { auth } = await member(app);
    const before = await totalReviews();
    for (const target of [newId(), 'no-such-product', draft.id, draft.slug, archived.id]) {
      const res = await postReview(app, target, auth, review()).expect(404);
      expect(res.body.code, target).toBe('not_found');
      expect(res.body.detail).toBe('Product not found');
    }
    expect(await totalReviews()).toBe(before);
  });
});

describe(`verified purchases (${TEST_DB})`, () => {
  it.each(['paid', 'fulfilled', 'delivered', 'partially_refunded'] as const)(
    'a %s order with the product makes the review verified and publishes it with the rating in step',
    async (status) => {
      const p = await createProduct(app, staff);
      const buyer = await member(app, 'Bob Buyer');
      await placeOrder(app, buyer.userId, p, status);
      const res = await postReview(app, p.id, buyer.auth, review({ rating: 3 })).expect(201);
      expect(res.body).toMatchObject({ status: 'approved', verifiedPurchase: true });
      expect(await productRow(app, p.id)).toEqual({ average: 3, count: 1, version: p.version });
      const admin = await app.request.get(`/api/v1/admin/reviews/${res.body.id}`).set(staff).expect(200);
      // Approved by the rule: a decision time, no moderator.
      expect(admin.body.moderatedBy).toBeNull();
      expect(admin.body.moderatedAt).toEqual(expect.any(String));
      const list = await listReviews(p.id).expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    },
  );

  it('does not count unpaid, cancelled or refunded orders, guest orders, or orders of other products or people', async () => {
    const p = await createProduct(app, staff);
    const elsewhere = await createProduct(app, staff);
    const buyer = await member(app);
    for (const status of ['pending_payment', 'cancelled', 'refunded'] as const)
      await placeOrder(app, buyer.userId, p, status);
    await placeOrder(app, null, p, 'paid');
    await placeOrder(app, buyer.userId, elsewhere, 'delivered');
    await placeOrder(app, (await member(app)).userId, p, 'delivered');
    const res = await postReview(app, p.id, buyer.auth, review()).expect(201);
    expect(res.body).toMatchObject({ status: 'pending', verifiedPurchase: false });
    expect(await productRow(app, p.id)).toMatchObject({ average: 0, count: 0 });
  });

  it('keeps a verified review pending when REVIEWS_AUTO_APPROVE_VERIFIED is off', async () => {
    const p = await createProduct(app, staff);
    const buyer = await member(app);
    await placeOrder(app, buyer.userId, p, 'delivered');
    app.nexus.ctx.config.REVIEWS_AUTO_APPROVE_VERIFIED = false;
    try {
      const res = await postReview(app, p.id, buyer.auth, review()).expect(201);
      expect(res.body).toMatchObject({ status: 'pending', verifiedPurchase: true });
      expect(await productRow(app, p.id)).toMatchObject({ average: 0, count: 0 });
    } finally {
      app.nexus.ctx.config.REVIEWS_AUTO_APPROVE_VERIFIED = true;
    }
  });
});

describe(`one review per member and product (${TEST_DB})`, () => {
  it('answers a second review with 409 review_exists and keeps the first as it was', async () => {
    const p = await createProduct(app, staff);
    const jane = await member(app);
    const first = await postReview(app, p.id, jane.auth, review({ rating: 2 })).expect(201);
    for (const again of [review({ rating: 5, title: 'Changed my mind' }), review()]) {
      const res = await postReview(app, p.slug, jane.auth, again).expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 409, code: 'review_exists' });
    }
    const rows = await reviewRows(app, p.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.body.id, rating: 2, title: 'Does the job' });
    // Rejected still counts as the member's one review.
    await app.request
      .patch(`/api/v1/admin/reviews/${first.body.id}`)
      .set(staff)
      .send({ status: 'rejected' })
      .expect(200);
    await postReview(app, p.id, jane.auth, review()).expect(409);
    // Other members, and the same member on another product, are unaffected.
    await postReview(app, p.id, (await member(app)).auth, review()).expect(201);
    await postReview(app, (await createProduct(app, staff)).id, jane.auth, review()).expect(201);
  });

  it('lets exactly one of two simultaneous first reviews through', async () => {
    const p = await createProduct(app, staff);
    const buyer = await member(app);
    await placeOrder(app, buyer.userId, p, 'paid');
    const results = await Promise.all([1, 2, 3].map((rating) => postReview(app, p.id, buyer.auth, review({ rating }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await reviewRows(app, p.id)).toHaveLength(1);
    const winner = results.find((r) => r.status === 201)!.body as { rating: number };
    expect(await productRow(app, p.id)).toMatchObject({ average: winner.rating, count: 1 });
  });
});

describe(`GET /api/v1/products/:id/reviews (${TEST_DB})`, () => {
  let p: TestProduct;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    p = await createProduct(app, staff);
    // rating, verified, approved: created in this order (oldest first).
    const seeds: [string, number, boolean, boolean][] = [
      ['a', 5, false, true],
      ['b', 2, true, true],
      ['c', 4, false, true],
      ['d', 1, false, false],
      ['e', 4, true, true],
    ];
    for (const [key, rating, verified, approved] of seeds) {
      const author = await member(app, `Author ${key.toUpperCase()}`);
      if (verified) await placeOrder(app, author.userId, p, 'paid');
      const res = await postReview(app, p.id, author.auth, review({ rating, title: `Review ${key}` })).expect(201);
      ids[key] = res.body.id;
      if (approved && !verified) await approve(res.body.id);
    }
  });
  const keysOf = (body: { items: { id: string }[] }) =>
    body.items.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]);

  it('lists only approved reviews, newest first, with the summary the product shows', async () => {
    const res = await listReviews(p.id).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(keysOf(res.body)).toEqual(['e', 'c', 'b', 'a']);
    expect(res.body).toMatchObject({ page: 1, limit: 24, total: 4 });
    expect(res.body.summary).toEqual({
      average: 3.75,
      count: 4,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 2, '5': 1 },
    });
    const page = await app.request.get(`/api/v1/products/${p.slug}`).expect(200);
    expect(page.body.rating).toEqual({ average: 3.75, count: 4 });
    expect(await productRow(app, p.id)).toMatchObject({ average: 3.75, count: 4 });
  });

  it('sorts by highest, lowest and verified first, and filters by stars', async () => {
    expect(keysOf((await listReviews(p.id, { sort: 'highest' })).body)).toEqual(['a', 'e', 'c', 'b']);
    expect(keysOf((await listReviews(p.id, { sort: 'lowest' })).body)).toEqual(['b', 'e', 'c', 'a']);
    expect(keysOf((await listReviews(p.id, { sort: 'verified' })).body)).toEqual(['e', 'b', 'c', 'a']);
    const fours = (await listReviews(p.id, { rating: 4 }).expect(200)).body;
    expect(keysOf(fours)).toEqual(['e', 'c']);
    expect(fours.total).toBe(2);
    // The summary always describes every approved review.
    expect(fours.summary.count).toBe(4);
  });

  it('pages with page and limit', async () => {
    const first = (await listReviews(p.id, { limit: 3 }).expect(200)).body;
    const second = (await listReviews(p.id, { limit: 3, page: 2 }).expect(200)).body;
    expect([...keysOf(first), ...keysOf(second)]).toEqual(['e', 'c', 'b', 'a']);
    expect(second).toMatchObject({ page: 2, limit: 3, total: 4 });
    expect((await listReviews(p.id, { page: 9 }).expect(200)).body.items).toEqual([]);
  });

  it('works by slug, and answers 404 for unknown, draft and archived products', async () => {
    expect((await listReviews(p.slug).expect(200)).body.total).toBe(4);
    const draft = await createProduct(app, staff, { status: 'draft' });
    for (const target of [newId(), 'nope', draft.id]) {
      expect((await listReviews(target).expect(404)).body.code).toBe('not_found');
    }
    await app.request.delete(`/api/v1/admin/products/${p.id}`).set(staff).expect(200);
    try {
      await listReviews(p.id).expect(404);
    } finally {
      await app.request.patch(`/api/v1/admin/products/${p.id}`).set(staff).send({ status: 'active' }).expect(200);
    }
  });

  it('refuses bad query values with 422', async () => {
    const queries: Record<string, string | number>[] = [
      { sort: 'best' },
      { rating: 6 },
      { rating: 'five' },
      { limit: 101 },
      { page: 0 },
      { x: 1 },
    ];
    for (const query of queries) {
      const res = await listReviews(p.id, query).expect(422);
      expect(res.body.code, JSON.stringify(query)).toBe('validation_failed');
    }
  });
});

describe(`GET /api/v1/me/reviews (${TEST_DB})`, () => {
  it("shows the member's own reviews in every status, and nobody else's", async () => {
    const jane = await member(app);
    const a = await createProduct(app, staff, { name: 'Mine A' });
    const b = await createProduct(app, staff, { name: 'Mine B' });
    const pending = await postReview(app, a.id, jane.auth, review()).expect(201);
    const rejected = await postReview(app, b.id, jane.auth, review()).expect(201);
    await app.request
      .patch(`/api/v1/admin/reviews/${rejected.body.id}`)
      .set(staff)
      .send({ status: 'rejected' })
      .expect(200);
    await postReview(app, a.id, (await member(app)).auth, review()).expect(201);
    const res = await app.request.get('/api/v1/me/reviews').set(jane.auth).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 24, total: 2 });
    expect(res.body.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [rejected.body.id, 'rejected'],
      [pending.body.id, 'pending'],
    ]);
    expect(res.body.items[1].product).toEqual({ id: a.id, slug: a.slug, name: 'Mine A' });
    // The moderator's note is for staff only.
    expect(res.body.items[0]).not.toHaveProperty('moderationNote');
  });

  it("narrows to one product's review with productId: the member's own, or none", async () => {
    const jane = await member(app);
    const other = await member(app);
    const [a, b, c] = [
      await createProduct(app, staff, { name: 'Narrow A' }),
      await createProduct(app, staff, { name: 'Narrow B' }),
      await createProduct(app, staff, { name: 'Narrow C' }),
    ];
    const mine = await postReview(app, a.id, jane.auth, review()).expect(201);
    await postReview(app, b.id, jane.auth, review()).expect(201);
    await postReview(app, c.id, other.auth, review()).expect(201);
    const of = (productId: string) => app.request.get(`/api/v1/me/reviews?productId=${productId}`).set(jane.auth);
    const one = await of(a.id).expect(200);
    expect(one.body).toMatchObject({
      total: 1,
      items: [{ id: mine.body.id, status: 'pending', product: { id: a.id } }],
    });
    // Someone else's review of a product is not the member's.
    expect((await of(c.id).expect(200)).body).toMatchObject({ total: 0, items: [] });
    const bad = await of('not-a-uuid').expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.productId']);
  });

  it('needs a signed-in user', async () => {
    expect((await app.request.get('/api/v1/me/reviews').expect(401)).body.code).toBe('unauthorized');
    await app.request
      .get('/api/v1/me/reviews?limit=500')
      .set((await member(app)).auth)
      .expect(422);
  });
});

describe(`OpenAPI document (${TEST_DB})`, () => {
  it('documents the review routes with their inputs, and every reference resolves', async () => {
    const doc = (await app.request.get('/api/openapi.json').expect(200)).body;
    const paths = doc.paths as Record<string, Record<string, { requestBody?: unknown }>>;
    expect(Object.keys(paths['/api/v1/products/{idOrSlug}/reviews']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/me/reviews']!)).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/admin/reviews']!)).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/admin/reviews/{id}']!).sort()).toEqual(['get', 'patch']);
    const input = doc.components.schemas.ReviewInput;
    expect([...input.required].sort()).toEqual(['body', 'rating', 'title']);
    expect(input.additionalProperties).toBe(false);
    expect(input.properties.rating).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    expect(Object.keys(doc.components.schemas.Review.properties)).not.toContain('email');
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      expect(doc.components.schemas).toHaveProperty([ref.slice(ref.lastIndexOf('/') + 1, -1)]);
    }
  });
});

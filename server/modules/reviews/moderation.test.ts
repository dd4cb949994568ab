import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { reviews } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { moderateReview } from './moderation.service.js';
import {
  createProduct,
  member,
  placeOrder,
  postReview,
  productRow,
  review,
  type TestProduct,
} from './reviews.testkit.js';

let app: TestApp;
let staff: Awaited<ReturnType<typeof userWithRole>>;
beforeAll(async () => {
  app = await createTestApp();
  staff = await userWithRole(app, 'staff');
});
afterAll(() => app.close());

const QUEUE = '/api/v1/admin/reviews';
const patch = (id: string, body: unknown, auth: Record<string, string> = staff.auth) =>
  app.request
    .patch(`${QUEUE}/${id}`)
    .set(auth)
    .send(body as object);
const queue = (query: Record<string, string | number> = {}, auth: Record<string, string> = staff.auth) =>
  app.request.get(QUEUE).set(auth).query(query);
const row = async (id: string) => (await app.nexus.ctx.db.select().from(reviews).where(eq(reviews.id, id)))[0]!;

/** A pending review of the product by a new member; returns its id. */
async function pendingReview(p: TestProduct, rating = 4, name = 'Rita Reviewer'): Promise<string> {
  const res = await postReview(app, p.id, (await member(app, name)).auth, review({ rating })).expect(201);
  expect(res.body.status).toBe('pending');
  return res.body.id as string;
}

describe(`admin reviews: access (${TEST_DB})`, () => {
  it('needs a token, and refuses customers with 403 everywhere', async () => {
    const id = await pendingReview(await createProduct(app, staff.auth));
    expect((await app.request.get(QUEUE).expect(401)).body.code).toBe('unauthorized');
    await app.request.patch(`${QUEUE}/${id}`).send({ status: 'approved' }).expect(401);
    const customer = await member(app);
    expect((await queue({}, customer.auth).expect(403)).body.code).toBe('forbidden');
    await app.request.get(`${QUEUE}/${id}`).set(customer.auth).expect(403);
    const res = await patch(id, { status: 'approved' }, customer.auth).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await row(id)).status).toBe('pending');
  });

  it('lets staff and admins in', async () => {
    await queue().expect(200);
    await queue({}, (await userWithRole(app, 'admin')).auth).expect(200);
  });
});

describe(`GET /api/v1/admin/reviews: the queue (${TEST_DB})`, () => {
  let p: TestProduct;
  let ids: string[];
  beforeAll(async () => {
    p = await createProduct(app, staff.auth);
    ids = [];
    for (const rating of [1, 2, 3, 4]) ids.push(await pendingReview(p, rating));
  });

  it('lists pending reviews oldest first, filtered by product, with what a moderator needs', async () => {
    const res = await queue({ status: 'pending', productId: p.id }).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 24, total: 4 });
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual(ids);
    const first = res.body.items[0];
    expect(first).toMatchObject({
      status: 'pending',
      rating: 1,
      authorName: 'Rita R.',
      product: { id: p.id, slug: p.slug, name: p.name },
      moderatedBy: null,
      moderatedAt: null,
      moderationNote: null,
      version: expect.any(Number),
    });
    expect(first.userId).toEqual(expect.any(String));
    const paged = await queue({ status: 'pending', productId: p.id, limit: 2, page: 2 }).expect(200);
    expect(paged.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(2));
  });

  it('lists decided reviews latest decision first, and everything without a status', async () => {
    await patch(ids[2]!, { status: 'approved' }).expect(200);
    await patch(ids[0]!, { status: 'approved' }).expect(200);
    await patch(ids[1]!, { status: 'rejected' }).expect(200);
    const approved = await queue({ status: 'approved', productId: p.id }).expect(200);
    expect(approved.body.items.map((r: { id: string }) => r.id)).toEqual([ids[0], ids[2]]);
    const rejected = await queue({ status: 'rejected', productId: p.id }).expect(200);
    expect(rejected.body.items.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    const pending = await queue({ status: 'pending', productId: p.id }).expect(200);
    expect(pending.body.items.map((r: { id: string }) => r.id)).toEqual([ids[3]]);
    const all = await queue({ productId: p.id }).expect(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    expect((await queue({ productId: newId() }).expect(200)).body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses bad filters with 422', async () => {
    const queries: Record<string, string | number>[] = [
      { status: 'deleted' },
      { productId: 'not-a-uuid' },
      { limit: 101 },
      { page: -1 },
      { q: 'x' },
    ];
    for (const query of queries) {
      expect((await queue(query).expect(422)).body.code, JSON.stringify(query)).toBe('validation_failed');
    }
  });

  it('shows one review by id, 404 for an unknown one and 422 for a junk id', async () => {
    expect((await app.request.get(`${QUEUE}/${ids[3]}`).set(staff.auth).expect(200)).body.id).toBe(ids[3]);
    expect((await app.request.get(`${QUEUE}/${newId()}`).set(staff.auth).expect(404)).body.code).toBe('not_found');
    await app.request.get(`${QUEUE}/123`).set(staff.auth).expect(422);
  });
});

describe(`PATCH /api/v1/admin/reviews/:id (${TEST_DB})`, () => {
  it('records who decided, when and why, and bumps the review version', async () => {
    const id = await pendingReview(await createProduct(app, staff.auth));
    const before = await row(id);
    const res = await patch(id, { status: 'rejected', note: '  Off-topic\r\nand rude ' }).expect(200);
    expect(res.body).toMatchObject({
      id,
      status: 'rejected',
      moderatedBy: staff.user.id,
      moderationNote: 'Off-topic\nand rude',
    });
    expect(Date.parse(res.body.moderatedAt)).toBeGreaterThanOrEqual(before.createdAt.getTime());
    const after = await row(id);
    expect(after.version).toBeGreaterThan(before.version);
    expect(res.body.version).toBe(after.version);
    // A later decision replaces the note.
    expect((await patch(id, { status: 'approved' }).expect(200)).body.moderationNote).toBeNull();
  });

  it('treats the status the review already has as a no-op: same answer, nothing written', async () => {
    const id = await pendingReview(await createProduct(app, staff.auth));
    const first = await patch(id, { status: 'approved', note: 'fine' }).expect(200);
    const other = await userWithRole(app, 'admin');
    const again = await patch(id, { status: 'approved', note: 'different' }, other.auth).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await row(id)).version).toBe(first.body.version);
  });

  it('answers 404 for an unknown review and 422 for a junk id', async () => {
    expect((await patch(newId(), { status: 'approved' }).expect(404)).body).toMatchObject({
      code: 'not_found',
      detail: 'Review not found',
    });
    await patch('not-a-uuid', { status: 'approved' }).expect(422);
  });

  it('refuses bad bodies with 400, 415 or 422 and changes nothing', async () => {
    const id = await pendingReview(await createProduct(app, staff.auth));
    const before = await row(id);
    const bodies: unknown[] = [
      {},
      { status: 'pending' },
      { status: 'deleted' },
      { status: 'APPROVED' },
      { status: true },
      { status: 'approved', note: 'x'.repeat(1001) },
      { status: 'approved', note: 'bell \u0007' },
      { status: 'approved', rating: 5 },
      ['approved'],
    ];
    for (const body of bodies) {
      const res = await patch(id, body).expect(422);
      expect(res.body.code, JSON.stringify(body).slice(0, 50)).toBe('validation_failed');
    }
    const bad = await app.request
      .patch(`${QUEUE}/${id}`)
      .set(staff.auth)
      .set('Content-Type', 'application/json')
      .send('{"status":')
      .expect(400);
    expect(bad.body.code).toBe('invalid_json');
    await app.request.patch(`${QUEUE}/${id}`).set(staff.auth).type('text').send('approved').expect(415);
    expect(await row(id)).toEqual(before);
  });
});

describe(`ratings follow moderation (${TEST_DB})`, () => {
  it('keeps average and count right through approve, reject and re-approve, without a product edit', async () => {
    const p = await createProduct(app, staff.auth);
    const [five, four, two] = [await pendingReview(p, 5), await pendingReview(p, 4), await pendingReview(p, 2)];
    const steps: [string, 'approved' | 'rejected', number, number][] = [
      [five, 'approved', 5, 1],
      [four, 'approved', 4.5, 2],
      [two, 'approved', 3.67, 3],
      [four, 'rejected', 3.5, 2],
      [four, 'rejected', 3.5, 2],
      [four, 'approved', 3.67, 3],
      [five, 'rejected', 3, 2],
      [two, 'rejected', 4, 1],
      [four, 'rejected', 0, 0],
    ];
    for (const [id, status, average, count] of steps) {
      await patch(id, { status }).expect(200);
      const label = `${status} → ${average}/${count}`;
      expect(await productRow(app, p.id), label).toEqual({ average, count, version: p.version });
      const page = await app.request.get(`/api/v1/products/${p.id}`).expect(200);
      expect(page.body.rating, label).toEqual({ average, count });
      const list = await app.request.get(`/api/v1/products/${p.id}/reviews`).expect(200);
      expect(list.body.summary, label).toMatchObject({ average, count });
      expect(list.body.total, label).toBe(count);
    }
  });

  it('rejecting a pending review leaves the rating alone', async () => {
    const p = await createProduct(app, staff.auth);
    await patch(await pendingReview(p, 5), { status: 'approved' }).expect(200);
    await patch(await pendingReview(p, 1), { status: 'rejected' }).expect(200);
    expect(await productRow(app, p.id)).toMatchObject({ average: 5, count: 1 });
  });

  it('drives the catalog rating filter and sort', async () => {
    const word = `zebrawood${newId()
      .slice(-6)
      .replace(/[^a-z]/g, 'q')}`;
    const high = await createProduct(app, staff.auth, { name: `${word} High` });
    const low = await createProduct(app, staff.auth, { name: `${word} Low` });
    const none = await createProduct(app, staff.auth, { name: `${word} None` });
    const search = async (query: Record<string, string | number>) =>
      (
        (
          await app.request
            .get('/api/v1/products')
            .query({ q: word, ...query })
            .expect(200)
        ).body.items as {
          id: string;
          rating: { average: number; count: number };
        }[]
      ).map((i) => i.id);
    for (const rating of [5, 4]) await patch(await pendingReview(high, rating), { status: 'approved' }).expect(200);
    await patch(await pendingReview(low, 3), { status: 'approved' }).expect(200);
    expect(await search({ sort: 'rating' })).toEqual([high.id, low.id, none.id]);
    expect(await search({ minRating: 4 })).toEqual([high.id]);
    expect((await search({ minRating: 3 })).sort()).toEqual([high.id, low.id].sort());
    // Four five-star approvals lift Low (23 / 5 = 4.6) above High (4.5).
    for (const rating of [5, 5, 5, 5])
      await patch(await pendingReview(low, rating), { status: 'approved' }).expect(200);
    expect(await productRow(app, low.id)).toMatchObject({ average: 4.6, count: 5 });
    expect(await search({ sort: 'rating' })).toEqual([low.id, high.id, none.id]);
    expect((await search({ minRating: 4.5 })).sort()).toEqual([high.id, low.id].sort());
  });
});

describe(`concurrent moderation (${TEST_DB})`, () => {
  it('ends with the right count and average when many reviews of one product are moderated at once', async () => {
    const p = await createProduct(app, staff.auth);
    const ratings = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 5, 5, 4, 4, 3, 5];
    const ids: string[] = [];
    for (const rating of ratings) ids.push(await pendingReview(p, rating));
    const results = await Promise.all(ids.map((id) => patch(id, { status: 'approved' })));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const mean = (rs: number[]) => Math.round((rs.reduce((a, b) => a + b, 0) * 100) / rs.length) / 100;
    expect(await productRow(app, p.id)).toEqual({ average: mean(ratings), count: ratings.length, version: p.version });
    // Mixed: reject the odd-numbered ones while re-sending approvals for the even ones.
    const mixed = await Promise.all(ids.map((id, i) => patch(id, { status: i % 2 ? 'rejected' : 'approved' })));
    expect(mixed.every((r) => r.status === 200)).toBe(true);
    const kept = ratings.filter((_, i) => i % 2 === 0);
    expect(await productRow(app, p.id)).toMatchObject({ average: mean(kept), count: kept.length });
  });

  it('counts every one of many auto-approved reviews created at once', async () => {
    const p = await createProduct(app, staff.auth);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => member(app)));
    for (const b of buyers) await placeOrder(app, b.userId, p, 'delivered');
    const results = await Promise.all(
      buyers.map((b, i) => postReview(app, p.id, b.auth, review({ rating: (i % 5) + 1 }))),
    );
    expect(results.every((r) => r.status === 201 && r.body.status === 'approved')).toBe(true);
    // Ratings 1..5, 1..5, 1, 2: 33 over 12.
    expect(await productRow(app, p.id)).toEqual({ average: 2.75, count: 12, version: p.version });
  });

  it('agrees with the final status when moderators race on one review, and with concurrent new verified reviews', async () => {
    const p = await createProduct(app, staff.auth);
    const id = await pendingReview(p, 2);
    const buyers = await Promise.all([1, 2, 3, 4].map(() => member(app)));
    for (const b of buyers) await placeOrder(app, b.userId, p, 'paid');
    await Promise.all([
      patch(id, { status: 'approved' }),
      patch(id, { status: 'rejected' }),
      patch(id, { status: 'approved' }),
      ...buyers.map((b) => postReview(app, p.id, b.auth, review({ rating: 5 }))),
    ]);
    const finalStatus = (await row(id)).status;
    const expected = finalStatus === 'approved' ? { average: 4.4, count: 5 } : { average: 5, count: 4 };
    expect(await productRow(app, p.id)).toMatchObject(expected);
  });
});

describe(`moderateReview for the sync module (${TEST_DB})`, () => {
  it('reports whether it changed anything and works inside a caller transaction that can roll back', async () => {
    const p = await createProduct(app, staff.auth);
    const id = await pendingReview(p, 4);
    const db = app.nexus.ctx.db;
    const rollback = new Error('roll back');
    await expect(
      db.transaction(async (tx) => {
        const result = await moderateReview(tx, { reviewId: id, status: 'approved', actorId: staff.user.id });
        expect(result.changed).toBe(true);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect((await row(id)).status).toBe('pending');
    expect(await productRow(app, p.id)).toMatchObject({ average: 0, count: 0 });

    const applied = await db.transaction((tx) =>
      moderateReview(tx, { reviewId: id, status: 'approved', actorId: null, note: 'from the back-office' }),
    );
    expect(applied).toMatchObject({ changed: true, review: { status: 'approved', moderatedBy: null } });
    expect(await productRow(app, p.id)).toMatchObject({ average: 4, count: 1 });
    const replay = await moderateReview(db, { reviewId: id, status: 'approved', actorId: staff.user.id });
    expect(replay).toEqual({ changed: false, review: applied.review });
    await expect(moderateReview(db, { reviewId: newId(), status: 'rejected', actorId: null })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

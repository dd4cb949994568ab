/** What shoppers send as reviews: bad input changes nothing, and markup stays text. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { reviews } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import {
  createProduct,
  member,
  postReview,
  review,
  staffAuth,
  type Member,
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

const totalReviews = async () => (await app.nexus.ctx.db.select({ n: count() }).from(reviews))[0]!.n;
const approve = (id: string) =>
  app.request.patch(`/api/v1/admin/reviews/${id}`).set(staff).send({ status: 'approved' }).expect(200);
const listReviews = (idOrSlug: string, query: Record<string, string | number> = {}) =>
  app.request.get(`/api/v1/products/${idOrSlug}/reviews`).query(query);
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);

describe(`bad input changes nothing (${TEST_DB})`, () => {
  let author: Member;
  beforeAll(async () => {
    author = await member(app);
  });

  it.each([
    ['6', 6],
    ['0', 0],
    ['3.5', 3.5],
    ['"5"', '5'],
    ['null', null],
  ])('refuses a rating of %s with 422', async (_label, rating) => {
    const before = await totalReviews();
    const res = await postReview(app, product.id, author.auth, review({ rating })).expect(422);
    expect(res.body).toMatchObject({ code: 'validation_failed', status: 422 });
    expect(res.body.errors).toEqual([{ path: 'body.rating', message: 'must be a whole number from 1 to 5' }]);
    expect(await totalReviews()).toBe(before);
  });

  it('refuses a missing rating, title or body, naming each', async () => {
    const res = await postReview(app, product.id, author.auth, {}).expect(422);
    expect(errorPaths(res)).toEqual(['body.rating', 'body.title', 'body.body']);
    const noRating = await postReview(app, product.id, author.auth, { title: 't', body: 'b' }).expect(422);
    expect(noRating.body.errors).toEqual([{ path: 'body.rating', message: 'is required' }]);
  });

  it('refuses over-long text, control characters, wrong types and fields the server sets', async () => {
    const before = await totalReviews();
    const cases: [Record<string, unknown>, string[]][] = [
      [review({ title: 'x'.repeat(121) }), ['body.title']],
      [review({ body: 'x'.repeat(5001) }), ['body.body']],
      [review({ title: '   ', body: '' }), ['body.title', 'body.body']],
      [review({ body: 'nul \u0000 byte' }), ['body.body']],
      [review({ title: 'escape \u001b[31m red' }), ['body.title']],
      [review({ title: 'two\nlines' }), ['body.title']],
      [review({ title: 5, body: { html: '<p>' } }), ['body.title', 'body.body']],
      [review({ verifiedPurchase: true }), ['body.verifiedPurchase']],
      [review({ status: 'approved', userId: newId() }), ['body.status', 'body.userId']],
    ];
    for (const [body, paths] of cases) {
      const res = await postReview(app, product.id, author.auth, body).expect(422);
      expect(errorPaths(res).sort(), JSON.stringify(body).slice(0, 60)).toEqual(paths.sort());
    }
    expect(await totalReviews()).toBe(before);
  });

  it('answers malformed JSON with 400, a non-JSON body with 415 and a JSON array with 422', async () => {
    const before = await totalReviews();
    const url = `/api/v1/products/${product.id}/reviews`;
    const bad = await app.request
      .post(url)
      .set(author.auth)
      .set('Content-Type', 'application/json')
      .send('{"rating": 5, "title": ')
      .expect(400);
    expect(bad.body.code).toBe('invalid_json');
    const form = await app.request.post(url).set(author.auth).type('form').send('rating=5&title=a&body=b').expect(415);
    expect(form.body.code).toBe('unsupported_media_type');
    await app.request.post(url).set(author.auth).send([review()]).expect(422);
    expect(await totalReviews()).toBe(before);
  });
});

describe(`markup in reviews is text (${TEST_DB})`, () => {
  const title = '<script>alert("pwned")</script>';
  const body = `<img src=x onerror=alert(1)> & "quotes" 'too' &lt;already&gt;\n<b>bold</b>`;

  it('comes back as the exact string, as JSON with nosniff, in every view', async () => {
    const p = await createProduct(app, staff);
    const author = await member(app, '<b>Mallory</b> <i>Evil</i>');
    const created = await postReview(app, p.id, author.auth, review({ title, body })).expect(201);
    const approved = await approve(created.body.id);
    const list = await listReviews(p.id).expect(200);
    const mine = await app.request.get('/api/v1/me/reviews').set(author.auth).expect(200);
    for (const res of [created, approved, list, mine]) {
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // Never HTML-encoded, never stripped: the raw JSON carries the characters themselves.
      expect(res.text).toContain(JSON.stringify(title));
      expect(res.text).not.toContain('&lt;script');
    }
    expect(created.body).toMatchObject({ title, body, authorName: '<b>Mallory</b> <.' });
    expect(list.body.items[0]).toMatchObject({ title, body });
    expect(mine.body.items[0]).toMatchObject({ title, body });
    const [row] = await app.nexus.ctx.db.select().from(reviews).where(eq(reviews.id, created.body.id));
    expect(row).toMatchObject({ title, body });
  });

  it('stores text trimmed with newlines normalised', async () => {
    const p = await createProduct(app, staff);
    const res = await postReview(app, p.id, (await member(app)).auth, {
      rating: 4,
      title: '  Solid  ',
      body: '\r\nFirst line\r\nSecond\rThird\t(tab)  \n',
    }).expect(201);
    expect(res.body).toMatchObject({ title: 'Solid', body: 'First line\nSecond\nThird\t(tab)' });
  });
});

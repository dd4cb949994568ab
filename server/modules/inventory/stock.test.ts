import { setTimeout as sleep } from 'node:timers/promises';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { products, stockLevels, stockMovements } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';

type Body = Record<string, unknown>;
let app: TestApp;
let staff: Record<string, string>;
let staffId: string;
beforeAll(async () => {
  app = await createTestApp();
  const s = await userWithRole(app, 'staff');
  staff = s.auth;
  staffId = s.user.id;
});
afterAll(() => app.close());

/** A fresh active product; returns its id and its variants' ids (one per size). */
async function product(sizes = ['S'], initialStock = 0) {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: 'Stocked thing',
      status: 'active',
      options: [{ name: 'Size', values: sizes }],
      variants: sizes.map((s) => ({ sku: `ST-${newId()}`, optionValues: { Size: s }, priceCents: 100, initialStock })),
    })
    .expect(201);
  return {
    id: res.body.id as string,
    slug: res.body.slug as string,
    v: res.body.variants.map((x: Body) => x.id) as [string, string, string],
  };
}
const adjust = (body: Body) => app.request.post('/api/v1/admin/inventory/adjustments').set(staff).send(body);
const countReq = (body: Body) => app.request.post('/api/v1/admin/inventory/counts').set(staff).send(body);
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const movementCount = async (variantId?: string) =>
  (
    await app.nexus.ctx.db
      .select({ n: count() })
      .from(stockMovements)
      .where(variantId ? eq(stockMovements.variantId, variantId) : undefined)
  )[0]!.n;
const onHand = async (variantId: string) =>
  (await app.nexus.ctx.db.select().from(stockLevels).where(eq(stockLevels.variantId, variantId)))[0]?.onHand ?? 0;
const level = async (variantId: string) =>
  (await app.request.get(`/api/v1/admin/inventory/levels/${variantId}`).set(staff).expect(200)).body;

describe(`POST /api/v1/admin/inventory/adjustments (${TEST_DB})`, () => {
  it('adds and removes stock by reason, recording who did it', async () => {
    const { v } = await product();
    const first = await adjust({ variantId: v[0], delta: 5, reason: 'received', note: 'PO 17' }).expect(201);
    expect(first.body.movement).toMatchObject({ kind: 'received', onHandDelta: 5, onHandAfter: 5, reservedDelta: 0 });
    expect(first.body.movement).toMatchObject({ reason: 'received', note: 'PO 17', actorId: staffId, variantId: v[0] });
    expect(first.body.level).toMatchObject({ onHand: 5, reserved: 0, available: 5, oversold: false, lowStock: true });
    const steps: [number, string][] = [
      [-2, 'damage'],
      [1, 'return'],
      [-1, 'sale'],
      [-1, 'adjustment'],
      [3, 'adjustment'],
    ];
    for (const [delta, reason] of steps) await adjust({ variantId: v[0], delta, reason }).expect(201);
    expect(await level(v[0])).toMatchObject({ onHand: 5, available: 5, oversold: false });
    expect(await movementCount(v[0])).toBe(6);
  });

  it('refuses bad adjustments with 422 and records nothing', async () => {
    const { v } = await product(['S'], 4);
    const before = await movementCount();
    const bad = async (body: Body, path: string) => {
      const res = await adjust({ variantId: v[0], ...body }).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res)).toContain(path);
    };
    await bad({ delta: -1, reason: 'received' }, 'body.delta');
    await bad({ delta: -3, reason: 'return' }, 'body.delta');
    await bad({ delta: 2, reason: 'damage' }, 'body.delta');
    await bad({ delta: 1, reason: 'sale' }, 'body.delta');
    await bad({ delta: 0, reason: 'adjustment' }, 'body.delta');
    await bad({ delta: 1.5, reason: 'received' }, 'body.delta');
    await bad({ delta: '5', reason: 'received' }, 'body.delta');
    await bad({ delta: 5 }, 'body.reason');
    await bad({ delta: 5, reason: 'theft' }, 'body.reason');
    await bad({ delta: 5, reason: 'count_correction' }, 'body.reason');
    await bad({ variantId: newId(), delta: 5, reason: 'received' }, 'body.variantId');
    await bad({ variantId: 'nope', delta: 5, reason: 'received' }, 'body.variantId');
    expect(await movementCount()).toBe(before);
    expect(await onHand(v[0])).toBe(4);
  });

  it('lets stock go negative (an offline sale is never refused) and flags the oversell', async () => {
    const p = await product(['S'], 2);
    const res = await adjust({ variantId: p.v[0], delta: -5, reason: 'sale' }).expect(201);
    expect(res.body.level).toMatchObject({ onHand: -3, available: -3, oversold: true, lowStock: true });
    expect(res.body.movement.onHandAfter).toBe(-3);
    expect(await level(p.v[0])).toMatchObject({ onHand: -3, oversold: true });
    const admin = await app.request.get(`/api/v1/admin/products/${p.id}`).set(staff).expect(200);
    expect(admin.body.variants[0]).toMatchObject({ onHand: -3, available: 0, inStock: false });
  });
});

describe(`POST /api/v1/admin/inventory/counts (${TEST_DB})`, () => {
  it('without expected, sets the level to the count with a correction of the difference', async () => {
    const { v } = await product(['S'], 5);
    const up = await countReq({ variantId: v[0], counted: 8 }).expect(201);
    expect(up.body.movement).toMatchObject({
      kind: 'count_correction',
      onHandDelta: 3,
      onHandAfter: 8,
      actorId: staffId,
    });
    expect(up.body.movement.reason).toBe('stocktake: counted 8');
    const down = await countReq({ variantId: v[0], counted: 0 }).expect(201);
    expect(down.body.movement).toMatchObject({ onHandDelta: -8, onHandAfter: 0 });
    expect(await onHand(v[0])).toBe(0);
    // A variant that never had stock gets its first level from a count.
    const fresh = await product();
    expect((await countReq({ variantId: fresh.v[0], counted: 4 }).expect(201)).body.level.onHand).toBe(4);
  });

  it('with expected, corrects by counted − expected and keeps sales recorded since the count', async () => {
    const { v } = await product(['S'], 10);
    // The counter sees 10 and counts 7; meanwhile the till sells 2.
    await adjust({ variantId: v[0], delta: -2, reason: 'sale' }).expect(201);
    const res = await countReq({ variantId: v[0], counted: 7, expected: 10, note: 'aisle 3' }).expect(201);
    expect(res.body.movement).toMatchObject({ onHandDelta: -3, onHandAfter: 5, note: 'aisle 3; system had 8' });
    expect(res.body.movement.reason).toBe('stocktake: counted 7, expected 10');
    expect(res.body.level.onHand).toBe(5);
  });

  it('records no movement when a count changes nothing', async () => {
    const { v } = await product(['S'], 6);
    const before = await movementCount(v[0]);
    const same = await countReq({ variantId: v[0], counted: 6 }).expect(201);
    expect(same.body).toMatchObject({ movement: null, level: { onHand: 6 } });
    await adjust({ variantId: v[0], delta: -1, reason: 'sale' }).expect(201);
    // Counted what the screen showed: the sale since then stands.
    expect((await countReq({ variantId: v[0], counted: 6, expected: 6 }).expect(201)).body.movement).toBeNull();
    expect(await movementCount(v[0])).toBe(before + 1);
    expect(await onHand(v[0])).toBe(5);
  });

  it('refuses bad counts with 422 and records nothing', async () => {
    const { v } = await product(['S'], 3);
    const before = await movementCount();
    expect(errorPaths(await countReq({ variantId: v[0], counted: -1 }).expect(422))).toContain('body.counted');
    expect(errorPaths(await countReq({ variantId: v[0], counted: 1.5 }).expect(422))).toContain('body.counted');
    expect(errorPaths(await countReq({ variantId: v[0] }).expect(422))).toContain('body.counted');
    expect(errorPaths(await countReq({ variantId: newId(), counted: 1 }).expect(422))).toEqual(['body.variantId']);
    expect(await movementCount()).toBe(before);
    expect(await onHand(v[0])).toBe(3);
  });
});

describe(`movements, levels and the stock flag (${TEST_DB})`, () => {
  it('lists movements newest first, filtered by variant, kind and time, paginated', async () => {
    const { v } = await product(['S', 'M']);
    const made = [];
    for (const delta of [4, 3, 2, 1]) {
      made.push((await adjust({ variantId: v[0], delta, reason: 'received' }).expect(201)).body.movement);
      await sleep(15);
    }
    await adjust({ variantId: v[0], delta: -1, reason: 'damage' }).expect(201);
    await adjust({ variantId: v[1], delta: 9, reason: 'received' }).expect(201);
    const list = async (query: Body) =>
      (await app.request.get('/api/v1/admin/inventory/movements').query(query).set(staff).expect(200)).body;
    const all = await list({ variantId: v[0] });
    expect(all.total).toBe(5);
    expect(all.items.map((m: Body) => m.onHandAfter)).toEqual([9, 10, 9, 7, 4]);
    expect((await list({ variantId: v[0], kind: 'damage' })).items.map((m: Body) => m.onHandDelta)).toEqual([-1]);
    expect((await list({ variantId: v[1] })).items.map((m: Body) => m.onHandDelta)).toEqual([9]);
    const page2 = await list({ variantId: v[0], limit: 2, page: 2 });
    expect([page2.total, page2.items.map((m: Body) => m.onHandAfter)]).toEqual([5, [9, 7]]);
    const ms = (m: Body) => Date.parse(m.createdAt as string);
    const from = new Date(ms(made[1])).toISOString();
    const to = new Date(ms(made[2]) + 1).toISOString();
    expect((await list({ variantId: v[0], from, to })).items.map((m: Body) => m.id)).toEqual([made[2].id, made[1].id]);
    expect((await list({ variantId: v[0], kind: 'received', from })).total).toBe(3);
    // Timestamps go out with millisecond precision: passing one back as `to` must include that movement.
    const exact = await list({ variantId: v[0], from: made[1].createdAt, to: made[2].createdAt });
    expect(exact.items.map((m: Body) => m.id)).toEqual([made[2].id, made[1].id]);
    for (const query of [{ kind: 'stolen' }, { from: 'yesterday' }, { variantId: 'x' }, { limit: 0 }]) {
      await app.request.get('/api/v1/admin/inventory/movements').query(query).set(staff).expect(422);
    }
  });

  it('reads one level, 404 for an unknown variant', async () => {
    const { v } = await product(['S'], 7);
    expect(await level(v[0])).toMatchObject({ variantId: v[0], onHand: 7, reserved: 0, available: 7, lowStock: false });
    await app.request.get(`/api/v1/admin/inventory/levels/${newId()}`).set(staff).expect(404);
    await app.request.get('/api/v1/admin/inventory/levels/nope').set(staff).expect(422);
  });

  it("keeps the product's inStock flag in step with stock", async () => {
    const p = await product(['S', 'M'], 0);
    const pub = async () => (await app.request.get(`/api/v1/products/${p.slug}`).expect(200)).body;
    expect((await pub()).inStock).toBe(false);
    await adjust({ variantId: p.v[1], delta: 1, reason: 'received' }).expect(201);
    expect(await pub()).toMatchObject({
      inStock: true,
      variants: [{ inStock: false }, { inStock: true, available: 1 }],
    });
    await adjust({ variantId: p.v[1], delta: -1, reason: 'sale' }).expect(201);
    expect((await pub()).inStock).toBe(false);
    await countReq({ variantId: p.v[0], counted: 2 }).expect(201);
    expect((await pub()).inStock).toBe(true);
    const [row] = await app.nexus.ctx.db.select().from(products).where(eq(products.id, p.id));
    expect(row!.inStock).toBe(true);
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const { v } = await product(['S'], 1);
    const { auth } = await userWithRole(app, 'customer');
    const before = await movementCount();
    const calls = [
      () =>
        app.request.post('/api/v1/admin/inventory/adjustments').send({ variantId: v[0], delta: 1, reason: 'received' }),
      () => app.request.post('/api/v1/admin/inventory/counts').send({ variantId: v[0], counted: 9 }),
      () => app.request.get('/api/v1/admin/inventory/movements'),
      () => app.request.get(`/api/v1/admin/inventory/levels/${v[0]}`),
    ];
    for (const call of calls) {
      expect((await call().set(auth)).status).toBe(403);
      expect((await call()).status).toBe(401);
    }
    expect(await movementCount()).toBe(before);
  });
});

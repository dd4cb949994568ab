import { count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { products, stockLevels, stockMovements, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { adjustStock, countStock, recordMovement, type MovementKind } from './stock.service.js';

let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
});
afterAll(() => app.close());

async function product(sizes: string[], initialStock = 0) {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: 'Ledger thing',
      status: 'active',
      options: [{ name: 'Size', values: sizes }],
      variants: sizes.map((s) => ({ sku: `LG-${newId()}`, optionValues: { Size: s }, priceCents: 100, initialStock })),
    })
    .expect(201);
  return {
    id: res.body.id as string,
    v: res.body.variants.map((x: { id: string }) => x.id) as [string, string, string],
  };
}
const movementCount = async (variantId?: string) =>
  (
    await app.nexus.ctx.db
      .select({ n: count() })
      .from(stockMovements)
      .where(variantId ? eq(stockMovements.variantId, variantId) : undefined)
  )[0]!.n;

/** mulberry32: a tiny seeded PRNG, so a failing sequence can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`stock ledger invariants (${TEST_DB})`, () => {
  const SEED = 20_260_611;
  const OPS = 240;

  it(`level = sum of the ledger after ${OPS} random operations (seed ${SEED})`, async () => {
    const db = app.nexus.ctx.db;
    const { v } = await product(['S', 'M', 'L']);
    const rnd = seededRandom(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const model = new Map(v.map((id) => [id, { onHand: 0, reserved: 0 }]));
    const order = (variantId: string, onHandDelta: number, reservedDelta: number, kind: MovementKind) =>
      db.transaction((tx) => recordMovement(tx, { variantId, kind, onHandDelta, reservedDelta, reason: 'order' }));
    const kinds = new Set<number>();
    for (let i = 0; i < OPS; i++) {
      const variantId = v[int(0, 2)]!;
      const m = model.get(variantId)!;
      const k = int(1, 10);
      const r = m.reserved > 0 ? int(1, m.reserved) : 0;
      const counted = int(0, 30);
      const expected = m.onHand + int(-3, 3);
      const sign = rnd() < 0.5 ? 1 : -1;
      // The model is computed from the operation alone, then compared with what the service says.
      let op = int(0, 7);
      if (op >= 6 && r === 0) op = 5;
      kinds.add(op);
      const steps: [() => Promise<{ level: { onHand: number; reserved: number } }>, number, number][] = [
        [() => adjustStock(db, { variantId, delta: k, reason: 'received' }, null), m.onHand + k, m.reserved],
        [
          () => adjustStock(db, { variantId, delta: -k, reason: sign > 0 ? 'sale' : 'damage' }, null),
          m.onHand - k,
          m.reserved,
        ],
        [
          () => adjustStock(db, { variantId, delta: sign * k, reason: 'adjustment' }, null),
          m.onHand + sign * k,
          m.reserved,
        ],
        [() => countStock(db, { variantId, counted }, null), counted, m.reserved],
        [() => countStock(db, { variantId, counted, expected }, null), m.onHand + counted - expected, m.reserved],
        [() => order(variantId, 0, k, 'reservation'), m.onHand, m.reserved + k],
        [() => order(variantId, 0, -r, 'release'), m.onHand, m.reserved - r],
        // A paid order: the reserved units leave the shelf.
        [() => order(variantId, -r, -r, 'sale'), m.onHand - r, m.reserved - r],
      ];
      const [run, onHand, reserved] = steps[op]!;
      const { level } = await run();
      expect({ onHand: level.onHand, reserved: level.reserved }, `op ${i} (${op})`).toEqual({ onHand, reserved });
      model.set(variantId, { onHand, reserved });
    }
    expect(kinds.size).toBe(8);

    const ids = sql.join(
      v.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const levels = await db.select().from(stockLevels).where(inArray(stockLevels.variantId, v));
    const sums = await queryRows<{ variant_id: string; on_hand: number; reserved: number; n: number }>(
      db,
      sql`select variant_id, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved, count(*)::int as n
          from stock_movements where variant_id in (${ids})
          group by variant_id`,
    );
    const running = await queryRows<{ variant_id: string; on_hand_after: number; running: number }>(
      db,
      sql`select variant_id, on_hand_after,
            (sum(on_hand_delta) over (partition by variant_id order by created_at, id))::int as running
          from stock_movements where variant_id in (${ids})
          order by variant_id, created_at desc, id desc`,
    );
    expect(sums.reduce((a, s) => a + s.n, 0)).toBeGreaterThan(OPS * 0.8);
    for (const id of v) {
      const l = levels.find((x) => x.variantId === id)!;
      const s = sums.find((x) => x.variant_id === id)!;
      expect({ onHand: l.onHand, reserved: l.reserved }).toEqual(model.get(id));
      expect({ onHand: s.on_hand, reserved: s.reserved }).toEqual({ onHand: l.onHand, reserved: l.reserved });
      const rows = running.filter((r) => r.variant_id === id);
      expect(rows[0]!.on_hand_after).toBe(l.onHand);
      for (const r of rows) expect(r.on_hand_after).toBe(r.running);
    }
    // 240 HTTP round trips: a minute of headroom for a busy CI machine running two lanes at once.
  }, 60_000);

  it('refuses to release what was never reserved, recording nothing', async () => {
    const db = app.nexus.ctx.db;
    const { v } = await product(['S']);
    const release = (variantId: string, reservedDelta: number) =>
      db.transaction((tx) =>
        recordMovement(tx, { variantId, kind: 'release', onHandDelta: 0, reservedDelta, reason: 'x' }),
      );
    await expect(release(v[0], -1)).rejects.toMatchObject({ code: 'conflict' });
    await db.transaction((tx) =>
      recordMovement(tx, { variantId: v[0], kind: 'reservation', onHandDelta: 0, reservedDelta: 2, reason: 'x' }),
    );
    await expect(release(v[0], -3)).rejects.toThrow();
    expect((await release(v[0], -2)).level).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await movementCount(v[0])).toBe(2);
  });

  it('counts every one of 20 concurrent adjustments on one variant', async () => {
    const { v } = await product(['S']);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.request
          .post('/api/v1/admin/inventory/adjustments')
          .set(staff)
          .send({ variantId: v[0], delta: 1, reason: 'received' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const [level] = await app.nexus.ctx.db.select().from(stockLevels).where(eq(stockLevels.variantId, v[0]));
    expect(level!.onHand).toBe(20);
    expect(await movementCount(v[0])).toBe(20);
    // Each movement saw a distinct level: no two read the same before-value.
    const after = responses.map((r) => r.body.movement.onHandAfter as number).sort((a, b) => a - b);
    expect(after).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe(`concurrent stocktakes (${TEST_DB})`, () => {
  it('five simultaneous counts of the same shelf leave the counted level, also on a first count', async () => {
    for (const initialStock of [0, 4]) {
      const { v } = await product(['S'], initialStock);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          app.request.post('/api/v1/admin/inventory/counts').set(staff).send({ variantId: v[0], counted: 7 }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(5).fill(201));
      const [level] = await app.nexus.ctx.db.select().from(stockLevels).where(eq(stockLevels.variantId, v[0]));
      expect(level!.onHand, `starting from ${initialStock}`).toBe(7);
      expect(responses.filter((r) => r.body.movement !== null)).toHaveLength(1);
    }
  });
});

describe(`the ledger is append-only (${TEST_DB})`, () => {
  it('refuses UPDATE and DELETE on stock_movements but lets a deleted product take its rows', async () => {
    const p = await product(['S', 'M'], 3);
    const db = app.nexus.ctx.db;
    const before = await movementCount();
    await expect(db.execute(sql`update stock_movements set on_hand_delta = 100`)).rejects.toThrow();
    await expect(db.execute(sql`delete from stock_movements where variant_id = ${p.v[0]}`)).rejects.toThrow();
    await expect(db.delete(stockMovements)).rejects.toThrow();
    expect(await movementCount()).toBe(before);
    const sum = await queryRows<{ s: number }>(
      db,
      sql`select sum(on_hand_delta)::int as s from stock_movements where variant_id = ${p.v[0]}`,
    );
    expect(sum[0]!.s).toBe(3);
    // Deleting a variant row, and a product row, cascades through the ledger.
    await db.delete(variants).where(eq(variants.id, p.v[0]));
    expect(await movementCount(p.v[0])).toBe(0);
    await db.delete(products).where(eq(products.id, p.id));
    expect(await movementCount(p.v[1])).toBe(0);
    expect(await db.select().from(stockLevels).where(eq(stockLevels.variantId, p.v[1]))).toEqual([]);
    expect(await movementCount()).toBe(before - 2);
  });
});

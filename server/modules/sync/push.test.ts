import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { checkoutKit } from '../checkout/checkout.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;

beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
  sync = await syncKit(app);
});
afterAll(() => app.close());

const adjust = (variantId: string, delta: number) => ({
  variantId,
  delta,
  reason: delta > 0 ? 'received' : 'damage',
});
const deviceSeq = async (d: TestDevice) =>
  (
    await queryRows<{ n: number }>(
      app.nexus.ctx.db,
      sql`select last_mutation_seq::int as n from sync_devices where client_id = ${d.clientId}::uuid`,
    )
  )[0]!.n;

describe(`sync push (${TEST_DB})`, () => {
  it('applies a stock adjustment as a ledger movement referencing the mutation', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const m = sync.mutation(d, 'stock.adjust', adjust(p.variants[0]!, 3));
    const answer = await sync.push(d, [m]);
    expect(answer).toEqual({ results: [{ seq: 1, status: 'applied' }], lastMutationSeq: 1 });
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 8, reserved: 0 });
    const refs = await queryRows<{ reference: string }>(
      app.nexus.ctx.db,
      sql`select reference from stock_movements where variant_id = ${p.variants[0]!}::uuid and kind = 'received' and reason = 'received'`,
    );
    expect(refs).toEqual([{ reference: `sync:${m.id}` }]);
    expect((await sync.pull(d)).lastMutationSeq).toBe(1);
  });

  it('scenario 1: the same batch pushed again (lost acknowledgement) is answered duplicate and changes nothing', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const batch = [
      sync.mutation(d, 'stock.adjust', adjust(p.variants[0]!, -2)),
      sync.mutation(d, 'stock.adjust', { ...adjust(p.variants[0]!, 1), reason: 'damage' }),
    ];
    const first = await sync.push(d, batch);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    const again = await sync.push(d, batch);
    expect(again.results).toEqual([
      { seq: 1, status: 'duplicate', originalStatus: 'applied' },
      { seq: 2, status: 'duplicate', originalStatus: 'rejected', error: first.results[1]!.error },
    ]);
    expect(again.lastMutationSeq).toBe(2);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await kit.ledger(p.variants[0]!)).on_hand).toBe(3);
  });

  it('two simultaneous pushes of one batch apply it once', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const batch = [1, 2, 3].map(() => sync.mutation(d, 'stock.adjust', adjust(p.variants[0]!, -1)));
    const answers = await Promise.all([sync.push(d, batch), sync.push(d, batch)]);
    const statuses = answers.flatMap((a) => a.results.map((r) => r.status)).sort();
    expect(statuses).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 2, reserved: 0 });
  });

  it('scenario 7: a rejected mutation in the middle does not block the ones after it; the seq advances', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const v = p.variants[0]!;
    const answer = await sync.push(d, [
      sync.mutation(d, 'stock.adjust', adjust(v, 1)),
      sync.mutation(d, 'stock.adjust', adjust(newId(), 1)),
      sync.mutation(d, 'product.explode', {}),
      sync.mutation(d, 'stock.adjust', { variantId: v, delta: 'many' }),
      sync.mutation(d, 'product.update', { productId: newId(), patch: { name: 'x' } }),
      sync.mutation(d, 'stock.adjust', { ...adjust(v, 5), locationId: newId() }),
      sync.mutation(d, 'stock.adjust', adjust(v, 2)),
    ]);
    expect(answer.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'validation_failed'],
      ['rejected', 'unknown_mutation'],
      ['rejected', 'invalid_arguments'],
      ['rejected', 'not_found'],
      ['rejected', 'invalid_arguments'],
      ['applied', undefined],
    ]);
    expect(answer.results[3]!.error!.message).toContain('delta');
    expect(answer.lastMutationSeq).toBe(7);
    expect(await deviceSeq(d)).toBe(7);
    expect(await kit.level(v)).toEqual({ on_hand: 8, reserved: 0 });
  });

  it('applies a long run of stock adjustments across chunks in order: one movement each, ledger = level', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5, 5] });
    const [a, b] = p.variants as [string, string];
    // 150 adjustments (more than one chunk), alternating variants, with a refused one every 50th.
    const batch = Array.from({ length: 150 }, (_, i) =>
      i % 50 === 49
        ? sync.mutation(d, 'stock.adjust', { variantId: a, delta: 1, reason: 'damage' })
        : sync.mutation(d, 'stock.adjust', adjust(i % 2 ? b : a, i % 3 ? 2 : -1)),
    );
    const answer = await sync.push(d, batch);
    expect(answer.results.map((r) => r.seq)).toEqual(batch.map((_, i) => i + 1));
    const refused = answer.results.filter((r) => r.status === 'rejected');
    expect(refused.map((r) => [r.seq, r.error?.code])).toEqual([
      [50, 'validation_failed'],
      [100, 'validation_failed'],
      [150, 'validation_failed'],
    ]);
    const expected = (variant: string) =>
      5 + batch.reduce((sum, _, i) => (i % 50 !== 49 && (i % 2 ? b : a) === variant ? sum + (i % 3 ? 2 : -1) : sum), 0);
    for (const v of [a, b]) {
      expect((await kit.level(v)).on_hand).toBe(expected(v));
      expect((await kit.ledger(v)).on_hand).toBe(expected(v));
    }
    const refs = await queryRows<{ n: number; distinct_refs: number }>(
      app.nexus.ctx.db,
      sql`select count(*)::int as n, count(distinct reference)::int as distinct_refs from stock_movements
          where variant_id in (${a}::uuid, ${b}::uuid) and reference like 'sync:%'`,
    );
    expect(refs).toEqual([{ n: 147, distinct_refs: 147 }]);
    // Each movement holds the level after it, in the order the device made them.
    const afters = await queryRows<{ on_hand_after: number }>(
      app.nexus.ctx.db,
      sql`select m.on_hand_after from stock_movements m
          join sync_mutations s on m.reference = 'sync:' || s.mutation_id::text
          where s.client_id = ${d.clientId}::uuid and m.variant_id = ${a}::uuid order by s.seq`,
    );
    let running = 5;
    const runningA = batch.flatMap((_, i) => (i % 50 !== 49 && i % 2 === 0 ? [(running += i % 3 ? 2 : -1)] : []));
    expect(afters.map((r) => r.on_hand_after)).toEqual(runningA);
    const recorded = await queryRows<{ status: string; n: number }>(
      app.nexus.ctx.db,
      sql`select status, count(*)::int as n from sync_mutations where client_id = ${d.clientId}::uuid group by status order by status`,
    );
    expect(recorded).toEqual([
      { status: 'applied', n: 147 },
      { status: 'rejected', n: 3 },
    ]);
  });

  it('keeps the order of stock adjustments around other mutations, and the in-stock flag right after a run', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [1] });
    const v = p.variants[0]!;
    const inStock = async () =>
      (
        await queryRows<{ in_stock: boolean }>(
          app.nexus.ctx.db,
          sql`select in_stock from products where id = ${p.id}::uuid`,
        )
      )[0]!.in_stock;
    // 1 → 0 → 2 → 0 within one run: the flag follows the last level.
    const first = await sync.push(d, [
      sync.mutation(d, 'stock.adjust', adjust(v, -1)),
      sync.mutation(d, 'stock.adjust', adjust(v, 2)),
      sync.mutation(d, 'stock.adjust', adjust(v, -2)),
    ]);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await inStock()).toBe(false);
    // A product edit between two adjustments sees the first and not the second (its conflict check
    // reads the log as it is then); all three answered in order.
    const second = await sync.push(d, [
      sync.mutation(d, 'stock.adjust', adjust(v, 3)),
      sync.mutation(d, 'product.update', { productId: newId(), patch: { name: 'gone' } }),
      sync.mutation(d, 'stock.adjust', adjust(v, -1)),
    ]);
    expect(second.results.map((r) => [r.seq, r.status])).toEqual([
      [4, 'applied'],
      [5, 'rejected'],
      [6, 'applied'],
    ]);
    expect(await kit.level(v)).toEqual({ on_hand: 2, reserved: 0 });
    expect(await inStock()).toBe(true);
  });

  it('a seq gap is refused: nothing at or after the gap is applied', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const v = p.variants[0]!;
    const ok = sync.mutation(d, 'stock.adjust', adjust(v, 1));
    d.seq++; // seq 2 is lost on the device
    const gapped = [sync.mutation(d, 'stock.adjust', adjust(v, 10)), sync.mutation(d, 'stock.adjust', adjust(v, 10))];
    const answer = await sync.push(d, [ok, ...gapped]);
    expect(answer.results).toEqual([
      { seq: 1, status: 'applied' },
      { seq: 3, status: 'rejected', error: { code: 'seq_gap', message: expect.stringContaining('send from 2') } },
    ]);
    expect(answer.lastMutationSeq).toBe(1);
    expect(await kit.level(v)).toEqual({ on_hand: 6, reserved: 0 });
    const alone = await sync.push(d, gapped);
    expect(alone.results).toHaveLength(1);
    expect(alone.results[0]!.error!.code).toBe('seq_gap');
    expect(await deviceSeq(d)).toBe(1);
  });

  it('scenario 6: the device clock (years off, or going backwards) changes nothing; order is the seq', async () => {
    const d = await sync.device();
    const p = await kit.product();
    const answer = await sync.push(d, [
      sync.mutation(
        d,
        'product.update',
        { productId: p.id, patch: { name: 'From 2099' } },
        { createdAt: '2099-01-01T00:00:00Z' },
      ),
      sync.mutation(
        d,
        'product.update',
        { productId: p.id, patch: { name: 'From 1971' } },
        { createdAt: '1971-01-01T00:00:00+02:00' },
      ),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const res = await app.request.get(`/api/v1/admin/products/${p.id}`).set(kit.staff).expect(200);
    expect(res.body.name).toBe('From 1971');
    const stored = await queryRows<{ seq: number; at: string }>(
      app.nexus.ctx.db,
      sql`select seq::int, client_created_at::text as at from sync_mutations where client_id = ${d.clientId}::uuid order by seq`,
    );
    expect(stored.map((s) => s.seq)).toEqual([1, 2]);
  });

  it('a mutation id already applied under another registration is a duplicate and applies nothing', async () => {
    const staff = await userWithRole(app, 'staff');
    const who = { auth: staff.auth, userId: staff.user.id };
    const before = await sync.device('staff', who);
    const p = await kit.product({ stock: [5] });
    const m = sync.mutation(before, 'stock.adjust', adjust(p.variants[0]!, 4));
    await sync.push(before, [m]);
    const after = await sync.device('staff', who);
    const answer = await sync.push(after, [{ ...m, seq: 1 }]);
    expect(answer.results).toEqual([{ seq: 1, status: 'duplicate', originalStatus: 'applied' }]);
    expect(answer.lastMutationSeq).toBe(1);
    const stranger = await sync.device();
    const theirs = await sync.push(stranger, [{ ...m, seq: 1 }]);
    expect(theirs.results).toEqual([
      { seq: 1, status: 'rejected', error: { code: 'invalid_arguments', message: 'id: already used' } },
    ]);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 9, reserved: 0 });
  });

  it('devices: registered per user, with the host-made id accepted once; others get 403 unknown_device', async () => {
    const staff = await userWithRole(app, 'staff');
    const clientId = newId();
    const res = await app.request.post('/api/v1/sync/devices').set(staff.auth).send({ clientId, name: 'Front desk' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ clientId, name: 'Front desk', lastMutationSeq: 0 });
    await app.request.post('/api/v1/sync/devices').set(staff.auth).send({ clientId }).expect(201);
    const other = await userWithRole(app, 'admin');
    await app.request.post('/api/v1/sync/devices').set(other.auth).send({ clientId }).expect(409);
    const mine = { clientId, auth: staff.auth, userId: staff.user.id, seq: 1 };
    const theirs = { ...mine, auth: other.auth, userId: other.user.id };
    const m = sync.mutation(mine, 'stock.adjust', adjust(newId(), 1));
    const refusedTheirs = await sync.pushRaw(theirs, [m]);
    expect([refusedTheirs.status, refusedTheirs.body.code]).toEqual([403, 'unknown_device']);
    const refusedUnknown = await sync.pushRaw({ ...mine, clientId: newId() }, [m]);
    expect([refusedUnknown.status, refusedUnknown.body.code]).toEqual([403, 'unknown_device']);
    const customer = await userWithRole(app, 'customer');
    await app.request.post('/api/v1/sync/devices').set(customer.auth).send({}).expect(403);
    expect((await sync.pushRaw({ ...mine, auth: customer.auth }, [m])).status).toBe(403);
    await app.request.post('/api/v1/sync/devices').set(staff.auth).send({ clientId: 'nope' }).expect(422);
    await app.request.post('/api/v1/sync/devices').set(staff.auth).send({ owner: 'x' }).expect(422);
    expect(await deviceSeq(mine)).toBe(0);
  });

  it('refuses malformed pushes and other protocol versions, changing nothing', async () => {
    const d = await sync.device();
    const p = await kit.product({ stock: [5] });
    const m = sync.mutation(d, 'stock.adjust', adjust(p.variants[0]!, 1));
    const old = await sync.pushRaw(d, [m], { protocolVersion: 7 });
    expect(old.status).toBe(426);
    expect(old.body.code).toBe('unsupported_protocol_version');
    expect(old.headers['x-sync-protocol-versions']).toBe('2, 1');
    expect((await sync.pushRaw(d, [])).status).toBe(422);
    expect((await sync.pushRaw(d, [{ ...m, seq: 0 }])).status).toBe(422);
    expect((await sync.pushRaw(d, [{ ...m, extra: true }])).status).toBe(422);
    expect((await sync.pushRaw(d, [{ ...m, createdAt: 'yesterday' }])).status).toBe(422);
    expect((await sync.pushRaw(d, [m], { sneaky: 1 })).status).toBe(422);
    const notJson = await app.request
      .post('/api/v1/sync/push')
      .set(d.auth)
      .set('Content-Type', 'application/json')
      .send('{"clientId":');
    expect(notJson.status).toBe(400);
    expect(await deviceSeq(d)).toBe(0);
    expect(await kit.level(p.variants[0]!)).toEqual({ on_hand: 5, reserved: 0 });
  });
});

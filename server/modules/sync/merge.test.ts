import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, products, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let cart: Awaited<ReturnType<typeof cartKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;
let a: TestDevice;
let b: TestDevice;

beforeAll(async () => {
  app = await createTestApp();
  cart = await cartKit(app);
  sync = await syncKit(app);
  a = await sync.device();
  b = await sync.device('admin');
});
afterAll(() => app.close());

const db = () => app.nexus.ctx.db;
const product = async (id: string) => (await db().select().from(products).where(eq(products.id, id)))[0]!;
const variant = async (id: string) => (await db().select().from(variants).where(eq(variants.id, id)))[0]!;
const update = (d: TestDevice, productId: string, patch: Record<string, unknown>, baseVersion: number) =>
  sync.mutation(d, 'product.update', { productId, patch }, { baseVersion });
const conflictRows = (rowId: string) =>
  queryRows<{ field: string; server_value: unknown; client_value: unknown; client_id: string; mutation_id: string }>(
    db(),
    sql`select field, server_value, client_value, client_id, mutation_id from sync_conflicts where row_id = ${rowId}::uuid order by created_at`,
  );

describe(`sync per-field merge (${TEST_DB})`, () => {
  it('scenario 3: the same field edited on two devices: the later push wins and the losing value is recorded', async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    const first = await sync.push(a, [update(a, p.id, { name: 'Name from A' }, seen)]);
    expect(first.results[0]!.status).toBe('applied');
    const mB = update(b, p.id, { name: 'Name from B' }, seen);
    const second = await sync.push(b, [mB]);
    const conflict = { field: 'name', serverValue: 'Name from A', clientValue: 'Name from B' };
    expect(second.results[0]).toEqual({ seq: mB.seq, status: 'conflict', conflicts: [conflict], conflict });
    expect((await product(p.id)).name).toBe('Name from B');
    expect(await conflictRows(p.id)).toEqual([
      {
        field: 'name',
        server_value: 'Name from A',
        client_value: 'Name from B',
        client_id: b.clientId,
        mutation_id: mB.id,
      },
    ]);
  });

  it('scenario 3: different fields edited on two devices both win, without a conflict', async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    const fromA = await sync.push(a, [update(a, p.id, { description: 'Written on A' }, seen)]);
    const fromB = await sync.push(b, [update(b, p.id, { tags: ['sale'], name: 'Named on B' }, seen)]);
    expect([fromA.results[0]!.status, fromB.results[0]!.status]).toEqual(['applied', 'applied']);
    expect(await product(p.id)).toMatchObject({ description: 'Written on A', tags: ['sale'], name: 'Named on B' });
    expect(await conflictRows(p.id)).toEqual([]);
  });

  it('the same value written by both devices is not a conflict', async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    await sync.push(a, [update(a, p.id, { name: 'Agreed' }, seen)]);
    const answer = await sync.push(b, [update(b, p.id, { name: 'Agreed' }, seen)]);
    expect(answer.results[0]!.status).toBe('applied');
  });

  it("a device's second offline edit of a field it wrote itself is not a conflict; another writer's still is", async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    const answer = await sync.push(a, [
      update(a, p.id, { name: 'First try' }, seen),
      update(a, p.id, { name: 'Second try' }, seen),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await product(p.id)).name).toBe('Second try');
    // A staff edit through the admin API (no device) in between makes the next stale edit a conflict.
    await cart.patchProduct(p.id, { name: 'From the admin' });
    const late = await sync.push(a, [update(a, p.id, { name: 'Third try' }, seen)]);
    expect(late.results[0]).toMatchObject({ status: 'conflict', conflict: { serverValue: 'From the admin' } });
    const fromB = await sync.push(b, [update(b, p.id, { name: 'From B' }, seen)]);
    expect(fromB.results[0]).toMatchObject({ status: 'conflict', conflict: { serverValue: 'Third try' } });
    expect(await conflictRows(p.id)).toHaveLength(2);
  });

  it('variants and categories merge per field too', async () => {
    const p = await cart.product({ price: 1000 });
    const variantId = p.variants[0]!;
    const seen = (await variant(variantId)).version;
    const vA = sync.mutation(a, 'variant.update', { variantId, patch: { priceCents: 1100 } }, { baseVersion: seen });
    const vB = sync.mutation(
      b,
      'variant.update',
      { variantId, patch: { priceCents: 1200, barcode: '123' } },
      { baseVersion: seen },
    );
    expect((await sync.push(a, [vA])).results[0]!.status).toBe('applied');
    const answer = await sync.push(b, [vB]);
    expect(answer.results[0]!.conflicts).toEqual([{ field: 'priceCents', serverValue: 1100, clientValue: 1200 }]);
    expect(await variant(variantId)).toMatchObject({ priceCents: 1200, barcode: '123' });

    const cat = await app.request.post('/api/v1/admin/categories').set(cart.staff).send({ name: 'Mugs' }).expect(201);
    const cSeen = (await db().select().from(categories).where(eq(categories.id, cat.body.id)))[0]!.version;
    const cA = sync.mutation(
      a,
      'category.update',
      { categoryId: cat.body.id, patch: { description: 'A' } },
      { baseVersion: cSeen },
    );
    const cB = sync.mutation(
      b,
      'category.update',
      { categoryId: cat.body.id, patch: { description: 'B' } },
      { baseVersion: cSeen },
    );
    await sync.push(a, [cA]);
    expect((await sync.push(b, [cB])).results[0]!.status).toBe('conflict');
  });

  it('scenario 5: a product archived on the server rejects an offline edit (no resurrection)', async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    await cart.patchProduct(p.id, { status: 'archived' });
    const answer = await sync.push(a, [
      update(a, p.id, { name: 'Offline edit' }, seen),
      sync.mutation(
        a,
        'variant.update',
        { variantId: p.variants[0]!, patch: { priceCents: 5 } },
        { baseVersion: seen },
      ),
      update(a, p.id, { status: 'active' }, seen),
    ]);
    expect(answer.results.map((r) => r.error?.code)).toEqual([
      'product_archived',
      'product_archived',
      'product_archived',
    ]);
    expect(answer.results[0]!.error!.message).toContain('archived');
    expect(await product(p.id)).toMatchObject({ status: 'archived', name: expect.not.stringContaining('Offline') });
    expect((await variant(p.variants[0]!)).priceCents).not.toBe(5);

    // A device that saw the archive may restore the product on purpose.
    const now = (await product(p.id)).version;
    const restore = await sync.push(a, [update(a, p.id, { status: 'active' }, now)]);
    expect(restore.results[0]!.status).toBe('applied');
    expect((await product(p.id)).status).toBe('active');
  });

  it('scenario 5 reversed: an offline archive wins over a server edit, which stays', async () => {
    const p = await cart.product();
    await cart.patchProduct(p.id, { name: 'Edited on the server' });
    const answer = await sync.push(b, [sync.mutation(b, 'product.archive', { productId: p.id })]);
    expect(answer.results[0]!.status).toBe('applied');
    expect(await product(p.id)).toMatchObject({ status: 'archived', name: 'Edited on the server' });
  });

  it('a deleted category rejects an offline edit', async () => {
    const cat = await app.request
      .post('/api/v1/admin/categories')
      .set(cart.staff)
      .send({ name: 'Short-lived' })
      .expect(201);
    await app.request.delete(`/api/v1/admin/categories/${cat.body.id}`).set(cart.staff).expect(204);
    const answer = await sync.push(a, [
      sync.mutation(a, 'category.update', { categoryId: cat.body.id, patch: { name: 'Back?' } }, { baseVersion: 1 }),
    ]);
    expect(answer.results[0]!.error!.code).toBe('not_found');
    expect(await db().select().from(categories).where(eq(categories.id, cat.body.id))).toEqual([]);
  });

  it('lists open conflicts and resolves them: keep the winner, or restore the overwritten value', async () => {
    const p = await cart.product();
    const seen = (await product(p.id)).version;
    await sync.push(a, [update(a, p.id, { name: 'Server side', description: 'Server text' }, seen)]);
    await sync.push(b, [update(b, p.id, { name: 'Device side', description: 'Device text' }, seen)]);
    const open = await app.request.get('/api/v1/sync/conflicts').set(cart.staff).expect(200);
    const mine = (open.body.items as { id: string; rowId: string; field: string }[]).filter((c) => c.rowId === p.id);
    expect(mine.map((c) => c.field).sort()).toEqual(['description', 'name']);
    const byField = Object.fromEntries(mine.map((c) => [c.field, c.id]));

    const restored = await app.request
      .post(`/api/v1/sync/conflicts/${byField.name}/resolve`)
      .set(cart.staff)
      .send({ keep: 'server' })
      .expect(200);
    expect(restored.body).toMatchObject({ resolution: 'server', resolvedAt: expect.any(String) });
    await app.request
      .post(`/api/v1/sync/conflicts/${byField.description}/resolve`)
      .set(cart.staff)
      .send({ keep: 'client' })
      .expect(200);
    expect(await product(p.id)).toMatchObject({ name: 'Server side', description: 'Device text' });
    const after = await app.request.get('/api/v1/sync/conflicts').set(cart.staff).expect(200);
    expect((after.body.items as { rowId: string }[]).filter((c) => c.rowId === p.id)).toEqual([]);

    await app.request
      .post(`/api/v1/sync/conflicts/${byField.name}/resolve`)
      .set(cart.staff)
      .send({ keep: 'client' })
      .expect(409);
    await app.request
      .post(`/api/v1/sync/conflicts/${p.id}/resolve`)
      .set(cart.staff)
      .send({ keep: 'client' })
      .expect(404);
    await app.request
      .post(`/api/v1/sync/conflicts/${byField.name}/resolve`)
      .set(cart.staff)
      .send({ keep: 'both' })
      .expect(422);
    await app.request.post('/api/v1/sync/conflicts/nope/resolve').set(cart.staff).send({ keep: 'client' }).expect(422);
  });
});

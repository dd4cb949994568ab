import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/api/orders.schemas.js';
import { newId } from '../../../shared/domain/ids.js';
import { categories, products, reviews, variants } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, markPaid } from '../checkout/checkout.testkit.js';
import { member, postReview, review } from '../reviews/reviews.testkit.js';
import { syncKit, type TestDevice } from './sync.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
let sync: Awaited<ReturnType<typeof syncKit>>;
let d: TestDevice;

beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
  sync = await syncKit(app);
  d = await sync.device();
});
afterAll(() => app.close());

const db = () => app.nexus.ctx.db;
const one = async (name: string, args: unknown) => (await sync.push(d, [sync.mutation(d, name, args)])).results[0]!;

async function order(paid: boolean): Promise<Order> {
  const p = await kit.product({ stock: [5] });
  const guest = await kit.guestCartWith([[p.variants[0]!, 1]]);
  const res = await kit.checkout(guest.headers, { email: 'shop@example.com', shippingAddress: address() }).expect(201);
  const o = res.body.order as Order;
  if (paid) {
    await markPaid(app, o);
  }
  return o;
}

describe(`sync mutations on the server (${TEST_DB})`, () => {
  it('creates products, variants and categories with the device-made ids; a taken id is rejected', async () => {
    const categoryId = newId();
    expect(await one('category.create', { id: categoryId, name: 'Offline category' })).toMatchObject({
      status: 'applied',
    });
    const productId = newId();
    const variantId = newId();
    const created = await one('product.create', {
      id: productId,
      name: 'Made offline',
      categoryIds: [categoryId],
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { id: variantId, sku: `OFF-${productId}`, optionValues: { Size: 'S' }, priceCents: 900, initialStock: 3 },
      ],
    });
    expect(created.status).toBe('applied');
    expect((await db().select().from(products).where(eq(products.id, productId)))[0]).toMatchObject({
      name: 'Made offline',
    });
    expect(await kit.level(variantId)).toEqual({ on_hand: 3, reserved: 0 });
    const second = newId();
    expect(
      await one('variant.create', {
        id: second,
        productId,
        sku: `OFF2-${productId}`,
        optionValues: { Size: 'M' },
        priceCents: 950,
        initialStock: 2,
      }),
    ).toMatchObject({ status: 'applied' });
    expect(
      (await db().select().from(variants).where(eq(variants.productId, productId))).map((v) => v.id).sort(),
    ).toEqual([variantId, second].sort());
    expect(await kit.level(second)).toEqual({ on_hand: 2, reserved: 0 });
    const again = await one('category.create', { id: categoryId, name: 'Another' });
    expect(again).toMatchObject({ status: 'rejected', error: { code: 'conflict' } });
    expect((await db().select().from(categories).where(eq(categories.id, categoryId)))[0]!.name).toBe(
      'Offline category',
    );
  });

  it('fulfils a paid order and adds notes; an unknown order or a wrong state is rejected', async () => {
    const o = await order(true);
    expect(await one('order.fulfill', { orderId: o.id, carrier: 'DHL', trackingNumber: 'TRACK-1' })).toEqual(
      expect.objectContaining({ status: 'applied' }),
    );
    expect(await kit.orderRow(o.id)).toMatchObject({ status: 'fulfilled' });
    expect(await one('order.note', { orderId: o.id, note: 'Left at the door' })).toMatchObject({ status: 'applied' });
    expect(await kit.events(o.id)).toContain('note');
    expect(await one('order.fulfill', { orderId: o.id, carrier: 'DHL', trackingNumber: 'TRACK-2' })).toMatchObject({
      status: 'rejected',
      error: { code: 'invalid_order_transition' },
    });
    expect(await one('order.note', { orderId: newId(), note: 'x' })).toMatchObject({ error: { code: 'not_found' } });
  });

  it('cancels an unpaid order; cancelling a paid one needs a connection (a refund) and is rejected', async () => {
    const unpaid = await order(false);
    expect(await one('order.cancel', { orderId: unpaid.id, reason: 'customer called' })).toMatchObject({
      status: 'applied',
    });
    expect(await kit.orderRow(unpaid.id)).toMatchObject({ status: 'cancelled' });
    const paid = await order(true);
    expect(await one('order.cancel', { orderId: paid.id, reason: 'oops' })).toMatchObject({
      status: 'rejected',
      error: { code: 'needs_connection' },
    });
    expect(await kit.orderRow(paid.id)).toMatchObject({ status: 'paid', refunded_cents: 0 });
  });

  it('moderates reviews', async () => {
    const p = await kit.product();
    const shopper = await member(app);
    const posted = await postReview(app, p.id, shopper.auth, review()).expect(201);
    const reviewId = (posted.body as { id: string }).id;
    expect(await one('review.moderate', { reviewId, status: 'approved' })).toMatchObject({ status: 'applied' });
    const [row] = await db().select().from(reviews).where(eq(reviews.id, reviewId));
    expect(row).toMatchObject({ status: 'approved', moderatedBy: d.userId });
    expect(await one('review.moderate', { reviewId: newId(), status: 'rejected' })).toMatchObject({
      error: { code: 'not_found' },
    });
    const [rating] = await queryRows<{ n: number }>(
      db(),
      sql`select rating_count as n from products where id = ${p.id}::uuid`,
    );
    expect(rating!.n).toBe(1);
  });
});

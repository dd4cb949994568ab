import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { createProduct, member, placeOrder, staffAuth } from '../reviews/reviews.testkit.js';
import { hasPurchased } from './purchases.js';

let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = await staffAuth(app);
});
afterAll(() => app.close());

const COUNTS: Record<(typeof ORDER_STATUSES)[number], boolean> = {
  pending_payment: false,
  paid: true,
  fulfilled: true,
  delivered: true,
  partially_refunded: true,
  cancelled: false,
  refunded: false,
};

describe(`hasPurchased (${TEST_DB})`, () => {
  it.each(ORDER_STATUSES.map((s) => [s, COUNTS[s]] as const))(
    'an order in status %s counts: %s',
    async (status, counts) => {
      const p = await createProduct(app, staff);
      const buyer = await member(app);
      expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, p.id)).toBe(false);
      await placeOrder(app, buyer.userId, p, status);
      expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, p.id)).toBe(counts);
    },
  );

  it('counts only the member’s own orders of that product, never a guest order with the same e-mail', async () => {
    const p = await createProduct(app, staff);
    const other = await createProduct(app, staff);
    const buyer = await member(app);
    const someoneElse = await member(app);
    await placeOrder(app, null, p, 'delivered');
    await placeOrder(app, someoneElse.userId, p, 'delivered');
    await placeOrder(app, buyer.userId, other, 'delivered');
    expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, p.id)).toBe(false);
    expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, other.id)).toBe(true);
    expect(await hasPurchased(app.nexus.ctx.db, someoneElse.userId, p.id)).toBe(true);
  });

  it('counts a member with several orders when any one of them is paid-like', async () => {
    const p = await createProduct(app, staff);
    const buyer = await member(app);
    await placeOrder(app, buyer.userId, p, 'cancelled');
    await placeOrder(app, buyer.userId, p, 'refunded');
    expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, p.id)).toBe(false);
    await placeOrder(app, buyer.userId, p, 'partially_refunded');
    expect(await hasPurchased(app.nexus.ctx.db, buyer.userId, p.id)).toBe(true);
  });
});

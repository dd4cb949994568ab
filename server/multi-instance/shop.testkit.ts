/**
 * Shop fixtures and database checks for the multi-instance tests: everything a shopper does goes
 * through the public API of some instance; only the checks read the database directly.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/sql.js';
import { address as checkoutAddress } from '../modules/checkout/checkout.testkit.js';
import { enqueueEmail } from '../modules/notifications/outbox.js';
import { expectStatus, type Outcome } from './client.testkit.js';
import type { Instance } from './fleet.testkit.js';

type Headers = Record<string, string>;
type Call = (
  instance: Instance,
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Headers },
) => Promise<Outcome>;

/** One shopper's way through: a cart, maybe its line, maybe its order (what was acknowledged). */
export interface Flow {
  cartId: string;
  added?: boolean;
  orderId?: string;
}

const address = checkoutAddress();
let seq = 0;

export function shopKit({ call, db, admin, fleet }: { call: Call; db: Db; admin: Headers; fleet: Instance[] }) {
  /** Round-robin over the instances, as a load balancer would. */
  const pick = (i: number) => fleet[i % fleet.length]!;

  async function newProduct(stock: number) {
    const n = `${Date.now().toString(36)}${++seq}`;
    const made = await call(fleet[0]!, 'POST', '/api/v1/admin/products', {
      headers: admin,
      body: {
        name: `Hot thing ${n}`,
        status: 'active',
        options: [{ name: 'Size', values: ['M'] }],
        variants: [{ sku: `HOT-${n}`, optionValues: { Size: 'M' }, priceCents: 1500, initialStock: stock }],
      },
    });
    return expectStatus<{ id: string; slug: string; variants: { id: string }[] }>(made, 201);
  }

  /** A guest cart made on one instance and filled on the next: carts live in the database only. */
  async function guestCart(i: number, variantId: string): Promise<Headers> {
    const { token } = expectStatus<{ token: string }>(await call(pick(i), 'POST', '/api/v1/cart'), 201);
    const headers = { 'X-Cart-Token': token };
    const added = await call(pick(i + 1), 'POST', '/api/v1/cart/items', { headers, body: { variantId, quantity: 1 } });
    expectStatus(added, 200);
    return headers;
  }

  const checkout = (instance: Instance, headers: Headers) => {
    const n = ++seq;
    return call(instance, 'POST', '/api/v1/checkout', {
      headers: { ...headers, 'Idempotency-Key': `multi-${Date.now()}-${n}` },
      body: { email: `buyer${n}@example.com`, shippingAddress: address },
    });
  };

  /** Browses and buys until `stopped()`, over whatever `targets` holds at each request. */
  async function shopper(w: number, targets: Instance[], variantId: string, slug: string, stopped: () => boolean) {
    const flows: Flow[] = [];
    let n = w;
    const next = () => targets[n++ % targets.length]!;
    while (!stopped()) {
      await call(next(), 'GET', '/api/v1/products?limit=5');
      await call(next(), 'GET', `/api/v1/products/${slug}`);
      const made = await call(next(), 'POST', '/api/v1/cart');
      if (made.status !== 201) continue;
      const { cart, token } = made.body as { cart: { id: string }; token: string };
      const flow: Flow = { cartId: cart.id };
      flows.push(flow);
      const headers = { 'X-Cart-Token': token };
      const added = await call(next(), 'POST', '/api/v1/cart/items', { headers, body: { variantId, quantity: 1 } });
      flow.added = added.status === 200;
      if (!flow.added) continue;
      const ordered = await checkout(next(), headers);
      if (ordered.status === 201) flow.orderId = (ordered.body as { order: { id: string } }).order.id;
    }
    return flows;
  }

  const one = async <T>(query: ReturnType<typeof sql>) => (await queryRows<T>(db, query))[0];

  const cartLine = async (cartId: string, variantId: string) =>
    (
      await one<{ quantity: number }>(
        sql`select quantity from cart_items where cart_id = ${cartId}::uuid and variant_id = ${variantId}::uuid`,
      )
    )?.quantity ?? null;

  const orderExists = async (id: string) =>
    (await one<{ n: number }>(sql`select count(*)::int as n from orders where id = ${id}::uuid`))!.n === 1;

  /** Acknowledged writes are committed; writes that were not acknowledged left no trace. */
  async function expectCommitted(flows: Flow[], variantId: string) {
    for (const flow of flows) {
      const cart = await one<{ n: number }>(sql`select count(*)::int as n from carts where id = ${flow.cartId}::uuid`);
      expect(cart!.n, flow.cartId).toBe(1);
      if (flow.orderId) {
        expect(await orderExists(flow.orderId), flow.orderId).toBe(true);
        // The checkout that made the order emptied the cart.
        expect(await cartLine(flow.cartId, variantId), flow.cartId).toBeNull();
      } else {
        // No order acknowledged: none was made, so the line is there exactly if its add was acknowledged.
        expect(await cartLine(flow.cartId, variantId), flow.cartId).toBe(flow.added ? 1 : null);
      }
    }
  }

  return {
    address,
    pick,
    newProduct,
    guestCart,
    checkout,
    shopper,
    cartLine,
    orderExists,
    expectCommitted,
    stockOf: async (variantId: string) =>
      (await one<{ on_hand: number; reserved: number }>(
        sql`select on_hand, reserved from stock_levels where variant_id = ${variantId}::uuid`,
      ))!,
    /** The ledger's sums, its reservations, and the lowest availability it ever passed through. */
    ledgerOf: async (variantId: string) =>
      one<{ on_hand: number; reserved: number; reservations: number; lowest: number }>(
        sql`select sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved,
              count(*) filter (where kind = 'reservation')::int as reservations, min(available)::int as lowest
            from (select *, sum(on_hand_delta - reserved_delta) over (order by created_at, id) as available
                  from stock_movements where variant_id = ${variantId}::uuid) m`,
      ),
    ordersWith: async (variantId: string) =>
      (await one<{ n: number }>(
        sql`select count(distinct order_id)::int as n from order_items where variant_id = ${variantId}::uuid`,
      ))!.n,
    outboxRows: () =>
      queryRows<{ id: string; status: string; attempts: number }>(
        db,
        sql`select id, status, attempts from notifications`,
      ),
    /** Enqueues `n` e-mails in one transaction: due all at once. */
    enqueueBacklog: (prefix: string, n: number) =>
      db.transaction(async (tx) => {
        for (let i = 0; i < n; i++)
          await enqueueEmail(tx, {
            key: `${prefix}:${i}`,
            template: 'welcome',
            to: `${prefix}${i}@example.com`,
            data: { name: `Reader ${i}`, shopUrl: 'https://shop.example.com' },
          });
      }),
    /** Connections of this database's instances listening for sync pokes. */
    listeners: async () =>
      (await one<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and query = 'LISTEN nexus_sync'`,
      ))!.n,
  };
}

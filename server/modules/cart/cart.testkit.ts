/** Catalog and cart fixtures for the cart and wishlist tests, built through the public and admin API. */
import { sql } from 'drizzle-orm';
import type { Cart } from '../../../shared/api/cart.schemas.js';
import { queryRows } from '../../db/sql.js';
import { userWithRole, type TestApp } from '../../test/harness.js';

type Headers = Record<string, string>;
type Body = Record<string, unknown>;

export interface FixtureProduct {
  id: string;
  slug: string;
  variants: string[];
}

let seq = 0;

export async function cartKit(app: TestApp) {
  const staff = (await userWithRole(app, 'staff')).auth;
  const db = app.nexus.ctx.db;

  /** An active product with one variant per entry of `stock` (its opening stock), priced `price + i`. */
  async function product(
    options: { stock?: number[]; price?: number; status?: string; name?: string; currency?: string } = {},
  ): Promise<FixtureProduct> {
    const stock = options.stock ?? [10];
    const n = ++seq;
    const sizes = stock.map((_, i) => `S${i}`);
    const res = await app.request
      .post('/api/v1/admin/products')
      .set(staff)
      .send({
        name: options.name ?? `Cart thing ${n}`,
        status: options.status ?? 'active',
        options: [{ name: 'Size', values: sizes }],
        variants: stock.map((initialStock, i) => ({
          sku: `CART-${n}-${i}`,
          optionValues: { Size: sizes[i] },
          priceCents: (options.price ?? 1000) + i,
          ...(options.currency ? { currency: options.currency } : {}),
          ...(initialStock > 0 ? { initialStock } : {}),
        })),
      });
    if (res.status !== 201) throw new Error(`product fixture: ${res.status} ${JSON.stringify(res.body)}`);
    const made = res.body as { id: string; slug: string; variants: { id: string }[] };
    return { id: made.id, slug: made.slug, variants: made.variants.map((v) => v.id) };
  }

  const patchProduct = async (id: string, body: Body) => {
    const res = await app.request.patch(`/api/v1/admin/products/${id}`).set(staff).send(body);
    if (res.status !== 200) throw new Error(`patch fixture: ${res.status} ${JSON.stringify(res.body)}`);
  };

  /** Sets the on-hand level by a stocktake. */
  const setStock = async (variantId: string, counted: number) => {
    const res = await app.request.post('/api/v1/admin/inventory/counts').set(staff).send({ variantId, counted });
    if (res.status !== 201) throw new Error(`stock fixture: ${res.status} ${JSON.stringify(res.body)}`);
  };

  const newGuestCart = async () => {
    const res = await app.request.post('/api/v1/cart').expect(201);
    const { cart, token } = res.body as { cart: Cart; token: string };
    return { token, id: cart.id, headers: { 'X-Cart-Token': token } };
  };

  const add = (headers: Headers, variantId: string, quantity: number) =>
    app.request.post('/api/v1/cart/items').set(headers).send({ variantId, quantity });

  const getCart = async (headers: Headers) =>
    (await app.request.get('/api/v1/cart').set(headers).expect(200)).body as Cart;

  /** The stored lines of a cart, straight from the database. */
  const storedLines = (cartId: string) =>
    queryRows<{ variant_id: string; quantity: number }>(
      db,
      sql`select variant_id, quantity from cart_items where cart_id = ${cartId}::uuid order by added_at, variant_id`,
    );

  /** Makes a cart look unused for `days` days. */
  const age = (cartId: string, days: number) =>
    db.execute(
      sql`update carts set last_active_at = now() - make_interval(days => ${days}::int) where id = ${cartId}::uuid`,
    );

  return { staff, db, product, patchProduct, setStock, newGuestCart, add, getCart, storedLines, age };
}

export const errorPaths = (res: { body: { errors?: { path: string }[] } }) =>
  (res.body.errors ?? []).map((e) => e.path);

/** Helpers shared by the review tests: products through the admin API, paid orders inserted directly. */
import { eq } from 'drizzle-orm';
import { newId } from '../../../shared/domain/ids.js';
import { orderItems, orders, products, reviews, type OrderStatus } from '../../db/schema/index.js';
import { uniqueEmail, userWithRole, type TestApp } from '../../test/harness.js';
import { insertUser } from '../users/users.service.js';

type Headers = Record<string, string>;

export interface TestProduct {
  id: string;
  slug: string;
  name: string;
  variantId: string;
  version: number;
}

/** An active product with one variant, created as staff would. */
export async function createProduct(
  app: TestApp,
  staff: Headers,
  overrides: { name?: string; status?: 'draft' | 'active' | 'archived' } = {},
): Promise<TestProduct> {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({
      name: overrides.name ?? `Reviewed thing ${newId().slice(-8)}`,
      status: overrides.status ?? 'active',
      variants: [{ sku: `RV-${newId()}`, priceCents: 1999, initialStock: 5 }],
    })
    .expect(201);
  const body = res.body as { id: string; slug: string; name: string; version: number; variants: { id: string }[] };
  return { id: body.id, slug: body.slug, name: body.name, variantId: body.variants[0]!.id, version: body.version };
}

/** An order for the user containing the product, in the given status (checkout does not exist yet). */
export async function placeOrder(app: TestApp, userId: string | null, product: TestProduct, status: OrderStatus) {
  const db = app.nexus.ctx.db;
  const [order] = await db
    .insert(orders)
    .values({
      number: `T-${newId()}`,
      userId,
      email: 'buyer@example.com',
      status,
      subtotalCents: 1999,
      totalCents: 1999,
      shippingAddress: { name: 'Buyer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
      paymentProvider: 'test',
    })
    .returning();
  const [item] = await db
    .insert(orderItems)
    .values({
      orderId: order!.id,
      variantId: product.variantId,
      productId: product.id,
      sku: 'SNAPSHOT',
      name: product.name,
      quantity: 1,
      unitPriceCents: 1999,
      lineTotalCents: 1999,
    })
    .returning();
  return { order: order!, item: item! };
}

export interface Member {
  userId: string;
  email: string;
  auth: Headers;
}

/**
 * A customer with a chosen name, inserted directly (tests create dozens: the register endpoint's
 * per-IP rate limit would refuse them). They never log in, so the hash is a placeholder.
 */
export async function member(app: TestApp, name = 'Jane Doe'): Promise<Member> {
  const user = await insertUser(app.nexus.ctx.db, {
    email: uniqueEmail('member'),
    name,
    passwordHash: 'not-a-real-hash',
    role: 'customer',
  });
  const token = await app.nexus.ctx.tokens.sign({ userId: user.id, role: 'customer' });
  return { userId: user.id, email: user.email, auth: { Authorization: `Bearer ${token}` } };
}

export const staffAuth = async (app: TestApp): Promise<Headers> => (await userWithRole(app, 'staff')).auth;

export const review = (overrides: Record<string, unknown> = {}) => ({
  rating: 4,
  title: 'Does the job',
  body: 'Sturdy and well made.',
  ...overrides,
});

export const postReview = (app: TestApp, productIdOrSlug: string, auth: Headers | undefined, body: unknown) => {
  const req = app.request.post(`/api/v1/products/${productIdOrSlug}/reviews`);
  return auth ? req.set(auth).send(body as object) : req.send(body as object);
};

/** The product's stored rating columns and sync version. */
export async function productRow(app: TestApp, productId: string) {
  const [row] = await app.nexus.ctx.db
    .select({ average: products.ratingAverage, count: products.ratingCount, version: products.version })
    .from(products)
    .where(eq(products.id, productId));
  return row!;
}

export const reviewRows = (app: TestApp, productId: string) =>
  app.nexus.ctx.db.select().from(reviews).where(eq(reviews.productId, productId));

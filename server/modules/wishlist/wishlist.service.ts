import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { AddCartItem, Cart } from '../../../shared/api/cart.schemas.js';
import { MAX_WISHLIST_ITEMS, type WishlistItem } from '../../../shared/api/wishlist.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db } from '../../db/client.js';
import { products, variants, wishlistItems } from '../../db/schema/index.js';
import { firstImage } from '../cart/cart.repo.js';
import { addToMemberCart, loadCart } from '../cart/cart.service.js';

const entry = (userId: string, productId: string) =>
  and(eq(wishlistItems.userId, userId), eq(wishlistItems.productId, productId));

/** Newest first. Archived and unpublished products stay listed, marked as not for sale. */
export async function listWishlist(db: Db, userId: string): Promise<WishlistItem[]> {
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      status: products.status,
      minCents: products.minPriceCents,
      maxCents: products.maxPriceCents,
      inStock: products.inStock,
      currency: sql<
        string | null
      >`(select min(${variants.currency}) from ${variants} where ${variants.productId} = ${products.id})`,
      image: firstImage(products.id),
      addedAt: wishlistItems.addedAt,
    })
    .from(wishlistItems)
    .innerJoin(products, eq(products.id, wishlistItems.productId))
    .where(eq(wishlistItems.userId, userId))
    .orderBy(desc(wishlistItems.addedAt), asc(wishlistItems.productId));
  return rows.map((r) => {
    const unavailableReason = r.status !== 'active' ? 'not_for_sale' : r.inStock ? null : 'out_of_stock';
    return {
      product: {
        id: r.id,
        slug: r.slug,
        name: r.name,
        priceRange: { minCents: r.minCents, maxCents: r.maxCents },
        currency: r.currency ?? 'USD',
        image: r.image,
        available: unavailableReason === null,
        unavailableReason,
      },
      addedAt: r.addedAt.toISOString(),
    };
  });
}

/**
 * Idempotent: adding a product already listed changes nothing (its `addedAt` stays). Unknown and
 * unpublished products are 404, as they are to shoppers everywhere; archived ones may be kept.
 */
export async function addToWishlist(db: Db, userId: string, productId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // One writer per wishlist, so the size check below cannot be raced.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`wishlist:${userId}`}, 0))`);
    const [listed] = await tx
      .select({ productId: wishlistItems.productId })
      .from(wishlistItems)
      .where(entry(userId, productId));
    if (listed) return;
    const [product] = await tx.select({ status: products.status }).from(products).where(eq(products.id, productId));
    if (!product || product.status === 'draft') throw notFound('Product');
    const [size] = await tx.select({ n: count() }).from(wishlistItems).where(eq(wishlistItems.userId, userId));
    if ((size?.n ?? 0) >= MAX_WISHLIST_ITEMS) {
      throw new AppError('wishlist_full', `A wishlist holds at most ${MAX_WISHLIST_ITEMS} products; remove one first`);
    }
    await tx.insert(wishlistItems).values({ userId, productId });
  });
}

/** Idempotent: removing a product that is not listed is not an error. */
export async function removeFromWishlist(db: Db, userId: string, productId: string): Promise<void> {
  await db.delete(wishlistItems).where(entry(userId, productId));
}

/**
 * Adds one of the product's variants to the member's cart and takes the product off the
 * wishlist, in one transaction: if the cart refuses (out of stock, archived...), the wishlist
 * keeps the product.
 */
export async function moveToCart(db: Db, userId: string, productId: string, input: AddCartItem): Promise<Cart> {
  const cartId = await db.transaction(async (tx) => {
    const [listed] = await tx
      .select({ productId: wishlistItems.productId })
      .from(wishlistItems)
      .where(entry(userId, productId))
      .for('update');
    if (!listed) throw new AppError('not_found', 'This product is not in your wishlist');
    const id = await addToMemberCart(tx, userId, input, productId);
    await tx.delete(wishlistItems).where(entry(userId, productId));
    return id;
  });
  return loadCart(db, cartId);
}

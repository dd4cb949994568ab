import { z } from 'zod';
import { MAX_LINE_QUANTITY } from './cart.schemas.js';

export const MAX_WISHLIST_ITEMS = 100;

export const productIdParam = z.strictObject({ productId: z.uuid() });

export const moveToCartBody = z.strictObject({
  variantId: z.uuid(),
  quantity: z
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(MAX_LINE_QUANTITY, { message: `must be at most ${MAX_LINE_QUANTITY}` })
    .default(1),
});

export const wishlistProductSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    priceRange: z.object({ minCents: z.number().int().nullable(), maxCents: z.number().int().nullable() }),
    currency: z.string(),
    image: z.object({ url: z.string(), alt: z.string() }).nullable(),
    /** For sale and in stock now. */
    available: z.boolean(),
    /** Why not: archived or unpublished (`not_for_sale`), or sold out. */
    unavailableReason: z.enum(['not_for_sale', 'out_of_stock']).nullable(),
  })
  .meta({ id: 'WishlistProduct' });

export const wishlistItemSchema = z
  .object({ product: wishlistProductSchema, addedAt: z.iso.datetime() })
  .meta({ id: 'WishlistItem' });
export type WishlistItem = z.infer<typeof wishlistItemSchema>;

export const wishlistSchema = z.object({ items: z.array(wishlistItemSchema) }).meta({ id: 'Wishlist' });

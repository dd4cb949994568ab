import { z } from 'zod';

/** Limits shoppers see in errors; the database enforces the per-line one too (CHECK 1..99). */
export const MAX_LINE_QUANTITY = 99;
export const MAX_CART_LINES = 100;
/** A guest cart no one has touched for this long is gone (404) and purged. */
export const GUEST_CART_TTL_DAYS = 30;

export const CART_TOKEN_HEADER = 'X-Cart-Token';

const quantity = (min: number) =>
  z
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(MAX_LINE_QUANTITY, { message: `must be at most ${MAX_LINE_QUANTITY}` });

export const addCartItemBody = z.strictObject({ variantId: z.uuid(), quantity: quantity(1) });
export type AddCartItem = z.infer<typeof addCartItemBody>;

/** `quantity: 0` removes the line. */
export const updateCartItemBody = z.strictObject({ quantity: quantity(0) });

export const variantIdParam = z.strictObject({ variantId: z.uuid() });

export const CART_WARNING_CODES = [
  /** The line's product is archived, unpublished or deleted: it cannot be bought. */
  'product_unavailable',
  /** The variant was deleted from the catalog. */
  'variant_removed',
  /** Nothing is in stock. */
  'out_of_stock',
  /** Fewer are in stock than the line asks for; checkout would refuse the line until it is lowered. */
  'insufficient_stock',
  /** The variant is priced in another currency than the cart. */
  'currency_mismatch',
  /** Merge only: a merged line got less than the two carts held together. */
  'quantity_capped',
  /** Merge only: a guest line did not fit in the member's cart (line limit). */
  'cart_full',
] as const;

export const cartWarningSchema = z
  .object({
    code: z.enum(CART_WARNING_CODES),
    message: z.string(),
    variantId: z.uuid().optional(),
    requestedQuantity: z.number().int().optional(),
    grantedQuantity: z.number().int().optional(),
    availableQuantity: z.number().int().optional(),
  })
  .meta({ id: 'CartWarning' });
export type CartWarning = z.infer<typeof cartWarningSchema>;

export const cartLineSchema = z
  .object({
    variantId: z.uuid(),
    productId: z.uuid(),
    /** Null when the product no longer exists. */
    productSlug: z.string().nullable(),
    name: z.string(),
    variantTitle: z.string(),
    sku: z.string(),
    options: z.record(z.string(), z.string()),
    image: z.object({ url: z.string(), alt: z.string() }).nullable(),
    quantity: z.number().int(),
    /** The catalog's price now; null only when the variant was deleted. */
    unitPriceCents: z.number().int().nullable(),
    lineTotalCents: z.number().int().nullable(),
    /** Can be bought: the product is active, the variant exists and something is in stock. */
    available: z.boolean(),
    availableQuantity: z.number().int(),
    warnings: z.array(cartWarningSchema),
    addedAt: z.iso.datetime(),
  })
  .meta({ id: 'CartLine' });
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartSchema = z
  .object({
    id: z.uuid(),
    currency: z.string(),
    items: z.array(cartLineSchema),
    /** Units over all lines, for a cart badge. */
    itemCount: z.number().int(),
    /** Available lines only. */
    subtotalCents: z.number().int(),
    /** At least one available line and none asking for more than is in stock. */
    checkoutReady: z.boolean(),
    /** Every line's warnings, plus the merge's when answering a merge. */
    warnings: z.array(cartWarningSchema),
    /** When a guest cart expires if left alone; null for a member's cart. */
    expiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Cart' });
export type Cart = z.infer<typeof cartSchema>;

export const newCartSchema = z
  .object({ cart: cartSchema, token: z.string().describe('Send back as X-Cart-Token; shown only once') })
  .meta({ id: 'NewCart' });

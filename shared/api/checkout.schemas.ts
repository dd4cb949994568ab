import { z } from 'zod';
import { emailField } from './common.schemas.js';
import { orderAddressInput, orderSchema } from './orders.schemas.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Printable ASCII, 1–255 characters (a UUID is a good choice). */
export const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/**
 * The checkout body. Prices, totals and lines are never read from the client: fields other than
 * these are ignored (the server prices the cart from the catalog).
 */
export const checkoutBody = z
  .object({
    /** Guests must give one; a member's defaults to their account's. */
    email: emailField.optional(),
    shippingAddress: orderAddressInput,
    billingAddress: orderAddressInput.optional(),
  })
  .meta({ id: 'CheckoutInput' });
export type CheckoutInput = z.infer<typeof checkoutBody>;

export const checkoutResponse = z
  .object({
    order: orderSchema,
    payment: z.object({
      provider: z.string(),
      clientSecret: z.string(),
      publishableKey: z.string().optional(),
    }),
  })
  .meta({ id: 'CheckoutResult' });
export type CheckoutResult = z.infer<typeof checkoutResponse>;

import { z } from 'zod';
import { paginated } from './common.schemas.js';

export const ORDER_STATUS_VALUES = [
  'pending_payment',
  'paid',
  'fulfilled',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;

const text = (max: number) => z.string().trim().min(1, { message: 'is required' }).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** A postal address given at checkout; copied onto the order. */
export const orderAddressInput = z
  .strictObject({
    name: text(120),
    company: optionalText(120),
    line1: text(200),
    line2: optionalText(200),
    city: text(120),
    region: optionalText(120),
    postalCode: text(20),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
      .transform((c) => c.toUpperCase()),
    phone: optionalText(40),
  })
  .meta({ id: 'OrderAddressInput' });

export const orderAddressSchema = z
  .object({
    name: z.string(),
    company: z.string().nullish(),
    line1: z.string(),
    line2: z.string().nullish(),
    city: z.string(),
    region: z.string().nullish(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().nullish(),
  })
  .meta({ id: 'OrderAddress' });

export const orderItemSchema = z
  .object({
    variantId: z.uuid().nullable(),
    sku: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    unitPriceCents: z.number().int(),
    lineTotalCents: z.number().int(),
  })
  .meta({ id: 'OrderItem' });

export const orderSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    status: z.enum(ORDER_STATUS_VALUES),
    email: z.string(),
    items: z.array(orderItemSchema),
    subtotalCents: z.number().int(),
    shippingCents: z.number().int(),
    taxCents: z.number().int(),
    totalCents: z.number().int(),
    currency: z.string(),
    shippingAddress: orderAddressSchema,
    billingAddress: orderAddressSchema.nullable(),
    payment: z.object({ provider: z.string(), status: z.string() }),
    fulfillment: z
      .object({
        carrier: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        shippedAt: z.iso.datetime().nullable(),
      })
      .nullable(),
    /** While pending payment: when the order (and its stock reservation) lapses. */
    expiresAt: z.iso.datetime().nullable(),
    paidAt: z.iso.datetime().nullable(),
    /** Only in the checkout response: the key a guest uses to read the order (`?token=`). */
    accessToken: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof orderSchema>;

export const orderListSchema = paginated(orderSchema).meta({ id: 'OrderList' });

export const orderTokenQuery = z.strictObject({ token: z.string().min(1).max(200).optional() });

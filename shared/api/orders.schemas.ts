import { z } from 'zod';
import { pageQuery, paginated } from './common.schemas.js';

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

// ---- Staff side (API.md "Admin"): list, detail, fulfil, cancel, refunds, notes ----

const queryFlag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** `status=paid&status=fulfilled` or `status=paid,fulfilled`. */
const statusFilter = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',') : v),
  z
    .array(z.enum(ORDER_STATUS_VALUES))
    .min(1)
    .max(ORDER_STATUS_VALUES.length)
    .transform((s) => [...new Set(s)]),
);

export const adminOrdersQuery = pageQuery
  .extend({
    status: statusFilter.optional(),
    /** Created at or after. */
    from: z.iso.datetime().optional(),
    /** Created at or before. */
    to: z.iso.datetime().optional(),
    /** Case-insensitive: the whole address or its beginning. */
    email: z
      .string()
      .trim()
      .min(1)
      .max(254)
      .transform((e) => e.toLowerCase())
      .optional(),
    number: z
      .string()
      .trim()
      .regex(/^NX-\d{1,12}$/i, { message: 'must look like NX-100001' })
      .transform((n) => n.toUpperCase())
      .optional(),
    needsAttention: queryFlag,
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'must not be after `to`',
    path: ['from'],
  });
export type AdminOrdersQuery = z.infer<typeof adminOrdersQuery>;

const staffFields = {
  needsAttention: z.boolean(),
  attentionReason: z.string().nullable(),
  refundedCents: z.number().int(),
  cancellationReason: z.string().nullable(),
};

export const adminOrderSummarySchema = orderSchema.extend(staffFields).meta({ id: 'AdminOrderSummary' });
export const adminOrderListSchema = paginated(adminOrderSummarySchema).meta({ id: 'AdminOrderList' });

export const refundLineSchema = z.strictObject({
  variantId: z.uuid(),
  quantity: z.number().int().min(1).max(100_000),
});

export const REFUND_STATUS_VALUES = ['pending', 'succeeded', 'failed'] as const;

export const refundSchema = z
  .object({
    id: z.uuid(),
    amountCents: z.number().int(),
    currency: z.string(),
    reason: z.string(),
    restock: z.boolean(),
    /** The units put back on hand (once the provider confirmed the refund). */
    lines: z.array(z.object({ variantId: z.uuid(), quantity: z.number().int() })),
    status: z.enum(REFUND_STATUS_VALUES),
    providerRefundId: z.string().nullable(),
    failureReason: z.string().nullable(),
    actor: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Refund' });
export type Refund = z.infer<typeof refundSchema>;

export const orderEventSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    /** `system`, `customer`, `provider:<name>` or `user:<id>` (staff). */
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: 'OrderEvent' });
export type OrderEvent = z.infer<typeof orderEventSchema>;

export const orderNoteSchema = z
  .object({ id: z.uuid(), body: z.string(), actor: z.string(), at: z.iso.datetime() })
  .meta({ id: 'OrderNote' });

export const adminOrderSchema = orderSchema
  .extend({
    ...staffFields,
    refunds: z.array(refundSchema),
    notes: z.array(orderNoteSchema),
    /** Every change of the order, oldest first (notes included). */
    timeline: z.array(orderEventSchema),
  })
  .meta({ id: 'AdminOrder' });
export type AdminOrder = z.infer<typeof adminOrderSchema>;

const staffText = (max: number) => z.string().trim().min(1, { message: 'is required' }).max(max);

export const fulfillInput = z
  .strictObject({ carrier: staffText(60), trackingNumber: staffText(100) })
  .meta({ id: 'FulfillInput' });

export const cancelInput = z.strictObject({ reason: staffText(500).optional() }).meta({ id: 'CancelOrderInput' });

export const refundInput = z
  .strictObject({
    amountCents: z.number().int().min(1).max(100_000_000),
    reason: staffText(500),
    restock: z.boolean(),
    /** With `restock`: the units to put back. Omitted on a full refund: every unit not yet restocked. */
    lines: z.array(refundLineSchema).min(1).max(200).optional(),
  })
  .meta({ id: 'RefundInput' });
export type RefundInput = z.infer<typeof refundInput>;

export const refundResult = z.object({ refund: refundSchema, order: adminOrderSchema }).meta({ id: 'RefundResult' });
export type RefundResult = z.infer<typeof refundResult>;

export const noteInput = z
  .strictObject({ body: z.string().trim().min(1, { message: 'is required' }).max(2000) })
  .meta({ id: 'OrderNoteInput' });

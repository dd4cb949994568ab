/**
 * The shapes the back-office contract answers with (shared/contract/backoffice.ts re-exports them):
 * list items and details as the host derives them, sync status, conflicts, refunds and queued images.
 */
import { z } from 'zod';
import { adminProductSchema, productStatusSchema } from '../api/catalog.schemas.js';
import { adminOrderSummarySchema, ORDER_STATUS_VALUES, orderEventSchema, refundSchema } from '../api/orders.schemas.js';
import { reviewStatusSchema } from '../api/reviews.schemas.js';

/** Product stock states the host derives (electron/host/db/schema.ts PRODUCT_STOCK_STATES). */
export const STOCK_STATES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
/** Product list sorts (electron/host/db/queries.ts PRODUCT_SORTS); a leading '-' is descending. */
export const PRODUCT_SORTS = [
  'name',
  '-name',
  'updated',
  '-updated',
  'price',
  '-price',
  'available',
  '-available',
] as const;

const int = z.number().int();

export { syncStatusSchema, type SyncStatus } from './events.js';

export const sessionUserSchema = z.object({ email: z.string(), name: z.string(), role: z.string() });
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const productListItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  status: productStatusSchema,
  variantCount: int,
  priceMinCents: int.nullable(),
  priceMaxCents: int.nullable(),
  onHand: int,
  available: int,
  stockState: z.enum(STOCK_STATES),
  /** The currency of its prices; null for a product without variants. */
  currency: z.string().nullable(),
  updatedAt: z.string().nullable(),
  version: int,
});

/** The admin API's product, plus the stock the host sums locally. */
export const productDetailSchema = adminProductSchema.extend({
  stockState: z.enum(STOCK_STATES),
  onHand: int,
  available: int,
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const lowStockItemSchema = z.object({
  variantId: z.uuid(),
  sku: z.string(),
  title: z.string(),
  productId: z.uuid(),
  productName: z.string(),
  onHand: int,
  reserved: int,
  available: int,
  lowStockThreshold: int,
});

export const orderListItemSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  status: z.enum(ORDER_STATUS_VALUES),
  email: z.string(),
  /** The customer account's name, else the shipping address's (a guest has no account). */
  customerName: z.string().nullable(),
  totalCents: int,
  currency: z.string(),
  paymentStatus: z.string().nullable(),
  needsAttention: z.boolean(),
  itemCount: int,
  createdAt: z.string(),
});

/**
 * One event of an order's timeline as it is synced down: the admin API's event, its `data` holding
 * only what travels (server/modules/sync/rows.ts ORDER_EVENT_DATA_KEYS), and the name of the staff
 * member its actor is (null for customers, the payment provider and the system).
 */
export const orderTimelineEventSchema = orderEventSchema.extend({ actorName: z.string().nullable() });
export type OrderTimelineEvent = z.infer<typeof orderTimelineEventSchema>;

/**
 * The admin API's order summary, its synced timeline (oldest first), and the staff notes still in
 * this device's outbox whose event has not arrived yet (never both for one note).
 */
export const orderDetailSchema = adminOrderSummarySchema.extend({
  timeline: z.array(orderTimelineEventSchema),
  pendingNotes: z.array(z.object({ mutationId: z.uuid(), note: z.string(), at: z.string() })),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const reviewItemSchema = z.object({
  id: z.uuid(),
  productId: z.uuid(),
  productName: z.string().nullable(),
  rating: int.min(1).max(5),
  title: z.string(),
  body: z.string(),
  status: reviewStatusSchema,
  verifiedPurchase: z.boolean(),
  createdAt: z.string(),
  moderatedAt: z.string().nullable(),
  version: int,
});

export const conflictItemSchema = z.object({
  id: int,
  table: z.string(),
  rowId: z.string(),
  /** The name of the product, variant (SKU) or category, when it is stored. */
  label: z.string().nullable(),
  field: z.string(),
  serverValue: z.unknown(),
  clientValue: z.unknown(),
  mutationId: z.string(),
  at: z.string(),
});

export const rejectionItemSchema = z.object({
  id: int,
  mutationId: z.string(),
  name: z.string(),
  args: z.unknown(),
  code: z.string(),
  message: z.string(),
  at: z.string(),
});

export const oversellItemSchema = z.object({
  id: z.string(),
  variantId: z.string(),
  sku: z.string().nullable(),
  productName: z.string().nullable(),
  locationId: z.string(),
  level: int,
  createdAt: z.string(),
});

/** Order statuses a refund may apply to (money was taken): the server's rule (server/modules/orders/state.ts). */
export const REFUNDABLE_STATUSES = ['paid', 'fulfilled', 'delivered', 'partially_refunded'] as const;

/** What is left to refund on an order, as the UI shows it before asking the server (which has the last word). */
export function refundableCents(order: Pick<OrderDetail, 'status' | 'totalCents' | 'refundedCents'>): number {
  const refundable: readonly string[] = REFUNDABLE_STATUSES;
  return refundable.includes(order.status) ? Math.max(0, order.totalCents - order.refundedCents) : 0;
}

/** The server's answer to a refund: the order as it is now, and the refund (status `pending` while the provider works). */
export const refundOutcomeSchema = orderDetailSchema.extend({ refund: refundSchema });

/**
 * Where product pictures may come from besides the central server itself: Cloudinary's delivery
 * host, when the server keeps its media there (CLOUDINARY_URL). The UI's image policy lets these in.
 */
export const IMAGE_CDN_ORIGINS: readonly string[] = ['https://res.cloudinary.com'];

/** The largest image the host queues: the server's default MEDIA_MAX_BYTES (10 MiB). */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const MEDIA_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/**
 * `pending`: waiting for (or being sent in) the next upload pass; `failed`: the server refused it
 * (`lastError` says why) and it waits for a person to retry or discard it. Sent files leave the queue.
 */
export const MEDIA_UPLOAD_STATUSES = ['pending', 'failed'] as const;

export const pendingUploadSchema = z.object({
  id: z.uuid(),
  productId: z.uuid(),
  fileName: z.string(),
  alt: z.string().nullable(),
  mimeType: z.enum(MEDIA_MIME_TYPES),
  bytes: int,
  width: int,
  height: int,
  status: z.enum(MEDIA_UPLOAD_STATUSES),
  attempts: int,
  lastError: z.string().nullable(),
  /** A small WebP thumbnail as a data: URL, to show the picture before the server has it. */
  preview: z.string(),
  createdAt: z.string(),
});
export type PendingUpload = z.infer<typeof pendingUploadSchema>;

export const mediaUploadInput = z.strictObject({
  productId: z.uuid(),
  fileName: z.string().trim().min(1).max(255),
  /** The file's bytes in base64 (a `data:…;base64,` prefix, as FileReader gives it, is accepted). */
  base64: z.string().min(1),
  alt: z.string().trim().max(500).optional(),
});

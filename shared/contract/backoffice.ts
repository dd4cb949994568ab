/**
 * The one contract between the back-office UI (renderer) and its host process (DESIGN.md style
 * rule 1): every channel is a `feature:verb` name with a zod input and output. The preload and the
 * browser-mode bridge expose exactly these names; the host parses every input with them.
 *
 * Write channels take the same arguments as the named mutations they queue (shared/sync/mutations.ts),
 * except that ids a device may mint are optional here (the host mints them). Lists page with
 * `limit`/`offset` and answer `{items, total, totalCapped}`: totals stop counting at 1000.
 */
import { z } from 'zod';
import { loginBody } from '../api/auth.schemas.js';
import type { FieldError } from '../domain/errors.js';
import type { ChannelName } from './channels.js';
import type { HostEvent } from './events.js';
import {
  categorySchema,
  countInput,
  adjustmentInput,
  MOVEMENT_KINDS,
  movementSchema,
  productCreateInput,
  productStatusSchema,
  stockLevelSchema,
} from '../api/catalog.schemas.js';
import { ORDER_STATUS_VALUES, refundInput } from '../api/orders.schemas.js';
import { reviewStatusSchema } from '../api/reviews.schemas.js';
import { mutationArgs } from '../sync/mutations.js';
import { reportExportInput, reportFileSchema, reportOutputs, reportParams } from './reports.js';
import {
  conflictItemSchema,
  lowStockItemSchema,
  mediaUploadInput,
  orderDetailSchema,
  orderListItemSchema,
  oversellItemSchema,
  pendingUploadSchema,
  PRODUCT_SORTS,
  productDetailSchema,
  productListItemSchema,
  refundOutcomeSchema,
  rejectionItemSchema,
  reviewItemSchema,
  sessionUserSchema,
  STOCK_STATES,
  syncStatusSchema,
} from './shapes.js';

export * from './shapes.js';

const int = z.number().int();
const isoTime = z.iso.datetime({ offset: true });
/** Channels without arguments accept nothing, `undefined` or `{}`. */
const noInput = z.strictObject({}).prefault({});
const ok = z.object({ ok: z.literal(true) });
const limit = (max: number, fallback: number) => int.min(1).max(max).default(fallback);
const offset = int.min(0).default(0);
const byId = z.strictObject({ id: z.uuid() });
const localId = z.strictObject({ id: int.min(1) });
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: int, totalCapped: z.boolean() });
const serverUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

const settingsSchema = z.object({
  serverUrl: z.string().nullable(),
  /**
   * Set when this start found the local database damaged: it was moved aside to `backupPath` (kept,
   * never deleted) and a fresh one opened; signing in downloads everything again.
   */
  storeRecovery: z.object({ reason: z.string(), backupPath: z.string() }).nullable(),
});

const ordersListInput = z
  .strictObject({
    status: z.array(z.enum(ORDER_STATUS_VALUES)).min(1).max(ORDER_STATUS_VALUES.length).optional(),
    /** Matches the order number, the e-mail or the customer's name (any part, any case). */
    q: z.string().trim().min(1).max(254).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: limit(200, 50),
    offset,
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'must not be after `to`',
    path: ['from'],
  })
  .prefault({});

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const backoffice = {
  'catalog:list': channel(
    z
      .strictObject({
        categoryId: z.uuid().optional(),
        status: productStatusSchema.optional(),
        stockState: z.enum(STOCK_STATES).optional(),
        sort: z.enum(PRODUCT_SORTS).default('name'),
        limit: limit(200, 50),
        offset,
      })
      .prefault({}),
    page(productListItemSchema),
  ),
  'catalog:search': channel(
    z.strictObject({
      q: z.string().trim().min(1).max(200),
      status: productStatusSchema.optional(),
      limit: limit(100, 20),
    }),
    items(productListItemSchema.extend({ score: z.number() })),
  ),
  'catalog:get': channel(byId, productDetailSchema),
  'catalog:createProduct': channel(productCreateInput, productDetailSchema),
  'catalog:updateProduct': channel(mutationArgs['product.update'], productDetailSchema),
  'catalog:archiveProduct': channel(mutationArgs['product.archive'], productDetailSchema),
  'catalog:createVariant': channel(mutationArgs['variant.create'].partial({ id: true }), productDetailSchema),
  'catalog:updateVariant': channel(mutationArgs['variant.update'], productDetailSchema),
  'categories:list': channel(noInput, items(categorySchema)),
  'categories:create': channel(mutationArgs['category.create'].partial({ id: true }), categorySchema),
  'categories:update': channel(mutationArgs['category.update'], categorySchema),
  'stock:adjust': channel(adjustmentInput, stockLevelSchema),
  'stock:count': channel(countInput, stockLevelSchema),
  'stock:movements': channel(
    z
      .strictObject({
        variantId: z.uuid().optional(),
        kind: z.enum(MOVEMENT_KINDS).optional(),
        from: isoTime.optional(),
        to: isoTime.optional(),
        limit: limit(200, 50),
        offset,
      })
      .prefault({}),
    // The variant's SKU and product name ride along, so a history needs no lookup per row (null: variant gone).
    page(movementSchema.extend({ sku: z.string().nullable(), productName: z.string().nullable() })),
  ),
  'stock:lowStock': channel(z.strictObject({ limit: limit(500, 100), offset }).prefault({}), page(lowStockItemSchema)),
  // Every variant's stock, in SKU order; `q`: SKUs starting with it first, then variants of products it finds.
  'stock:levels': channel(
    z.strictObject({ q: z.string().trim().min(1).max(200).optional(), limit: limit(200, 50), offset }).prefault({}),
    page(lowStockItemSchema),
  ),
  'orders:list': channel(ordersListInput, page(orderListItemSchema)),
  'orders:get': channel(byId, orderDetailSchema),
  'orders:fulfill': channel(mutationArgs['order.fulfill'], orderDetailSchema),
  'orders:cancel': channel(mutationArgs['order.cancel'], orderDetailSchema),
  'orders:note': channel(mutationArgs['order.note'], orderDetailSchema),
  'reviews:list': channel(
    z
      .strictObject({
        status: reviewStatusSchema.optional(),
        productId: z.uuid().optional(),
        limit: limit(200, 50),
        offset,
      })
      .prefault({}),
    page(reviewItemSchema),
  ),
  'reviews:moderate': channel(mutationArgs['review.moderate'], reviewItemSchema),
  'conflicts:list': channel(noInput, items(conflictItemSchema)),
  'conflicts:resolve': channel(
    localId.extend({ keep: z.enum(['server', 'mine']) }),
    z.object({ id: int, keep: z.enum(['server', 'mine']), queuedSeq: int.nullable() }),
  ),
  'rejections:list': channel(noInput, items(rejectionItemSchema)),
  'rejections:dismiss': channel(localId, ok),
  'oversells:list': channel(noInput, items(oversellItemSchema)),
  'sync:status': channel(noInput, syncStatusSchema),
  'sync:now': channel(noInput, syncStatusSchema),
  'auth:login': channel(loginBody.extend({ serverUrl: serverUrl.optional() }), sessionUserSchema),
  'auth:logout': channel(noInput, ok),
  'auth:session': channel(noInput, sessionUserSchema.nullable()),
  'settings:get': channel(noInput, settingsSchema),
  'settings:setServerUrl': channel(z.strictObject({ url: serverUrl }), settingsSchema),
  // Reports (shapes in reports.ts): computed from the local store, so they work offline.
  'reports:sales': channel(reportParams.sales, reportOutputs.sales),
  'reports:topProducts': channel(reportParams.topProducts, reportOutputs.topProducts),
  'reports:inventoryValuation': channel(reportParams.inventoryValuation, reportOutputs.inventoryValuation),
  'reports:lowStock': channel(reportParams.lowStock, reportOutputs.lowStock),
  'reports:movements': channel(reportParams.movements, reportOutputs.movements),
  'reports:orders': channel(reportParams.orders, reportOutputs.orders),
  'reports:export': channel(reportExportInput, reportFileSchema),
  // Online only: money moves at the payment provider, so a refund is never queued.
  'orders:refund': channel(refundInput.extend({ orderId: z.uuid() }), refundOutcomeSchema),
  // Product images: queued on this device, sent in order whenever the server is reachable.
  'media:upload': channel(mediaUploadInput, pendingUploadSchema),
  'media:pending': channel(
    z.strictObject({ productId: z.uuid().optional() }).prefault({}),
    z.object({ items: z.array(pendingUploadSchema), pending: int, failed: int }),
  ),
  'media:retry': channel(byId, pendingUploadSchema),
  'media:discard': channel(byId, ok),
} as const satisfies Record<ChannelName, { input: z.ZodType; output: z.ZodType }>;

export type Backoffice = typeof backoffice;
export { CHANNEL_NAMES, type ChannelName, isChannelName } from './channels.js';

/** What the UI sends (defaults not yet applied). */
export type ChannelInput<K extends ChannelName> = z.input<Backoffice[K]['input']>;
/** What a host handler receives, after parsing (defaults applied, strings trimmed). */
export type ChannelArgs<K extends ChannelName> = z.output<Backoffice[K]['input']>;
export type ChannelOutput<K extends ChannelName> = z.output<Backoffice[K]['output']>;

export { hostEventSchema, type HostEvent } from './events.js';

/** A contract error as the UI sees it: a stable code, a message, and per-field messages for forms. */
export interface BridgeError {
  code: string;
  message: string;
  errors?: FieldError[];
}
/** Every call answers this envelope, over IPC and over HTTP alike: errors cross both intact. */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** Whether an answer read off the wire (HTTP body, socket message) has the envelope's shape. */
export function isBridgeResult(body: unknown): body is BridgeResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'value' in body;
  return body.ok === false && 'error' in body && typeof body.error === 'object' && body.error !== null;
}

/**
 * What the preload puts on `window.nexus` (and what the browser-mode bridge builds over fetch):
 * one function per channel, named exactly as the channel, plus the event subscription.
 */
export type BackofficeBridge = {
  [K in ChannelName]: (input?: ChannelInput<K>) => Promise<BridgeResult<ChannelOutput<K>>>;
} & { onEvent(listener: (event: HostEvent) => void): () => void };

/**
 * The optimistic local result of each named mutation (SYNC.md rule 4), as pure functions over
 * wire rows (the camelCase rows the pull feed sends: server/modules/sync/rows.ts). The host uses
 * them twice: when a person makes a change (the row shows it at once) and when pulled rows arrive
 * under changes still in the outbox (each is re-applied on top, so the screen never flickers back).
 *
 * They mirror what the server's services do to the same row, as far as a device can know it:
 * fields the server derives (slugs made unique, ratings, ledger movements) are left to the next
 * pull, which replaces the whole row. A change the server would refuse (fulfilling a cancelled
 * order, editing an archived product) is a `Refusal` here too: the host refuses it up front, and a
 * rebase skips it, so the server's row shows through.
 */
import slugify from 'slugify';
import type { ErrorCode } from '../domain/errors.js';
import type { Mutation, MutationArgs } from './mutations.js';

export type WireRow = Record<string, unknown>;
export interface Refusal {
  code: ErrorCode;
  message: string;
}
export type Outcome = { ok: true; row: WireRow } | ({ ok: false } & Refusal);

const done = (row: WireRow): Outcome => ({ ok: true, row });
const refuse = (code: ErrorCode, message: string): Outcome => ({ ok: false, code, message });

/** The row a mutation changes: an existing row, a stock level (variant × location), or a row it creates. */
export type Target =
  | { kind: 'row'; table: 'products' | 'variants' | 'categories' | 'orders' | 'reviews'; id: string }
  | { kind: 'stock'; variantId: string; locationId: string | undefined }
  | { kind: 'create'; table: 'products' | 'variants' | 'categories'; id: string };

export type CreateMutation = Extract<Mutation, { name: 'product.create' | 'variant.create' | 'category.create' }>;
export type RowMutation = Exclude<Mutation, CreateMutation>;

export const isCreate = (m: Mutation): m is CreateMutation => m.name.endsWith('.create');

export function mutationTarget(m: Mutation): Target {
  switch (m.name) {
    case 'product.create':
      return { kind: 'create', table: 'products', id: m.args.id };
    case 'variant.create':
      return { kind: 'create', table: 'variants', id: m.args.id };
    case 'category.create':
      return { kind: 'create', table: 'categories', id: m.args.id };
    case 'product.update':
    case 'product.archive':
      return { kind: 'row', table: 'products', id: m.args.productId };
    case 'variant.update':
      return { kind: 'row', table: 'variants', id: m.args.variantId };
    case 'category.update':
      return { kind: 'row', table: 'categories', id: m.args.categoryId };
    case 'stock.adjust':
    case 'stock.count':
      return { kind: 'stock', variantId: m.args.variantId, locationId: m.args.locationId };
    case 'order.fulfill':
    case 'order.cancel':
    case 'order.note':
      return { kind: 'row', table: 'orders', id: m.args.orderId };
    case 'review.moderate':
      return { kind: 'row', table: 'reviews', id: m.args.reviewId };
  }
}

/** A URL slug from a name, as the server makes one before making it unique (which only the server can). */
export function slugFor(text: string): string {
  const slug = slugify(text, { lower: true, strict: true, trim: true }).slice(0, 100).replace(/-+$/, '');
  return slug || 'item';
}

type VariantArgs = MutationArgs<'variant.create'>;
type Options = { name: string; values: string[] }[];

function variantTitle(options: Options, values: Record<string, string> | undefined): string {
  const parts = options.map((o) => values?.[o.name]).filter((v): v is string => Boolean(v));
  return parts.length > 0 ? parts.join(' / ') : 'Default';
}

/** A new variant row; `index` is its place in the product's list (the default position). */
export function newVariantRow(
  productId: string,
  v: Omit<VariantArgs, 'productId' | 'initialStock'>,
  index: number,
  options: Options,
  at: string,
): WireRow {
  return {
    id: v.id,
    productId,
    sku: v.sku,
    title: v.title || variantTitle(options, v.optionValues),
    optionValues: v.optionValues ?? {},
    priceCents: v.priceCents,
    compareAtPriceCents: v.compareAtPriceCents ?? null,
    costCents: v.costCents ?? null,
    currency: v.currency ?? 'USD',
    barcode: v.barcode ?? null,
    weightGrams: v.weightGrams ?? null,
    lowStockThreshold: v.lowStockThreshold ?? 5,
    position: v.position ?? index,
    createdAt: at,
    updatedAt: at,
  };
}

export interface NewProductRows {
  product: WireRow;
  variants: WireRow[];
  /** Opening stock per variant (only those with some), for the default location. */
  stock: { variantId: string; onHand: number }[];
}

/** product.create: the product and those of its variants that carry an id (the host always mints them). */
export function newProductRows(args: MutationArgs<'product.create'>, at: string): NewProductRows {
  const options = args.options ?? [];
  const withIds = args.variants.flatMap((v, i) => (v.id ? [{ v: { ...v, id: v.id }, i }] : []));
  return {
    product: {
      id: args.id,
      slug: args.slug ?? slugFor(args.name),
      name: args.name,
      description: args.description ?? '',
      status: args.status ?? 'draft',
      categoryIds: args.categoryIds ?? [],
      tags: args.tags ?? [],
      options,
      createdAt: at,
      updatedAt: at,
    },
    variants: withIds.map(({ v, i }) => newVariantRow(args.id, v, i, options, at)),
    stock: withIds.flatMap(({ v }) => (v.initialStock ? [{ variantId: v.id, onHand: v.initialStock }] : [])),
  };
}

export function newCategoryRow(args: MutationArgs<'category.create'>, at: string): WireRow {
  return {
    id: args.id,
    name: args.name,
    slug: args.slug ?? slugFor(args.name),
    parentId: args.parentId ?? null,
    description: args.description ?? '',
    position: args.position ?? 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** A stock level created here because none was synced yet for this variant and location. */
export const newLevelRow = (id: string, variantId: string, locationId: string, at: string): WireRow => ({
  id,
  variantId,
  locationId,
  onHand: 0,
  reserved: 0,
  updatedAt: at,
});

const archived = (product: WireRow) => product.status === 'archived';
const archivedRefusal = (product: WireRow) =>
  refuse('conflict', `"${String(product.name)}" is archived: restore it (set its status) before editing it`);

/** Editing an archived product is refused by the server unless the edit restores it (sync apply.ts). */
export function patchProduct(product: WireRow, patch: MutationArgs<'product.update'>['patch'], at: string): Outcome {
  const restores = patch.status !== undefined && patch.status !== 'archived';
  if (archived(product) && !restores) return archivedRefusal(product);
  return done({ ...product, ...patch, updatedAt: at });
}

export const archiveProduct = (product: WireRow, at: string): Outcome =>
  done({ ...product, status: 'archived', updatedAt: at });

/** `product` is the variant's product when it is stored; its archive blocks the edit as on the server. */
export function patchVariant(
  variant: WireRow,
  patch: MutationArgs<'variant.update'>['patch'],
  product: WireRow | undefined,
  at: string,
): Outcome {
  if (product && archived(product)) return archivedRefusal(product);
  return done({ ...variant, ...patch, updatedAt: at });
}

export const patchCategory = (
  category: WireRow,
  patch: MutationArgs<'category.update'>['patch'],
  at: string,
): Outcome => done({ ...category, ...patch, updatedAt: at });

const ADJUSTMENT_SIGNS: Record<string, 1 | -1> = { received: 1, return: 1, damage: -1, sale: -1 };

/** The server's rule for manual adjustments: received and returned stock adds, damage and sales remove. */
export function checkAdjustment(args: MutationArgs<'stock.adjust'>): Refusal | null {
  const sign = ADJUSTMENT_SIGNS[args.reason];
  if (sign === undefined || Math.sign(args.delta) === sign) return null;
  return {
    code: 'validation_failed',
    message: `delta must be ${sign > 0 ? 'positive' : 'negative'} for ${args.reason}`,
  };
}

const onHandOf = (level: WireRow) => (typeof level.onHand === 'number' ? level.onHand : 0);

/** Deltas never refuse for lack of stock: a level below zero is an oversell the server flags (rule 5). */
export const adjustLevel = (level: WireRow, delta: number, at: string): WireRow => ({
  ...level,
  onHand: onHandOf(level) + delta,
  updatedAt: at,
});

/** With `expected` the count corrects by counted − expected (sales since the count stay), else it sets the level. */
export function countLevel(level: WireRow, args: { counted: number; expected?: number | undefined }, at: string) {
  const onHand = args.expected === undefined ? args.counted : onHandOf(level) + args.counted - args.expected;
  return { ...level, onHand, updatedAt: at };
}

const ORDER_TRANSITIONS: Record<string, readonly string[]> = {
  fulfilled: ['paid', 'partially_refunded'],
  cancelled: ['pending_payment', 'paid'],
};

const transitionRefusal = (order: WireRow, to: string) =>
  refuse(
    'invalid_order_transition',
    `Order ${String(order.number)} is ${String(order.status).replace('_', ' ')} and cannot become ${to}`,
  );

export function fulfillOrder(order: WireRow, args: { carrier: string; trackingNumber: string }, at: string) {
  if (!ORDER_TRANSITIONS.fulfilled!.includes(String(order.status)) || order.shippedAt)
    return transitionRefusal(order, 'fulfilled');
  return done({
    ...order,
    status: 'fulfilled',
    fulfillmentCarrier: args.carrier,
    fulfillmentTrackingNumber: args.trackingNumber,
    shippedAt: at,
    updatedAt: at,
  });
}

/** Money was taken: cancelling refunds it, which needs the payment provider and so a connection (SYNC.md). */
export const isPaid = (order: WireRow): boolean => order.status === 'paid' || order.paymentStatus === 'succeeded';

export function cancelOrder(order: WireRow, at: string): Outcome {
  if (!ORDER_TRANSITIONS.cancelled!.includes(String(order.status))) return transitionRefusal(order, 'cancelled');
  // The server answers such a push `rejected needs_connection` (the refund needs the provider): refuse it here already.
  if (isPaid(order))
    return refuse(
      'needs_connection',
      `Order ${String(order.number)} is paid: cancelling it refunds the payment, and refunds need a connection to the server`,
    );
  return done({ ...order, status: 'cancelled', cancelledAt: at, cancellationReason: 'staff', updatedAt: at });
}

export const moderateReview = (review: WireRow, status: string, at: string): WireRow => ({
  ...review,
  status,
  moderatedAt: at,
  moderationNote: null,
  updatedAt: at,
});

/** What the row of `mutation`'s target becomes; `product` is needed by variant.update only. */
export function applyToRow(m: RowMutation, row: WireRow, at: string, product?: WireRow): Outcome {
  switch (m.name) {
    case 'product.update':
      return patchProduct(row, m.args.patch, at);
    case 'product.archive':
      return archiveProduct(row, at);
    case 'variant.update':
      return patchVariant(row, m.args.patch, product, at);
    case 'category.update':
      return patchCategory(row, m.args.patch, at);
    case 'stock.adjust':
      return done(adjustLevel(row, m.args.delta, at));
    case 'stock.count':
      return done(countLevel(row, m.args, at));
    case 'order.fulfill':
      return fulfillOrder(row, m.args, at);
    case 'order.cancel':
      return cancelOrder(row, at);
    // A note is an event of the order's timeline (order_events, synced down): the order row is unchanged.
    case 'order.note':
      return done(row);
    case 'review.moderate':
      return done(moderateReview(row, m.args.status, at));
  }
}

/**
 * The back-office host's local SQLite schema (SYNC.md; DESIGN.md "electron/host/db").
 *
 * Synced tables mirror the server rows the pull feed sends (wire rows are the server's drizzle
 * columns in camelCase). Each keeps the server `version` (a row is only ever replaced by a higher
 * one), the columns the back-office filters, sorts and reports on as real columns, and the whole
 * wire row as JSON in `data`, so a field the server adds later survives until a migration needs it.
 * No foreign keys between synced tables: rows of one page, and of successive pages, arrive in the
 * server's change order, so a variant may land before its product.
 *
 * Columns marked "local" are derived here (stock sums, price range, stock state), kept by
 * derived.ts in the transaction of the write that changes their inputs; they never come from the wire.
 * The FTS5 index over products is created by a hand-written migration (drizzle-kit cannot declare
 * virtual tables); see derived.ts for how it is kept.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const version = () => integer('version').notNull();
const data = () => text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull();

export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    version: version(),
    data: data(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);

export const PRODUCT_STOCK_STATES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type ProductStockState = (typeof PRODUCT_STOCK_STATES)[number];

export const products = sqliteTable(
  'products',
  {
    /** Local integer key: the FTS5 index's rowid. Stable for the row's life (VACUUM keeps an INTEGER PRIMARY KEY). */
    rid: integer('rid').primaryKey(),
    id: text('id').notNull().unique(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').notNull(),
    categoryIds: text('category_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
    version: version(),
    data: data(),
    // local
    variantCount: integer('variant_count').notNull().default(0),
    priceMinCents: integer('price_min_cents'),
    priceMaxCents: integer('price_max_cents'),
    onHand: integer('on_hand').notNull().default(0),
    available: integer('available').notNull().default(0),
    stockState: text('stock_state').$type<ProductStockState>().notNull().default('out_of_stock'),
    /** Local: the currency its variants' prices are in (the least, should they differ); null without variants. */
    currency: text('currency'),
  },
  (t) => [
    index('products_name_idx').on(sql`${t.name} collate nocase`, t.id),
    index('products_status_name_idx').on(t.status, sql`${t.name} collate nocase`, t.id),
    index('products_updated_idx').on(t.updatedAt, t.id),
    index('products_price_idx').on(t.priceMinCents, t.id),
    // status rides along so "low stock, active only" lists and their counts need no table lookup.
    index('products_stock_state_idx').on(t.stockState, t.available, t.id, t.status),
    // Covering (id → status, stock state) for joins that only filter: category lists, the low-stock list.
    index('products_id_filter_idx').on(t.id, t.status, t.stockState),
  ],
);

/** Local: one row per (product, category) from products.category_ids, for the category filter. */
export const productCategories = sqliteTable(
  'product_categories',
  {
    categoryId: text('category_id').notNull(),
    productId: text('product_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.categoryId, t.productId] }),
    index('product_categories_product_idx').on(t.productId),
  ],
);

export const variants = sqliteTable(
  'variants',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    sku: text('sku').notNull(),
    title: text('title').notNull().default(''),
    priceCents: integer('price_cents').notNull(),
    compareAtPriceCents: integer('compare_at_price_cents'),
    costCents: integer('cost_cents'),
    currency: text('currency').notNull().default('USD'),
    barcode: text('barcode'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(5),
    position: integer('position').notNull().default(0),
    version: version(),
    data: data(),
    // local: sums over stock_levels
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
  },
  (t) => [
    index('variants_product_idx').on(t.productId),
    index('variants_sku_idx').on(sql`${t.sku} collate nocase`),
    // The low-stock list (queries.ts lowStock) walks this in order and stops at the page.
    index('variants_low_stock_idx')
      .on(sql`${t.onHand} - ${t.reserved}`, t.sku)
      .where(sql`${t.onHand} - ${t.reserved} <= ${t.lowStockThreshold}`),
  ],
);

export const productImages = sqliteTable(
  'product_images',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    url: text('url').notNull(),
    alt: text('alt').notNull().default(''),
    width: integer('width'),
    height: integer('height'),
    position: integer('position').notNull().default(0),
    version: version(),
    data: data(),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position)],
);

export const stockLocations = sqliteTable('stock_locations', {
  id: text('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  version: version(),
  data: data(),
});

export const stockLevels = sqliteTable(
  'stock_levels',
  {
    id: text('id').primaryKey(),
    variantId: text('variant_id').notNull(),
    locationId: text('location_id').notNull(),
    onHand: integer('on_hand').notNull(),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: text('updated_at'),
    version: version(),
    data: data(),
  },
  (t) => [
    index('stock_levels_variant_idx').on(t.variantId, t.locationId),
    /**
     * Placeholders only (version 0: a level made here by a local stock mutation before the server's
     * arrives): finding whether any exist, and those to retire, without reading every level. Tiny,
     * so a first download keeps it while it drops the others (first-download.ts).
     */
    index('stock_levels_placeholder_idx')
      .on(t.variantId, t.locationId)
      .where(sql`${t.version} = 0`),
  ],
);

export const stockMovements = sqliteTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    variantId: text('variant_id').notNull(),
    locationId: text('location_id').notNull(),
    kind: text('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull().default(0),
    reservedDelta: integer('reserved_delta').notNull().default(0),
    reason: text('reason').notNull(),
    reference: text('reference'),
    onHandAfter: integer('on_hand_after').notNull(),
    createdAt: text('created_at').notNull(),
    version: version(),
    data: data(),
  },
  (t) => [
    index('stock_movements_variant_idx').on(t.variantId, t.createdAt),
    index('stock_movements_created_idx').on(t.createdAt),
  ],
);

export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  version: version(),
  data: data(),
});

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    userId: text('user_id'),
    email: text('email').notNull(),
    status: text('status').notNull(),
    currency: text('currency').notNull().default('USD'),
    subtotalCents: integer('subtotal_cents').notNull(),
    shippingCents: integer('shipping_cents').notNull().default(0),
    taxCents: integer('tax_cents').notNull().default(0),
    totalCents: integer('total_cents').notNull(),
    refundedCents: integer('refunded_cents').notNull().default(0),
    paymentStatus: text('payment_status'),
    needsAttention: integer('needs_attention', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    paidAt: text('paid_at'),
    shippedAt: text('shipped_at'),
    version: version(),
    data: data(),
  },
  (t) => [
    index('orders_created_idx').on(t.createdAt, t.id),
    index('orders_status_created_idx').on(t.status, t.createdAt),
    index('orders_email_idx').on(sql`${t.email} collate nocase`),
    index('orders_number_idx').on(t.number),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    variantId: text('variant_id'),
    productId: text('product_id'),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    lineTotalCents: integer('line_total_cents').notNull(),
    version: version(),
    data: data(),
  },
  (t) => [index('order_items_order_idx').on(t.orderId), index('order_items_product_idx').on(t.productId)],
);

/**
 * An order's timeline from the server (notes, payments, shipments, cancellations, refunds), read-only
 * here: a device adds a note through the `order.note` mutation, whose event arrives with the pull
 * under the mutation's id. Append-only on the server, so a row is never replaced. The event's own
 * payload is the wire field `data`, inside this table's `data` (the wire row) at `$.data`.
 */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    createdAt: text('created_at').notNull(),
    version: version(),
    data: data(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.createdAt)],
);

export const reviews = sqliteTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    userId: text('user_id'),
    rating: integer('rating').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull(),
    verifiedPurchase: integer('verified_purchase', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    version: version(),
    data: data(),
  },
  (t) => [index('reviews_status_created_idx').on(t.status, t.createdAt), index('reviews_product_idx').on(t.productId)],
);

/**
 * Deletes received from the feed, by table and row: an upsert no newer than its tombstone is
 * ignored, so replaying an old page never brings a deleted row back. Cleared with the synced data.
 */
export const syncTombstones = sqliteTable(
  'sync_tombstones',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
);

/**
 * Stock levels that went below zero (SYNC.md rule 5). The server flags them (a trigger on its
 * stock_levels, whatever the path) and syncs them down like any other table; open while
 * `resolved_at` is null.
 */
export const stockOversells = sqliteTable(
  'stock_oversells',
  {
    id: text('id').primaryKey(),
    variantId: text('variant_id').notNull(),
    locationId: text('location_id').notNull(),
    level: integer('level').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    version: version(),
    data: data(),
  },
  (t) => [index('stock_oversells_open_idx').on(t.resolvedAt, t.variantId)],
);

export * from './schema-local.js';

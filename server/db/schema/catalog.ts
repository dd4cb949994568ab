import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../../shared/domain/ids.js';
import { syncVersion } from './sync-columns.js';
import { createdAt, updatedAt } from './users.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const productStatusEnum = pgEnum('product_status', ['draft', 'active', 'archived']);

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('categories_slug_key').on(t.slug),
    index('categories_parent_idx').on(t.parentId),
    index('categories_version_idx').on(t.version),
  ],
);

export interface ProductOption {
  name: string;
  values: string[];
}

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: productStatusEnum('status').notNull().default('draft'),
    /** Category membership as an array: it syncs as one product field and filters through a GIN index. */
    categoryIds: uuid('category_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    options: jsonb('options').$type<ProductOption[]>().notNull().default([]),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Derived columns below are kept by the catalog services for fast browsing; they do not
    // bump `version` (the sync trigger ignores them), so stock or rating churn is not a product edit.
    searchDocument: tsvector('search_document'),
    minPriceCents: integer('min_price_cents'),
    maxPriceCents: integer('max_price_cents'),
    inStock: boolean('in_stock').notNull().default(false),
    ratingAverage: numeric('rating_average', { precision: 3, scale: 2, mode: 'number' }).notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    salesCount: integer('sales_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('products_slug_key').on(t.slug),
    index('products_version_idx').on(t.version),
    index('products_search_idx').using('gin', t.searchDocument),
    index('products_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('products_category_ids_idx').using('gin', t.categoryIds),
    // One index per sort, on exactly its ORDER BY (search.service.ts orderBy), so a browse walks
    // the index in order and stops at the page instead of sorting every match.
    index('products_active_price_idx')
      .on(t.minPriceCents.asc().nullsLast(), t.id)
      .where(sql`${t.status} = 'active'`),
    index('products_active_price_desc_idx')
      .on(t.minPriceCents.desc().nullsLast(), t.id)
      .where(sql`${t.status} = 'active'`),
    index('products_active_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'active'`),
    index('products_active_rating_idx')
      .on(t.ratingAverage.desc(), t.ratingCount.desc(), t.id)
      .where(sql`${t.status} = 'active'`),
    index('products_active_sales_idx')
      .on(t.salesCount.desc(), t.id)
      .where(sql`${t.status} = 'active'`),
  ],
);

export const variants = pgTable(
  'variants',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    title: text('title').notNull().default(''),
    /** Option name → value, e.g. {"Size": "M", "Colour": "Red"}; must match the product's options. */
    optionValues: jsonb('option_values').$type<Record<string, string>>().notNull().default({}),
    priceCents: integer('price_cents').notNull(),
    compareAtPriceCents: integer('compare_at_price_cents'),
    costCents: integer('cost_cents'),
    currency: text('currency').notNull().default('USD'),
    barcode: text('barcode'),
    weightGrams: integer('weight_grams'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(5),
    position: integer('position').notNull().default(0),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('variants_sku_key').on(t.sku),
    index('variants_product_idx').on(t.productId),
    index('variants_version_idx').on(t.version),
    index('variants_sku_trgm_idx').using('gin', sql`${t.sku} gin_trgm_ops`),
  ],
);

/**
 * Every plain word (no digits or punctuation) of the products' search documents, once: the
 * dictionary that typo tolerance corrects against (a shopper's "cofee" becomes "coffee" by
 * trigram similarity over some thousands of short words, instead of over every product).
 * Derived by refreshProducts; a word no product uses any more stays and simply matches nothing. Not synced.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    term: text('term').primaryKey(),
  },
  (t) => [
    index('search_terms_prefix_idx').on(t.term.op('text_pattern_ops')),
    index('search_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`),
  ],
);

export const productImages = pgTable(
  'product_images',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** Where the original lives in the media store (a local key or a Cloudinary public id). */
    storageKey: text('storage_key').notNull(),
    url: text('url').notNull(),
    alt: text('alt').notNull().default(''),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    position: integer('position').notNull().default(0),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('product_images_product_idx').on(t.productId, t.position),
    index('product_images_version_idx').on(t.version),
  ],
);

/** Deleted synced rows: the pull feed carries them as `delete` changes. */
export const syncTombstones = pgTable(
  'sync_tombstones',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] }), index('sync_tombstones_version_idx').on(t.version)],
);

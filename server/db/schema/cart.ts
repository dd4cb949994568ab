import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../../shared/domain/ids.js';
import { products } from './catalog.js';
import { createdAt, updatedAt, users } from './users.js';

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Shopping carts (not synced: the back-office never sees them). A cart belongs either to a member
 * (`user_id`, one persistent cart per member) or to a guest holding a token, of which only the
 * SHA-256 is stored. Guest carts expire after a stretch of inactivity (`last_active_at`).
 */
export const carts = pgTable(
  'carts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash'),
    currency: text('currency').notNull().default('USD'),
    /**
     * Set when a guest cart has been merged into a member's cart. The token then finds nothing,
     * but a replay of the same merge by that member is recognised instead of adding twice.
     */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => carts.id, { onDelete: 'cascade' }),
    lastActiveAt: tsz('last_active_at').notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('carts_user_key').on(t.userId),
    uniqueIndex('carts_token_hash_key').on(t.tokenHash),
    index('carts_guest_activity_idx')
      .on(t.lastActiveAt)
      .where(sql`${t.userId} is null`),
    index('carts_merged_into_idx')
      .on(t.mergedIntoId)
      .where(sql`${t.mergedIntoId} is not null`),
    check('carts_one_owner', sql`(${t.userId} is null) <> (${t.tokenHash} is null)`),
  ],
);

/**
 * One line per variant. `variant_id` has no foreign key on purpose: when a variant is deleted its
 * line stays in the cart (shown as no longer sold) until the shopper removes it, and the
 * snapshot columns (what the line was when last added) name it then.
 */
export const cartItems = pgTable(
  'cart_items',
  {
    cartId: uuid('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').notNull(),
    quantity: integer('quantity').notNull(),
    productId: uuid('product_id').notNull(),
    productName: text('product_name').notNull(),
    variantTitle: text('variant_title').notNull(),
    sku: text('sku').notNull(),
    addedAt: tsz('added_at').notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.cartId, t.variantId] }),
    check('cart_items_quantity_range', sql`${t.quantity} between 1 and 99`),
  ],
);

export const wishlistItems = pgTable(
  'wishlist_items',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    addedAt: tsz('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.productId] }),
    // Deleting a product cascades here: without this index that would scan every wishlist.
    index('wishlist_items_product_idx').on(t.productId),
  ],
);

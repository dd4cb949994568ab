import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { REVIEW_LIMITS, REVIEW_STATUSES } from '../../../shared/api/reviews.schemas.js';
import { newId } from '../../../shared/domain/ids.js';
import { products } from './catalog.js';
import { syncVersion } from './sync-columns.js';
import { createdAt, updatedAt, users } from './users.js';

export const reviewStatusEnum = pgEnum('review_status', REVIEW_STATUSES);

/**
 * Product reviews. Title and body are plain text exactly as written (never HTML-encoded);
 * the checks repeat the API's limits so no other writer can store what the API refuses.
 * Approved reviews feed products.rating_average / rating_count (reviews module).
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    status: reviewStatusEnum('status').notNull().default('pending'),
    /** Set once, at creation: the author had a paid order containing the product. */
    verifiedPurchase: boolean('verified_purchase').notNull().default(false),
    moderatedBy: uuid('moderated_by').references(() => users.id, { onDelete: 'set null' }),
    moderatedAt: timestamp('moderated_at', { withTimezone: true, mode: 'date' }),
    moderationNote: text('moderation_note'),
    version: syncVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One review per member and product; a second insert is a 409, decided by the database.
    uniqueIndex('reviews_product_user_key').on(t.productId, t.userId),
    index('reviews_product_status_created_idx').on(t.productId, t.status, t.createdAt),
    index('reviews_status_created_idx').on(t.status, t.createdAt),
    index('reviews_user_idx').on(t.userId, t.createdAt),
    index('reviews_version_idx').on(t.version),
    check('reviews_rating_range', sql`${t.rating} between 1 and 5`),
    check(
      'reviews_text_length',
      sql`char_length(${t.title}) between 1 and ${sql.raw(String(REVIEW_LIMITS.title))}
        and char_length(${t.body}) between 1 and ${sql.raw(String(REVIEW_LIMITS.body))}`,
    ),
    check('reviews_note_length', sql`char_length(${t.moderationNote}) <= ${sql.raw(String(REVIEW_LIMITS.note))}`),
  ],
);

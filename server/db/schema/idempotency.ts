import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../../shared/domain/ids.js';
import { orders } from './orders.js';
import { createdAt } from './users.js';

/**
 * Idempotency keys of money-moving POSTs (checkout now; refunds later). A key is unique per
 * scope (who asked and where, e.g. `checkout:user:<id>`); the row remembers a hash of the request
 * and, once it succeeded, the response to replay. `locked_at` marks a request still in flight.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** The order the request created, once its transaction committed. */
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body').$type<unknown>(),
    lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_scope_key').on(t.scope, t.key),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

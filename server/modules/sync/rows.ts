/**
 * Which server rows travel as which wire rows: camelCase columns as the schema names them, minus
 * what must never leave the server (order access-token hashes and payment intent ids, password
 * hashes: customers travel as id, name, e-mail only; the payment provider's ids inside order
 * events) and what a device cannot use (the search document). row-json.ts renders these rows as
 * JSON inside Postgres.
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import {
  categories,
  orderEvents,
  orderItems,
  orders,
  productImages,
  products,
  reviews,
  stockLevels,
  stockLocations,
  stockMovements,
  stockOversells,
  users,
  variants,
} from '../../db/schema/index.js';

export interface Source {
  /** The name in sync_log (the SQL table). */
  logName: string;
  table: PgTable;
  /** The wire row's fields, in the schema's order: key (camelCase) and column. */
  columns: readonly (readonly [key: string, column: PgColumn])[];
  /** jsonb columns (by key) that travel with only these keys of theirs. */
  pick?: Readonly<Record<string, readonly string[]>>;
  /** Fields read from elsewhere, after the columns: key, and the JSON text of its value for the row `alias`. */
  extra?: readonly (readonly [key: string, json: (alias: string) => SQL])[];
}

function source(logName: string, table: PgTable, keep: (key: string) => boolean): Source {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => keep(key));
  return { logName, table, columns };
}

const all = (logName: string, table: PgTable, omit: string[] = []) =>
  source(logName, table, (key) => !omit.includes(key));

/**
 * What of an order event's `data` travels: what its timeline entry shows (a note's body, the
 * shipment, reasons, amounts, restocked lines). Left home: the payment provider's ids (payment,
 * provider event and refund ids; orders travel without their payment intent id for the same reason)
 * and ids of rows devices never get (refunds). A list of what may go rather than of what may not,
 * so a key some later event adds stays on the server until someone decides it may travel.
 */
export const ORDER_EVENT_DATA_KEYS = [
  'body',
  'carrier',
  'trackingNumber',
  'reason',
  'note',
  'message',
  'amountCents',
  'currency',
  'refundCents',
  'refundedCents',
  'from',
  'revived',
  'restock',
  'restocked',
  'lines',
  'totals',
] as const;

const STAFF_ACTOR = `'^user:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/**
 * The name of the staff member an event's actor (`user:<id>`) names, so a timeline says who wrote a
 * note or shipped the order (staff accounts do not travel). Null for customers (a member's order is
 * `user:<id>` too), providers and the system. The id is cast only once the pattern matched, so the
 * lookup is by primary key.
 */
function actorName(alias: string): SQL {
  const actor = sql`${sql.identifier(alias)}.actor`;
  return sql`coalesce(to_json((select u.name from users u
    where u.id = case when ${actor} ~ ${sql.raw(STAFF_ACTOR)} then substr(${actor}, 6)::uuid end
      and u.role <> 'customer'))::text, 'null')`;
}

export const SOURCES: Record<SyncedTable, Source> = {
  categories: all('categories', categories),
  // Columns the server keeps up to date WITHOUT a new version (0002's triggers ignore them, so stock
  // and rating churn does not resend the catalog) would go stale on devices: they stay here. The host
  // derives the price range and stock state itself (electron/host/db/derived.ts).
  products: all('products', products, [
    'searchDocument',
    'minPriceCents',
    'maxPriceCents',
    'inStock',
    'ratingAverage',
    'ratingCount',
    'salesCount',
  ]),
  variants: all('variants', variants),
  product_images: all('product_images', productImages),
  stock_locations: all('stock_locations', stockLocations),
  stock_levels: all('stock_levels', stockLevels),
  stock_movements: all('stock_movements', stockMovements),
  stock_oversells: all('stock_oversells', stockOversells),
  customers: source('users', users, (key) => ['id', 'email', 'name', 'disabled', 'createdAt'].includes(key)),
  orders: all('orders', orders, ['accessTokenHash', 'paymentIntentId']),
  order_items: all('order_items', orderItems),
  // Order timelines travel as a table of their own, read-only for devices: they add a note through
  // `order.note` and the server writes every event. The cheaper way, notes as a list on the order
  // row, would resend the whole order per note, make two devices' notes rewrite one list, and still
  // leave out the other events staff read offline (who shipped, refunds asked and failed). Events
  // are append-only (a trigger refuses updates, migration 0015): no per-field merge, no version of
  // their own (each is logged once, at its insert). Deletes cannot happen but with their order,
  // which a device drops them with: no tombstones.
  order_events: {
    ...all('order_events', orderEvents),
    pick: { data: ORDER_EVENT_DATA_KEYS },
    extra: [['actorName', actorName]],
  },
  reviews: all('reviews', reviews),
};

export const WIRE_NAME: ReadonlyMap<string, SyncedTable> = new Map(
  (Object.entries(SOURCES) as [SyncedTable, Source][]).map(([wire, s]) => [s.logName, wire]),
);

/**
 * Which server rows travel as which wire rows: camelCase columns as the schema names them, minus
 * what must never leave the server (order access-token hashes and payment intent ids, password
 * hashes: customers travel as id, name, e-mail only) and what a device cannot use (the search
 * document). row-json.ts renders these rows as JSON inside Postgres.
 */
import { getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import {
  categories,
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
}

function source(logName: string, table: PgTable, keep: (key: string) => boolean): Source {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => keep(key));
  return { logName, table, columns };
}

const all = (logName: string, table: PgTable, omit: string[] = []) =>
  source(logName, table, (key) => !omit.includes(key));

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
  reviews: all('reviews', reviews),
};

export const WIRE_NAME: ReadonlyMap<string, SyncedTable> = new Map(
  (Object.entries(SOURCES) as [SyncedTable, Source][]).map(([wire, s]) => [s.logName, wire]),
);

/**
 * How a wire row of each synced table becomes a local row: which of its camelCase fields are
 * mirrored as real columns (the rest stays only in `data`), how values are checked and encoded
 * for SQLite (JSON text, 0/1 booleans), and which fields never reach the disk (secrets the server should not send anyway).
 *
 * A wire row that lacks a required mirrored field, or has one of the wrong type, is refused with
 * a clear error naming the change; the caller's transaction then rolls the whole page back.
 */
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { AppError } from '../../../shared/domain/errors.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import * as s from './schema.js';

interface Spec {
  table: SQLiteTable;
  /** Columns filled from the wire row, by their camelCase key (= the server's field name). */
  mirrored: readonly string[];
}

const spec = (table: SQLiteTable, mirrored: readonly string[]): Spec => ({ table, mirrored });

export const SYNCED: Record<SyncedTable, Spec> = {
  categories: spec(s.categories, ['parentId', 'slug', 'name', 'position']),
  products: spec(s.products, [
    'slug',
    'name',
    'description',
    'status',
    'categoryIds',
    'tags',
    'createdAt',
    'updatedAt',
  ]),
  variants: spec(s.variants, [
    'productId',
    'sku',
    'title',
    'priceCents',
    'compareAtPriceCents',
    'costCents',
    'currency',
    'barcode',
    'lowStockThreshold',
    'position',
  ]),
  product_images: spec(s.productImages, ['productId', 'url', 'alt', 'width', 'height', 'position']),
  stock_locations: spec(s.stockLocations, ['code', 'name', 'isDefault']),
  stock_levels: spec(s.stockLevels, ['variantId', 'locationId', 'onHand', 'reserved', 'updatedAt']),
  stock_movements: spec(s.stockMovements, [
    'variantId',
    'locationId',
    'kind',
    'onHandDelta',
    'reservedDelta',
    'reason',
    'reference',
    'onHandAfter',
    'createdAt',
  ]),
  stock_oversells: spec(s.stockOversells, ['variantId', 'locationId', 'level', 'createdAt', 'resolvedAt']),
  customers: spec(s.customers, ['email', 'name']),
  orders: spec(s.orders, [
    'number',
    'userId',
    'email',
    'status',
    'currency',
    'subtotalCents',
    'shippingCents',
    'taxCents',
    'totalCents',
    'refundedCents',
    'paymentStatus',
    'needsAttention',
    'createdAt',
    'paidAt',
    'shippedAt',
  ]),
  order_items: spec(s.orderItems, [
    'orderId',
    'variantId',
    'productId',
    'sku',
    'name',
    'quantity',
    'unitPriceCents',
    'lineTotalCents',
  ]),
  // Not `data`: that column holds the whole wire row, the event's payload included.
  order_events: spec(s.orderEvents, ['orderId', 'type', 'actor', 'createdAt']),
  reviews: spec(s.reviews, ['productId', 'userId', 'rating', 'title', 'status', 'verifiedPurchase', 'createdAt']),
};

/** Never stored, whatever the server sends: credentials, payment provider ids and server-only derived data. */
export const NEVER_STORED = new Set(['passwordHash', 'accessTokenHash', 'paymentIntentId', 'searchDocument']);

export function columnsOf(table: SQLiteTable): Record<string, SQLiteColumn> {
  return getTableColumns(table) as Record<string, SQLiteColumn>;
}

export type DriverValue = string | number | null;

export function encode(column: SQLiteColumn, key: string, value: unknown, where: string): DriverValue {
  if (value === undefined || value === null) {
    if (!column.notNull) return null;
    if (column.hasDefault && column.default !== undefined) return encode(column, key, column.default, where);
    throw new AppError('bad_request', `${where}: field "${key}" is required`);
  }
  const wrongType = (expected: string) =>
    new AppError('bad_request', `${where}: field "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
  switch (column.columnType) {
    case 'SQLiteBoolean':
      if (typeof value !== 'boolean') throw wrongType('a boolean');
      return value ? 1 : 0;
    case 'SQLiteInteger':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType('an integer');
      return value;
    case 'SQLiteTextJson':
      if (typeof value !== 'object') throw wrongType('an array or object');
      return JSON.stringify(value);
    default:
      if (typeof value !== 'string') throw wrongType('a string');
      return value;
  }
}

/** The named parameters of a table's upsert statement for one wire row. */
export function toParams(
  table: SyncedTable,
  id: string,
  version: number,
  row: Record<string, unknown>,
  where: string,
): Record<string, DriverValue> {
  const { table: t, mirrored } = SYNCED[table];
  const columns = columnsOf(t);
  const params: Record<string, DriverValue> = { id, version };
  for (const key of mirrored) params[key] = encode(columns[key]!, key, row[key], where);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!NEVER_STORED.has(key)) kept[key] = value;
  kept.id = id;
  kept.version = version;
  params.data = JSON.stringify(kept);
  return params;
}

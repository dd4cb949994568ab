/**
 * Loads synced rows by id and turns them into wire rows: camelCase columns as the schema names
 * them, minus what must never leave the server (order access-token hashes and payment intent
 * ids, password hashes: customers travel as id, name, e-mail only) and what a device cannot use
 * (the search document). One query per table per page.
 */
import { inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import type { DbOrTx } from '../../db/client.js';
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

type Row = Record<string, unknown>;

interface Source {
  /** The name in sync_log (the SQL table). */
  logName: string;
  load(db: DbOrTx, ids: string[]): Promise<Row[]>;
}

function whole(table: PgTable & { id: Parameters<typeof inArray>[0] }, omit: string[] = []) {
  return async (db: DbOrTx, ids: string[]): Promise<Row[]> => {
    const rows = (await db.select().from(table).where(inArray(table.id, ids))) as Row[];
    return rows.map((r) => {
      const copy: Row = { ...r };
      for (const k of omit) delete copy[k];
      return copy;
    });
  };
}

export const SOURCES: Record<SyncedTable, Source> = {
  categories: { logName: 'categories', load: whole(categories) },
  // Columns the server keeps up to date WITHOUT a new version (0002's triggers ignore them, so stock
  // and rating churn does not resend the catalog) would go stale on devices: they stay here. The host
  // derives the price range and stock state itself (electron/host/db/derived.ts).
  products: {
    logName: 'products',
    load: whole(products, [
      'searchDocument',
      'minPriceCents',
      'maxPriceCents',
      'inStock',
      'ratingAverage',
      'ratingCount',
      'salesCount',
    ]),
  },
  variants: { logName: 'variants', load: whole(variants) },
  product_images: { logName: 'product_images', load: whole(productImages) },
  stock_locations: { logName: 'stock_locations', load: whole(stockLocations) },
  stock_levels: { logName: 'stock_levels', load: whole(stockLevels) },
  stock_movements: { logName: 'stock_movements', load: whole(stockMovements) },
  stock_oversells: { logName: 'stock_oversells', load: whole(stockOversells) },
  customers: {
    logName: 'users',
    load: (db, ids) =>
      db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          disabled: users.disabled,
          createdAt: users.createdAt,
        })
        .from(users)
        .where(inArray(users.id, ids)),
  },
  orders: { logName: 'orders', load: whole(orders, ['accessTokenHash', 'paymentIntentId']) },
  order_items: { logName: 'order_items', load: whole(orderItems) },
  reviews: { logName: 'reviews', load: whole(reviews) },
};

export const WIRE_NAME: ReadonlyMap<string, SyncedTable> = new Map(
  (Object.entries(SOURCES) as [SyncedTable, Source][]).map(([wire, s]) => [s.logName, wire]),
);

import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`; note that raw results are
 * not mapped by drizzle, so bigint and numeric columns arrive as strings on node-postgres: cast
 * them in SQL (`::int`, `::float8`) when a number is wanted.
 */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

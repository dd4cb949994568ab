import { count, desc, eq } from 'drizzle-orm';
import type { Order } from '../../../shared/api/orders.schemas.js';
import { notFound } from '../../../shared/domain/errors.js';
import type { Db } from '../../db/client.js';
import { orders } from '../../db/schema/index.js';
import type { AuthContext } from '../../http/auth.js';
import { accessTokenMatches } from './access-token.js';
import { itemsOf, orderById, toOrderView } from './orders.repo.js';

export async function listMemberOrders(db: Db, userId: string, page: number, limit: number) {
  const where = eq(orders.userId, userId);
  const rows = await db
    .select()
    .from(orders)
    .where(where)
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit)
    .offset((page - 1) * limit);
  const [total] = await db.select({ n: count() }).from(orders).where(where);
  const items = await itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toOrderView(r, items.get(r.id) ?? [])), page, limit, total: total?.n ?? 0 };
}

/**
 * One order for its owner, staff, or a guest holding its access token. Everyone else gets the
 * same 404 as for an unknown id, so order ids cannot be probed.
 */
export async function readOrder(
  db: Db,
  id: string,
  auth: AuthContext | undefined,
  token: string | undefined,
): Promise<Order> {
  const row = await orderById(db, id);
  const allowed =
    row !== undefined &&
    ((auth !== undefined && (auth.role === 'staff' || auth.role === 'admin' || row.userId === auth.userId)) ||
      (token !== undefined && accessTokenMatches(token, row.accessTokenHash)));
  if (!row || !allowed) throw notFound('Order');
  return toOrderView(row, (await itemsOf(db, [id])).get(id) ?? []);
}

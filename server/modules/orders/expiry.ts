/**
 * The reservation sweeper: unpaid orders past `expires_at` are cancelled and their stock
 * released, one transaction per order. The order row is claimed with FOR UPDATE SKIP LOCKED and
 * re-checked under the lock, so two instances (or a payment event holding the row) never release
 * twice, and a payment that lands first wins.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { idempotencyKeys, orders } from '../../db/schema/index.js';
import type { EmailSettings } from './emails.js';
import { cancelUnpaid } from './lifecycle.js';
import { itemsOf } from './orders.repo.js';

/** How long a stored checkout answer can be replayed. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** Cancels up to `limit` expired unpaid orders; answers how many. */
export async function expireOrders(db: Db, config: EmailSettings, limit = 500): Promise<number> {
  let done = 0;
  while (done < limit) {
    const expired = await db.transaction(async (tx) => {
      const [order] = await tx
        .select()
        .from(orders)
        .where(and(eq(orders.status, 'pending_payment'), lt(orders.expiresAt, sql`now()`)))
        .orderBy(asc(orders.expiresAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!order) return false;
      const items = (await itemsOf(tx, [order.id])).get(order.id)!;
      await cancelUnpaid(tx, config, order, items, 'expired', 'system');
      return true;
    });
    if (!expired) break;
    done++;
  }
  return done;
}

/** Forgets idempotency keys older than the replay window. */
export async function purgeIdempotencyKeys(db: Db): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS}::int)`));
}

/**
 * Sweeps now and every ORDER_EXPIRY_INTERVAL_MS as tracked background work; the timer does not
 * keep the process alive. Returns a function that stops it.
 */
export function scheduleOrderExpiry(ctx: AppContext, everyMs = ctx.config.ORDER_EXPIRY_INTERVAL_MS): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    ctx.background.run('expire unpaid orders', async () => {
      try {
        const n = await expireOrders(ctx.db, ctx.config);
        await purgeIdempotencyKeys(ctx.db);
        if (n > 0) {
          ctx.logger.info({ expired: n }, 'cancelled expired unpaid orders');
          ctx.outbox.poke();
        }
      } finally {
        running = false;
      }
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { carts } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { guestCartAlive } from './cart.repo.js';

export const CART_PURGE_INTERVAL_MS = 3_600_000;

/**
 * Deletes guest carts (merged ones included) unused for longer than the TTL; their lines go with
 * them. Expired carts are already invisible, so this only reclaims space. Works in batches so a
 * large backlog never holds one long delete. Member carts are never purged.
 */
export async function purgeExpiredCarts(db: Db, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`with gone as (
            delete from ${carts} where ${carts.id} in (
              select ${carts.id} from ${carts}
              where ${carts.userId} is null and not ${guestCartAlive()}
              limit ${batchSize}
            ) returning 1
          ) select count(*)::int as n from gone`,
    );
    const n = row?.n ?? 0;
    total += n;
    if (n < batchSize) return total;
  }
}

/**
 * Runs the purge now and then every `everyMs`, as tracked background work (shutdown waits for a
 * run in progress). The timer does not keep the process alive. Returns a function that stops it.
 */
export function scheduleCartPurge(ctx: AppContext, everyMs = CART_PURGE_INTERVAL_MS): () => void {
  const run = () =>
    ctx.background.run('purge expired carts', async () => {
      const purged = await purgeExpiredCarts(ctx.db);
      if (purged > 0) ctx.logger.info({ purged }, 'purged expired guest carts');
    });
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The epoch names this database's history (SYNC.md, Electric's lesson). A device whose cursor
 * names another epoch re-downloads from the start and keeps its pending mutations. It changes
 * when an operator runs `npm run sync:new-epoch` after a restore, or by itself when a cursor
 * points past the database's own history (a transaction id or change position that this
 * database has not reached: it must have been restored from an older backup).
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { syncMeta } from '../../db/schema/index.js';

export async function currentEpoch(db: DbOrTx): Promise<string> {
  const [row] = await db.select({ epoch: syncMeta.epoch }).from(syncMeta).where(eq(syncMeta.id, 1));
  if (!row) throw new Error('sync_meta is empty: migrations did not run');
  return row.epoch;
}

export async function rotateEpoch(db: DbOrTx): Promise<string> {
  const epoch = randomUUID();
  await db
    .update(syncMeta)
    .set({ epoch, rotatedAt: sql`now()` })
    .where(eq(syncMeta.id, 1));
  return epoch;
}

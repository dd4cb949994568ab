/**
 * Back-office devices: each staff installation registers once and numbers its mutations from 1.
 * A device belongs to the user who registered it; anyone else using its id gets 403
 * `unknown_device`, the same answer as for an id that was never registered.
 */
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../shared/domain/errors.js';
import type { DbOrTx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { syncDevices } from '../../db/schema/index.js';

export type Device = typeof syncDevices.$inferSelect;

export async function registerDevice(
  db: DbOrTx,
  userId: string,
  input: { name?: string | undefined; clientId?: string | undefined },
): Promise<Device> {
  try {
    const [row] = await db
      .insert(syncDevices)
      .values({ ...(input.clientId ? { clientId: input.clientId } : {}), userId, name: input.name ?? '' })
      .returning();
    return row!;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Registering the same id again (a retry after a lost answer) is fine for its owner.
    const mine = await findDevice(db, input.clientId!, userId).catch(() => undefined);
    if (mine) return mine;
    throw new AppError('conflict', 'This client id is taken: make a new one');
  }
}

/** The caller's device, optionally locked (FOR UPDATE) so one device's pushes run one at a time. */
export async function findDevice(db: DbOrTx, clientId: string, userId: string, lock = false): Promise<Device> {
  const query = db
    .select()
    .from(syncDevices)
    .where(and(eq(syncDevices.clientId, clientId), eq(syncDevices.userId, userId)));
  const [row] = lock ? await query.for('update') : await query;
  // One answer for "never registered" and "someone else's": the caller learns nothing about other devices.
  if (!row) throw new AppError('unknown_device', 'This device is not registered for you: register it, then sync');
  return row;
}

export async function touchDevice(db: DbOrTx, clientId: string): Promise<void> {
  await db
    .update(syncDevices)
    .set({ lastSeenAt: sql`now()` })
    .where(eq(syncDevices.clientId, clientId));
}

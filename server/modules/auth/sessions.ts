import { and, eq, isNull, sql } from 'drizzle-orm';
import { newId } from '../../../shared/domain/ids.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { refreshTokens, users } from '../../db/schema/index.js';
import { hashToken, newOpaqueToken } from './tokens.js';

/** Starts a session (a new token family) or continues one, returning the opaque token. */
export async function issueRefreshToken(
  tx: DbOrTx,
  userId: string,
  ttlDays: number,
  familyId: string = newId(),
): Promise<string> {
  const { token, hash } = newOpaqueToken('rt');
  await tx.insert(refreshTokens).values({
    userId,
    familyId,
    tokenHash: hash,
    expiresAt: sql`now() + make_interval(days => ${ttlDays})`,
  });
  return token;
}

export type RotateResult =
  | { ok: true; userId: string; role: (typeof users.$inferSelect)['role']; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'disabled' };

/**
 * Exchanges a refresh token for a new one in the same family. A token is good once: if a used
 * or revoked token comes back, someone holds a copy, so the whole family is revoked (OAuth 2.0
 * Security BCP, refresh token rotation). The revocation must commit, so failures are returned,
 * not thrown from inside the transaction.
 */
export async function rotateRefreshToken(db: Db, token: string, ttlDays: number): Promise<RotateResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: refreshTokens.id,
        familyId: refreshTokens.familyId,
        userId: refreshTokens.userId,
        usedAt: refreshTokens.usedAt,
        revokedAt: refreshTokens.revokedAt,
        expired: sql<boolean>`${refreshTokens.expiresAt} <= now()`,
        role: users.role,
        disabled: users.disabled,
      })
      .from(refreshTokens)
      .innerJoin(users, eq(users.id, refreshTokens.userId))
      .where(eq(refreshTokens.tokenHash, hashToken(token)))
      .for('update', { of: refreshTokens });
    if (!row) return { ok: false, reason: 'unknown' } as const;
    if (row.usedAt || row.revokedAt) {
      await revokeFamily(tx, row.familyId);
      return { ok: false, reason: 'reused' } as const;
    }
    if (row.disabled) {
      await revokeFamily(tx, row.familyId);
      return { ok: false, reason: 'disabled' } as const;
    }
    if (row.expired) return { ok: false, reason: 'expired' } as const;
    await tx
      .update(refreshTokens)
      .set({ usedAt: sql`now()` })
      .where(eq(refreshTokens.id, row.id));
    const refreshToken = await issueRefreshToken(tx, row.userId, ttlDays, row.familyId);
    return { ok: true, userId: row.userId, role: row.role, refreshToken } as const;
  });
}

export async function revokeFamily(tx: DbOrTx, familyId: string): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Logout: ends the session the token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function revokeByToken(db: Db, token: string): Promise<void> {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  if (row) await revokeFamily(db, row.familyId);
}

/** Signs the user out everywhere (password change or reset, account disabled). */
export async function revokeAllForUser(tx: DbOrTx, userId: string): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AuthResult } from '../../../shared/api/auth.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { passwordResetTokens } from '../../db/schema/index.js';
import { enqueueEmail } from '../notifications/outbox.js';
import { findUserByEmail, insertUser, toUser, updateUser, type UserRow } from '../users/users.service.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { issueRefreshToken, revokeAllForUser, revokeByToken, rotateRefreshToken } from './sessions.js';
import { hashToken, newOpaqueToken } from './tokens.js';

const RESET_TTL_MINUTES = 60;

const invalidCredentials = () => new AppError('invalid_credentials', 'E-mail or password is incorrect');

async function sessionFor(ctx: AppContext, tx: DbOrTx, user: UserRow): Promise<AuthResult> {
  const refreshToken = await issueRefreshToken(tx, user.id, ctx.config.REFRESH_TOKEN_TTL_DAYS);
  return {
    user: toUser(user),
    accessToken: await ctx.tokens.sign({ userId: user.id, role: user.role }),
    refreshToken,
    expiresIn: ctx.tokens.ttlSeconds,
  };
}

export async function register(
  ctx: AppContext,
  input: { email: string; password: string; name: string },
): Promise<AuthResult> {
  const passwordHash = await hashPassword(input.password);
  const result = await ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, { email: input.email, name: input.name, passwordHash });
    await enqueueEmail(tx, {
      key: `welcome:${user.id}`,
      template: 'welcome',
      to: user.email,
      data: { name: user.name, shopUrl: ctx.config.PUBLIC_URL },
    });
    return sessionFor(ctx, tx, user);
  });
  ctx.outbox.poke();
  return result;
}

export async function login(ctx: AppContext, input: { email: string; password: string }): Promise<AuthResult> {
  const user = await findUserByEmail(ctx.db, input.email);
  // Same work and the same answer whether or not the address has an account.
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) throw invalidCredentials();
  if (user.disabled) throw new AppError('forbidden', 'This account is disabled. Contact the shop.');
  return sessionFor(ctx, ctx.db, user);
}

export async function refresh(ctx: AppContext, refreshToken: string) {
  const result = await rotateRefreshToken(ctx.db, refreshToken, ctx.config.REFRESH_TOKEN_TTL_DAYS);
  if (!result.ok) {
    if (result.reason === 'reused') {
      ctx.logger.warn('auth: a rotated refresh token was presented again; its session was revoked');
    }
    const detail =
      result.reason === 'expired' ? 'The refresh token has expired; sign in again' : 'The refresh token is not valid';
    throw new AppError('invalid_token', detail);
  }
  return {
    accessToken: await ctx.tokens.sign({ userId: result.userId, role: result.role }),
    refreshToken: result.refreshToken,
    expiresIn: ctx.tokens.ttlSeconds,
  };
}

export const logout = (ctx: AppContext, refreshToken: string): Promise<void> => revokeByToken(ctx.db, refreshToken);

/** Always succeeds from the caller's point of view: whether an account exists is never revealed. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.disabled) return;
  const { token, hash } = newOpaqueToken('pr');
  await ctx.db.transaction(async (tx) => {
    // Only the newest link works: asking again retires the ones sent before.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResetTokens.userId, user.id), isNull(passwordResetTokens.usedAt)));
    const [row] = await tx
      .insert(passwordResetTokens)
      .values({
        userId: user.id,
        tokenHash: hash,
        expiresAt: sql`now() + make_interval(mins => ${RESET_TTL_MINUTES})`,
      })
      .returning({ id: passwordResetTokens.id });
    await enqueueEmail(tx, {
      key: `password-reset:${row!.id}`,
      template: 'password-reset',
      to: user.email,
      data: {
        name: user.name,
        resetUrl: `${ctx.config.PUBLIC_URL}/reset-password?token=${encodeURIComponent(token)}`,
        expiresInMinutes: RESET_TTL_MINUTES,
      },
    });
  });
  ctx.outbox.poke();
}

const invalidResetToken = () =>
  new AppError('invalid_reset_token', 'This reset link is invalid, used or expired. Ask for a new one.');

export async function confirmPasswordReset(ctx: AppContext, input: { token: string; password: string }): Promise<void> {
  // A cheap look-up turns junk tokens away before the (deliberately expensive) password hash.
  const [candidate] = await ctx.db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, hashToken(input.token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, sql`now()`),
      ),
    );
  if (!candidate) throw invalidResetToken();
  const passwordHash = await hashPassword(input.password);
  const done = await ctx.db.transaction(async (tx) => {
    // One conditional update both checks and consumes the token, so two racing confirms cannot both win.
    const [token] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashToken(input.token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!token) return false;
    await updateUser(tx, token.userId, { passwordHash });
    await revokeAllForUser(tx, token.userId);
    return true;
  });
  if (!done) throw invalidResetToken();
}

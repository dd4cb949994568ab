import { AppError } from '../../../shared/domain/errors.js';
import type { User } from '../../../shared/api/auth.schemas.js';
import type { AppContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { revokeAllForUser } from '../auth/sessions.js';
import { getUserRow, toUser, updateUser } from '../users/users.service.js';

export async function getProfile(ctx: AppContext, userId: string): Promise<User> {
  return toUser(await getUserRow(ctx.db, userId));
}

export async function updateProfile(
  ctx: AppContext,
  userId: string,
  patch: {
    name?: string | undefined;
    email?: string | undefined;
    password?: string | undefined;
    currentPassword?: string | undefined;
  },
): Promise<User> {
  const current = await getUserRow(ctx.db, userId);
  if (patch.email !== undefined || patch.password !== undefined) {
    if (!(await verifyPassword(current.passwordHash, patch.currentPassword ?? ''))) {
      throw new AppError('validation_failed', 'The current password is not correct', {
        errors: [{ path: 'body.currentPassword', message: 'is not correct' }],
      });
    }
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await updateUser(tx, userId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(passwordHash !== undefined ? { passwordHash } : {}),
    });
    // A new password signs out every other session; this client keeps its access token until expiry.
    if (passwordHash !== undefined) await revokeAllForUser(tx, userId);
    return updated;
  });
  return toUser(row);
}

import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { hashPassword } from '../auth/passwords.js';
import { findUserByEmail, insertUser, updateUser } from './users.service.js';

export const DEMO_ADMIN_EMAIL = 'admin@nexus.local';

export type EnsureResult = 'created' | 'promoted' | 'updated' | 'unchanged';

/**
 * Makes sure an admin with this e-mail exists. An existing account is promoted; its password is
 * replaced only when `resetPassword` is set (an operator running create-admin means it).
 */
export async function ensureAdmin(
  db: Db,
  input: { email: string; password: string; name?: string; resetPassword?: boolean },
): Promise<EnsureResult> {
  const existing = await findUserByEmail(db, input.email);
  if (!existing) {
    await insertUser(db, {
      email: input.email,
      name: input.name ?? 'Administrator',
      passwordHash: await hashPassword(input.password),
      role: 'admin',
    });
    return 'created';
  }
  const patch = {
    ...(existing.role !== 'admin' ? { role: 'admin' as const } : {}),
    ...(existing.disabled ? { disabled: false } : {}),
    ...(input.resetPassword ? { passwordHash: await hashPassword(input.password) } : {}),
  };
  if (Object.keys(patch).length === 0) return 'unchanged';
  await updateUser(db, existing.id, patch);
  return existing.role !== 'admin' ? 'promoted' : 'updated';
}

export async function hasAdmin(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  return rows.length > 0;
}

/** A demo admin for a fresh demo database, with a random password shown once at start. */
export async function createDemoAdmin(db: Db): Promise<{ email: string; password: string }> {
  const password = randomBytes(12).toString('base64url');
  await ensureAdmin(db, { email: DEMO_ADMIN_EMAIL, password, name: 'Demo Admin' });
  return { email: DEMO_ADMIN_EMAIL, password };
}

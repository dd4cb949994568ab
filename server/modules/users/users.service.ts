import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Role, User } from '../../../shared/api/auth.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { users } from '../../db/schema/index.js';
import { revokeAllForUser } from '../auth/sessions.js';

export type UserRow = typeof users.$inferSelect;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
});

export const toAdminUser = (row: UserRow) => ({
  ...toUser(row),
  disabled: row.disabled,
  updatedAt: row.updatedAt.toISOString(),
});

const emailTaken = () => new AppError('email_taken', 'An account with this e-mail address already exists');

export async function insertUser(
  tx: DbOrTx,
  input: { email: string; name: string; passwordHash: string; role?: Role },
): Promise<UserRow> {
  try {
    const [row] = await tx
      .insert(users)
      .values({ ...input, email: input.email.trim().toLowerCase() })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row;
}

export async function getUserRow(db: DbOrTx, id: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw notFound('User');
  return row;
}

export async function updateUser(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<UserRow, 'name' | 'email' | 'passwordHash' | 'role' | 'disabled'>>,
): Promise<UserRow> {
  try {
    const [row] = await db
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(users.id, id))
      .returning();
    if (!row) throw notFound('User');
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

export async function listUsers(db: Db, query: { page: number; limit: number; role?: Role; q?: string }) {
  const filters: SQL[] = [];
  if (query.role) filters.push(eq(users.role, query.role));
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(users.email, like), ilike(users.name, like))!);
  }
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows.map(toAdminUser), page: query.page, limit: query.limit, total: total?.n ?? 0 };
}

/** Role changes and disabling end the user's sessions, so the new rights apply at the next refresh. */
export async function adminUpdateUser(
  db: Db,
  actorId: string,
  id: string,
  patch: { role?: Role | undefined; disabled?: boolean | undefined },
) {
  if (id === actorId && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw new AppError('conflict', 'You cannot demote or disable your own account');
  }
  const row = await db.transaction(async (tx) => {
    const updated = await updateUser(tx, id, {
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    await revokeAllForUser(tx, id);
    return updated;
  });
  return toAdminUser(row);
}

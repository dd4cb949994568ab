import { and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Address, AddressInput } from '../../../shared/api/accounts.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { addresses } from '../../db/schema/index.js';

export const MAX_ADDRESSES = 50;

type Row = typeof addresses.$inferSelect;

const toAddress = (r: Row): Address => ({
  id: r.id,
  name: r.name,
  company: r.company,
  line1: r.line1,
  line2: r.line2,
  city: r.city,
  region: r.region,
  postalCode: r.postalCode,
  country: r.country,
  phone: r.phone,
  isDefault: r.isDefault,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const ownRow = (userId: string, id: string) => and(eq(addresses.userId, userId), eq(addresses.id, id));

export async function listAddresses(db: Db, userId: string): Promise<Address[]> {
  const rows = await db
    .select()
    .from(addresses)
    .where(eq(addresses.userId, userId))
    .orderBy(desc(addresses.isDefault), asc(addresses.createdAt));
  return rows.map(toAddress);
}

async function clearDefault(tx: DbOrTx, userId: string, exceptId?: string): Promise<void> {
  await tx
    .update(addresses)
    .set({ isDefault: false })
    .where(
      and(
        eq(addresses.userId, userId),
        eq(addresses.isDefault, true),
        exceptId ? ne(addresses.id, exceptId) : undefined,
      ),
    );
}

export async function createAddress(db: Db, userId: string, input: AddressInput): Promise<Address> {
  return db.transaction(async (tx) => {
    // Serialise address-book changes per user so the count check below cannot be raced.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`addresses:${userId}`}, 0))`);
    const [existing] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, userId));
    const n = existing?.n ?? 0;
    if (n >= MAX_ADDRESSES) {
      throw new AppError('conflict', `An address book holds at most ${MAX_ADDRESSES} addresses`);
    }
    // The first address becomes the default, as shoppers expect.
    const isDefault = input.isDefault ?? n === 0;
    if (isDefault) await clearDefault(tx, userId);
    const [row] = await tx
      .insert(addresses)
      .values({ ...input, userId, isDefault })
      .returning();
    return toAddress(row!);
  });
}

export async function updateAddress(
  db: Db,
  userId: string,
  id: string,
  patch: Partial<AddressInput>,
): Promise<Address> {
  return db.transaction(async (tx) => {
    if (patch.isDefault) await clearDefault(tx, userId, id);
    const [row] = await tx
      .update(addresses)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(ownRow(userId, id))
      .returning();
    // Someone else's address answers exactly like a missing one.
    if (!row) throw notFound('Address');
    return toAddress(row);
  });
}

export async function deleteAddress(db: Db, userId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(addresses)
      .where(ownRow(userId, id))
      .returning({ id: addresses.id, isDefault: addresses.isDefault });
    if (!row) throw notFound('Address');
    if (!row.isDefault) return;
    // Removing the default hands the role to the oldest remaining address, so checkout keeps a default.
    const [next] = await tx
      .select({ id: addresses.id })
      .from(addresses)
      .where(eq(addresses.userId, userId))
      .orderBy(asc(addresses.createdAt), asc(addresses.id))
      .limit(1);
    if (next) await tx.update(addresses).set({ isDefault: true }).where(eq(addresses.id, next.id));
  });
}

import { like, or, eq, and, ne } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import slugify from 'slugify';
import type { DbOrTx } from '../../db/client.js';

export function toSlug(text: string): string {
  const slug = slugify(text, { lower: true, strict: true, trim: true }).slice(0, 100).replace(/-+$/, '');
  return slug || 'item';
}

/**
 * A slug not yet used in `table`: the base itself, or base-2, base-3, … The unique index still
 * has the final word; callers map a race's unique violation to 409.
 */
export async function uniqueSlug(
  tx: DbOrTx,
  table: PgTable & { slug: PgColumn; id: PgColumn },
  base: string,
  excludeId?: string,
): Promise<string> {
  const rows = await tx
    .select({ slug: table.slug })
    .from(table)
    .where(
      and(or(eq(table.slug, base), like(table.slug, `${base}-%`)), excludeId ? ne(table.id, excludeId) : undefined),
    );
  const taken = new Set(rows.map((r) => r.slug as string));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

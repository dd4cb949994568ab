import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Category, CategoryNode } from '../../../shared/api/catalog.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { categories, products } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { toSlug, uniqueSlug } from './slugs.js';

type Row = typeof categories.$inferSelect;

export const toCategory = (r: Row): Category => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  parentId: r.parentId,
  position: r.position,
  version: r.version,
});

export async function listCategories(db: DbOrTx): Promise<Category[]> {
  const rows = await db.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
  return rows.map(toCategory);
}

export function buildTree(flat: Category[]): CategoryNode[] {
  const nodes = new Map(flat.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function categoryTree(db: DbOrTx): Promise<CategoryNode[]> {
  return buildTree(await listCategories(db));
}

/** The category with this slug and all its descendants' ids (for "includes sub-categories"). */
export async function categoryWithDescendants(db: DbOrTx, slug: string): Promise<string[] | undefined> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    with recursive tree as (
      select id from ${categories} where slug = ${slug}
      union all
      select c.id from ${categories} c join tree t on c.parent_id = t.id
    )
    select id from tree`,
  );
  const ids = rows.map((r) => r.id);
  return ids.length > 0 ? ids : undefined;
}

const slugTaken = () => new AppError('conflict', 'Another category already uses this slug');

async function assertParent(tx: DbOrTx, parentId: string | null | undefined, selfId?: string): Promise<void> {
  if (!parentId) return;
  if (parentId === selfId) throw unknownParent('a category cannot be its own parent');
  const [parent] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, parentId));
  if (!parent) throw unknownParent('no such category');
  if (selfId) {
    // Refuse cycles: the new parent must not sit below this category.
    const below = await queryRows<{ id: string }>(
      tx,
      sql`
      with recursive tree as (
        select id from ${categories} where parent_id = ${selfId}
        union all
        select c.id from ${categories} c join tree t on c.parent_id = t.id
      )
      select id from tree where id = ${parentId}`,
    );
    if (below.length > 0) throw unknownParent('a category cannot move below its own descendant');
  }
}

const unknownParent = (message: string) =>
  new AppError('validation_failed', 'The parent category is not valid', {
    errors: [{ path: 'body.parentId', message }],
  });

export async function createCategory(
  db: Db,
  input: {
    id?: string;
    name: string;
    slug?: string;
    parentId?: string | null;
    description?: string;
    position?: number;
  },
): Promise<Category> {
  try {
    return await db.transaction(async (tx) => {
      await assertParent(tx, input.parentId);
      const slug = input.slug ?? (await uniqueSlug(tx, categories, toSlug(input.name)));
      const [row] = await tx
        .insert(categories)
        .values({ ...input, slug, parentId: input.parentId ?? null })
        .returning();
      return toCategory(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

export async function updateCategory(
  db: Db,
  id: string,
  patch: { name?: string; slug?: string; parentId?: string | null; description?: string; position?: number },
): Promise<Category> {
  try {
    return await db.transaction(async (tx) => {
      await assertParent(tx, patch.parentId, id);
      const [row] = await tx
        .update(categories)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(categories.id, id))
        .returning();
      if (!row) throw notFound('Category');
      return toCategory(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

/** A category with children cannot go; its products simply lose the membership. */
export async function deleteCategory(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [child] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.parentId, id)).limit(1);
    if (child) throw new AppError('conflict', 'Move or delete the sub-categories first');
    await tx
      .update(products)
      .set({ categoryIds: sql`array_remove(${products.categoryIds}, ${id}::uuid)`, updatedAt: sql`now()` })
      .where(sql`${products.categoryIds} @> array[${id}::uuid]`);
    const [row] = await tx.delete(categories).where(eq(categories.id, id)).returning({ id: categories.id });
    if (!row) throw notFound('Category');
  });
}

/** Throws 422 naming the unknown ids, so a product never points at a missing category. */
export async function assertCategoriesExist(tx: DbOrTx, ids: string[], path = 'body.categoryIds'): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx.select({ id: categories.id }).from(categories).where(inArray(categories.id, ids));
  const known = new Set(found.map((r) => r.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'Unknown category', {
      errors: missing.map((id) => ({ path, message: `no category with id ${id}` })),
    });
  }
}

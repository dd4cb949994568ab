import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { newId } from '../../../../shared/domain/ids.js';
import type { Db } from '../../../db/client.js';
import { categories, products, stockLevels, stockMovements, variants } from '../../../db/schema/index.js';
import { defaultLocationId } from '../../inventory/stock.service.js';
import { refreshProducts } from '../derived.js';
import { variantTitle } from '../options.js';
import { toSlug } from '../slugs.js';
import { ADJECTIVES, BENEFITS, CATEGORY_SPECS, MATERIALS, PLACES, TAGS, type CategorySpec } from './catalog-data.js';

/** mulberry32: a small seeded PRNG, so the same seed always builds the same catalog. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  products: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called once per product after its batch commits (e.g. to attach a generated image). */
  onProduct?: (product: { id: string; name: string; hue: number }) => Promise<void>;
}

export interface SeedResult {
  categories: number;
  products: number;
  variants: number;
}

async function ensureCategories(db: Db): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const spec of CATEGORY_SPECS) {
    const [existing] = await db.select({ id: categories.id }).from(categories).where(eq(categories.slug, spec.slug));
    if (existing) {
      ids.set(spec.slug, existing.id);
      continue;
    }
    const [row] = await db
      .insert(categories)
      .values({
        slug: spec.slug,
        name: spec.name,
        parentId: spec.parent ? (ids.get(spec.parent) ?? null) : null,
        position: ids.size,
      })
      .returning({ id: categories.id });
    ids.set(spec.slug, row!.id);
  }
  return ids;
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const between = (rnd: () => number, [lo, hi]: [number, number]) => Math.round((lo + rnd() * (hi - lo)) / 100) * 100 - 1;

/** n consecutive values from a random start, kept in the list's own order (S, M, L rather than L, XS, S). */
function pickValues(rnd: () => number, values: string[], n: number): string[] {
  const count = Math.min(n, values.length);
  const start = Math.floor(rnd() * (values.length - count + 1));
  return values.slice(start, start + count);
}

/**
 * Builds a realistic catalog with bulk inserts (fast enough for 100k products) while keeping
 * every invariant the services keep: stock levels equal the ledger, browse columns refreshed,
 * sync versions set by the triggers.
 */
export async function seedCatalog(db: Db, options: SeedOptions): Promise<SeedResult> {
  const rnd = seededRandom(options.seed ?? 42);
  const batchSize = options.batchSize ?? 500;
  const categoryIds = await ensureCategories(db);
  const leaves = CATEGORY_SPECS.filter((c): c is CategorySpec & { nouns: string[] } => Boolean(c.nouns));
  const locationId = await defaultLocationId(db);
  const run = randomBytes(3).toString('hex').toUpperCase();
  const usedSlugs = new Set((await db.select({ slug: products.slug }).from(products)).map((r) => r.slug));
  let variantCount = 0;

  for (let start = 0; start < options.products; start += batchSize) {
    const size = Math.min(batchSize, options.products - start);
    const productRows: (typeof products.$inferInsert)[] = [];
    const variantRows: (typeof variants.$inferInsert)[] = [];
    const stock: { variantId: string; qty: number }[] = [];
    const hues: number[] = [];
    for (let i = 0; i < size; i++) {
      const n = start + i;
      const cat = pick(rnd, leaves);
      const name = `${pick(rnd, ADJECTIVES)} ${pick(rnd, cat.materials ?? MATERIALS)} ${pick(rnd, cat.nouns)}`;
      let slug = toSlug(name);
      for (let k = 2; usedSlugs.has(slug); k++) slug = `${toSlug(name)}-${k}`;
      usedSlugs.add(slug);
      const id = newId();
      const opts = (cat.options ?? []).map((o, idx) =>
        // The first option varies (sizes, weights); a second one (colour) is fixed per product.
        ({ name: o.name, values: pickValues(rnd, o.values, idx === 0 ? 2 + Math.floor(rnd() * 4) : 1) }),
      );
      const combos =
        opts.length === 0
          ? [{}]
          : opts[0]!.values.map((v) => ({
              [opts[0]!.name]: v,
              ...(opts[1] ? { [opts[1].name]: opts[1].values[0]! } : {}),
            }));
      const basePrice = between(rnd, cat.price ?? [1000, 5000]);
      productRows.push({
        id,
        slug,
        name,
        description: `${name}, ${pick(rnd, BENEFITS)}. Inspired by ${pick(rnd, PLACES)}; ${pick(rnd, BENEFITS)}.`,
        status: rnd() < 0.92 ? 'active' : rnd() < 0.5 ? 'draft' : 'archived',
        categoryIds: [categoryIds.get(cat.slug)!],
        tags: rnd() < 0.4 ? [pick(rnd, TAGS)] : [],
        options: opts,
      });
      hues.push(cat.hue ?? 0);
      combos.forEach((values, idx) => {
        const variantId = newId();
        const priceCents = basePrice + idx * 200;
        variantRows.push({
          id: variantId,
          productId: id,
          sku: `${cat.slug.slice(0, 3).toUpperCase()}-${run}-${n.toString(36).toUpperCase()}-${idx + 1}`,
          title: variantTitle(opts, values),
          optionValues: values,
          priceCents,
          compareAtPriceCents: rnd() < 0.15 ? priceCents + 1000 : null,
          costCents: Math.round(priceCents * (0.35 + rnd() * 0.2)),
          barcode: String(4_000_000_000_000 + n * 10 + idx),
          weightGrams: 100 + Math.floor(rnd() * 2000),
          position: idx,
        });
        const qty = rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 60);
        if (qty > 0) stock.push({ variantId, qty });
      });
    }
    await db.transaction(async (tx) => {
      await tx.insert(products).values(productRows);
      await tx.insert(variants).values(variantRows);
      if (stock.length > 0) {
        await tx.insert(stockLevels).values(stock.map((s) => ({ variantId: s.variantId, locationId, onHand: s.qty })));
        await tx.insert(stockMovements).values(
          stock.map((s) => ({
            variantId: s.variantId,
            locationId,
            kind: 'received' as const,
            onHandDelta: s.qty,
            reason: 'demo opening stock',
            reference: `seed:${run}`,
            onHandAfter: s.qty,
          })),
        );
      }
      await refreshProducts(
        tx,
        productRows.map((p) => p.id!),
      );
    });
    variantCount += variantRows.length;
    if (options.onProduct) {
      for (const [i, p] of productRows.entries()) await options.onProduct({ id: p.id!, name: p.name, hue: hues[i]! });
    }
    options.onProgress?.(start + size, options.products);
  }
  return { categories: categoryIds.size, products: options.products, variants: variantCount };
}

export async function catalogIsEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: products.id }).from(products).limit(1);
  return rows.length === 0;
}

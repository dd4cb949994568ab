/**
 * Cart queries. Reading a cart joins the catalog (variants, products, stock at the default
 * location, first image) in one statement, so prices and availability are always current and
 * the cost does not grow with the number of lines.
 */
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { GUEST_CART_TTL_DAYS } from '../../../shared/api/cart.schemas.js';
import type { DbOrTx } from '../../db/client.js';
import {
  cartItems,
  carts,
  productImages,
  products,
  stockLevels,
  stockLocations,
  variants,
} from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import type { CartHeader, CatalogVariant, LineRow } from './cart.pricing.js';

export interface CartRow {
  id: string;
  userId: string | null;
  currency: string;
  lastActiveAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const cartColumns = {
  id: carts.id,
  userId: carts.userId,
  currency: carts.currency,
  lastActiveAt: carts.lastActiveAt,
  createdAt: carts.createdAt,
  updatedAt: carts.updatedAt,
};

const TTL = sql.raw(`interval '${GUEST_CART_TTL_DAYS} days'`);
/** A guest cart is alive while it has been used within the TTL. */
export const guestCartAlive = (): SQL => sql`${carts.lastActiveAt} > now() - ${TTL}`;

export const toHeader = (row: CartRow): CartHeader => ({
  id: row.id,
  currency: row.currency,
  expiresAt: row.userId ? null : new Date(row.lastActiveAt.getTime() + GUEST_CART_TTL_DAYS * 86_400_000),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Marks the cart used (and changed, for writes); inside a transaction this also locks its row. */
const touch = (changed: boolean) => ({
  lastActiveAt: sql`now()`,
  ...(changed ? { updatedAt: sql`now()` } : {}),
});

export async function insertGuestCart(db: DbOrTx, tokenHash: string): Promise<CartRow> {
  const [row] = await db.insert(carts).values({ tokenHash }).returning(cartColumns);
  return row!;
}

/** The live, unmerged guest cart with this token hash, touched; undefined when there is none. */
export async function touchGuestCart(db: DbOrTx, tokenHash: string, changed: boolean): Promise<CartRow | undefined> {
  const [row] = await db
    .update(carts)
    .set(touch(changed))
    .where(and(eq(carts.tokenHash, tokenHash), isNull(carts.mergedIntoId), guestCartAlive()))
    .returning(cartColumns);
  return row;
}

/** The member's cart, created on first use (concurrent first uses still make one cart), touched. */
export async function touchMemberCart(db: DbOrTx, userId: string, changed: boolean): Promise<CartRow> {
  const [row] = await db
    .insert(carts)
    .values({ userId })
    .onConflictDoUpdate({ target: carts.userId, set: touch(changed) })
    .returning(cartColumns);
  return row!;
}

export async function cartById(db: DbOrTx, id: string): Promise<CartRow | undefined> {
  const [row] = await db.select(cartColumns).from(carts).where(eq(carts.id, id));
  return row;
}

const defaultLocation = sql`(select ${stockLocations.id} from ${stockLocations} where ${stockLocations.isDefault})`;
const stockAtDefault = (variantId: AnyPgColumn) =>
  and(eq(stockLevels.variantId, variantId), eq(stockLevels.locationId, defaultLocation));
const availableOf = (onHand: number | null, reserved: number | null) => Math.max(0, (onHand ?? 0) - (reserved ?? 0));

/** The product's first image as `{url, alt}` JSON, or null. */
export const firstImage = (productId: AnyPgColumn) =>
  sql<{ url: string; alt: string } | null>`(
    select json_build_object('url', ${productImages.url}, 'alt', ${productImages.alt}) from ${productImages}
    where ${productImages.productId} = ${productId}
    order by ${productImages.position}, ${productImages.id} limit 1)`;

/** What the catalog says now about these variants (missing ids are simply absent). */
export async function catalogVariants(db: DbOrTx, ids: string[]): Promise<Map<string, CatalogVariant>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      variantId: variants.id,
      productId: variants.productId,
      productName: products.name,
      productStatus: products.status,
      variantTitle: variants.title,
      sku: variants.sku,
      priceCents: variants.priceCents,
      currency: variants.currency,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
    })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .leftJoin(stockLevels, stockAtDefault(variants.id))
    .where(inArray(variants.id, ids));
  return new Map(
    rows.map(({ onHand, reserved, ...v }) => [v.variantId, { ...v, availableQuantity: availableOf(onHand, reserved) }]),
  );
}

/** The cart's lines, oldest first, joined with the catalog as it is now. */
export async function cartLineRows(db: DbOrTx, cartId: string): Promise<LineRow[]> {
  const rows = await db
    .select({
      line: cartItems,
      variant: {
        sku: variants.sku,
        title: variants.title,
        options: variants.optionValues,
        priceCents: variants.priceCents,
        currency: variants.currency,
      },
      product: { id: products.id, slug: products.slug, name: products.name, status: products.status },
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
      image: firstImage(products.id),
    })
    .from(cartItems)
    .leftJoin(variants, eq(variants.id, cartItems.variantId))
    // A deleted variant's line still shows its product when that product remains.
    .leftJoin(products, eq(products.id, sql`coalesce(${variants.productId}, ${cartItems.productId})`))
    .leftJoin(stockLevels, stockAtDefault(cartItems.variantId))
    .where(eq(cartItems.cartId, cartId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.variantId));
  return rows.map(({ line, variant, product, onHand, reserved, image }) => ({
    variantId: line.variantId,
    quantity: line.quantity,
    addedAt: line.addedAt,
    snapshot: {
      productId: line.productId,
      productName: line.productName,
      variantTitle: line.variantTitle,
      sku: line.sku,
    },
    variant,
    product,
    image,
    availableQuantity: availableOf(onHand, reserved),
  }));
}

/** How many lines the cart has, and this variant's quantity in it (0 when absent). */
export async function lineState(db: DbOrTx, cartId: string, variantId: string) {
  const [row] = await queryRows<{ lines: number; existing: number }>(
    db,
    sql`select count(*)::int as lines,
          coalesce(max(quantity) filter (where variant_id = ${variantId}::uuid), 0)::int as existing
        from cart_items where cart_id = ${cartId}::uuid`,
  );
  return row ?? { lines: 0, existing: 0 };
}

/**
 * Adds `quantity` to the line in one atomic statement: the sum is computed by the database, and
 * the line is written only if the result stays within `cap`. Returns the new quantity, or
 * undefined when the cap refused it (nothing written).
 */
export async function addToLine(
  db: DbOrTx,
  cartId: string,
  v: CatalogVariant,
  quantity: number,
  cap: number,
): Promise<number | undefined> {
  const [row] = await queryRows<{ quantity: number }>(
    db,
    sql`insert into cart_items (cart_id, variant_id, quantity, product_id, product_name, variant_title, sku)
        select ${cartId}::uuid, ${v.variantId}::uuid, ${quantity}::int, ${v.productId}::uuid,
               ${v.productName}::text, ${v.variantTitle}::text, ${v.sku}::text
        where ${quantity}::int <= ${cap}::int
        on conflict (cart_id, variant_id) do update set
          quantity = cart_items.quantity + excluded.quantity,
          product_id = excluded.product_id,
          product_name = excluded.product_name,
          variant_title = excluded.variant_title,
          sku = excluded.sku,
          updated_at = now()
        where cart_items.quantity + excluded.quantity <= ${cap}::int
        returning quantity`,
  );
  return row?.quantity;
}

import { and, eq, sql } from 'drizzle-orm';
import {
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type AddCartItem,
  type Cart,
  type CartWarning,
} from '../../../shared/api/cart.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { cartItems } from '../../db/schema/index.js';
import { hashToken, newOpaqueToken } from '../auth/tokens.js';
import { displayName, priceCart, type CatalogVariant } from './cart.pricing.js';
import * as repo from './cart.repo.js';

/** Who is asking: a signed-in member (their one cart) or a guest holding a cart token. */
export type CartOwner = { kind: 'member'; userId: string } | { kind: 'guest'; token: string };

const TOKEN_PREFIX = 'cart';
const TOKEN_SHAPE = /^cart_[A-Za-z0-9_-]{43}$/;

export const cartNotFound = () =>
  new AppError('cart_not_found', 'No cart for this token: it is unknown, has expired or was merged into an account');

/** The stored hash of a guest token; junk is refused before hashing, exactly like an unknown token. */
export function guestTokenHash(token: string): string {
  if (!TOKEN_SHAPE.test(token)) throw cartNotFound();
  return hashToken(token);
}

/**
 * Finds the caller's cart and marks it used (a member's is created on first use). Inside a
 * transaction the cart row stays locked until commit, which serialises writes to one cart.
 */
export async function openCart(db: DbOrTx, owner: CartOwner, changed = false): Promise<repo.CartRow> {
  if (owner.kind === 'member') return repo.touchMemberCart(db, owner.userId, changed);
  const row = await repo.touchGuestCart(db, guestTokenHash(owner.token), changed);
  if (!row) throw cartNotFound();
  return row;
}

async function render(db: DbOrTx, row: repo.CartRow, warnings: CartWarning[] = []): Promise<Cart> {
  return priceCart(repo.toHeader(row), await repo.cartLineRows(db, row.id), warnings);
}

/** A cart priced from the catalog now: the view checkout and every cart endpoint answer with. */
export async function loadCart(db: DbOrTx, cartId: string, warnings: CartWarning[] = []): Promise<Cart> {
  const row = await repo.cartById(db, cartId);
  if (!row) throw cartNotFound();
  return render(db, row, warnings);
}

export interface CheckoutLine {
  variantId: string;
  productId: string;
  name: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  availableQuantity: number;
}

/**
 * The lines checkout may sell: unbuyable ones (archived, deleted, out of stock) are left out.
 * A line asking for more than is in stock is included; the reservation refuses it.
 */
export async function checkoutLines(db: DbOrTx, cartId: string): Promise<CheckoutLine[]> {
  const cart = await loadCart(db, cartId);
  return cart.items.flatMap((i) =>
    i.available && i.unitPriceCents !== null
      ? [
          {
            variantId: i.variantId,
            productId: i.productId,
            name: i.name,
            variantTitle: i.variantTitle,
            sku: i.sku,
            quantity: i.quantity,
            unitPriceCents: i.unitPriceCents,
            availableQuantity: i.availableQuantity,
          },
        ]
      : [],
  );
}

export async function createGuestCart(db: Db): Promise<{ cart: Cart; token: string }> {
  const { token, hash } = newOpaqueToken(TOKEN_PREFIX);
  const row = await repo.insertGuestCart(db, hash);
  return { cart: priceCart(repo.toHeader(row), []), token };
}

export async function getCart(db: Db, owner: CartOwner): Promise<Cart> {
  return render(db, await openCart(db, owner));
}

const field = (path: string, message: string) => ({ errors: [{ path, message }] });

/** Refuses a variant that cannot be sold into this cart; drafts answer exactly like unknown ids. */
function sellable(
  v: CatalogVariant | undefined,
  currency: string,
  variantId: string,
  productId?: string,
): asserts v is CatalogVariant {
  if (!v || v.productStatus === 'draft') {
    throw new AppError(
      'variant_unavailable',
      'No variant with this id is for sale',
      field('body.variantId', `no variant ${variantId}`),
    );
  }
  if (productId !== undefined && v.productId !== productId) {
    throw new AppError(
      'validation_failed',
      'The variant does not belong to this product',
      field('body.variantId', 'is not a variant of this product'),
    );
  }
  if (v.productStatus !== 'active') {
    const name = displayName(v.productName, v.variantTitle);
    throw new AppError(
      'variant_unavailable',
      `${name} is no longer for sale`,
      field('body.variantId', 'is not for sale'),
    );
  }
  if (v.currency !== currency) {
    throw new AppError(
      'currency_mismatch',
      `This variant is priced in ${v.currency}, the cart in ${currency}`,
      field('body.variantId', `is not priced in ${currency}`),
    );
  }
}

/**
 * `requested`: the line's quantity asked for in all; `inCart` is what the line holds when adding to
 * it, undefined when setting an absolute quantity.
 */
function outOfStock(v: CatalogVariant, requested: number, inCart?: number): AppError {
  const held = inCart ? ` and the cart already holds ${inCart}` : '';
  const hint =
    inCart === undefined
      ? `must be at most ${v.availableQuantity}`
      : `at most ${Math.max(0, v.availableQuantity - inCart)} more can be added`;
  return new AppError(
    'out_of_stock',
    `Only ${v.availableQuantity} of ${displayName(v.productName, v.variantTitle)} in stock${held}`,
    {
      ...field('body.quantity', hint),
      shortages: [{ variantId: v.variantId, sku: v.sku, requested, available: Math.max(0, v.availableQuantity) }],
    },
  );
}

function overLineLimit(inCart: number): AppError {
  return new AppError(
    'quantity_limit_exceeded',
    `A cart line holds at most ${MAX_LINE_QUANTITY} of one variant; this one already holds ${inCart}`,
    field('body.quantity', `at most ${MAX_LINE_QUANTITY - inCart} more can be added`),
  );
}

/**
 * Adds to a line of a cart whose row the caller has locked (see openCart). The sum is one
 * conditional upsert, so even without the lock no concurrent add is lost and no line passes
 * its caps; the lock is what makes the line-count check race-free.
 */
async function addLine(tx: DbOrTx, cart: repo.CartRow, input: AddCartItem, productId?: string): Promise<void> {
  const v = (await repo.catalogVariants(tx, [input.variantId])).get(input.variantId);
  sellable(v, cart.currency, input.variantId, productId);
  const { lines, existing } = await repo.lineState(tx, cart.id, input.variantId);
  if (existing === 0 && lines >= MAX_CART_LINES) {
    throw new AppError('cart_full', `A cart holds at most ${MAX_CART_LINES} different items; remove one first`);
  }
  const cap = Math.min(MAX_LINE_QUANTITY, v.availableQuantity);
  const written = await repo.addToLine(tx, cart.id, v, input.quantity, cap);
  if (written !== undefined) return;
  throw existing + input.quantity > MAX_LINE_QUANTITY
    ? overLineLimit(existing)
    : outOfStock(v, existing + input.quantity, existing);
}

export async function addItem(db: Db, owner: CartOwner, input: AddCartItem): Promise<Cart> {
  const cartId = await db.transaction(async (tx) => {
    const cart = await openCart(tx, owner, true);
    await addLine(tx, cart, input);
    return cart.id;
  });
  return loadCart(db, cartId);
}

/** For the wishlist's move-to-cart: adds inside the caller's transaction, checking the variant's product. */
export async function addToMemberCart(
  tx: DbOrTx,
  userId: string,
  input: AddCartItem,
  productId: string,
): Promise<string> {
  const cart = await openCart(tx, { kind: 'member', userId }, true);
  await addLine(tx, cart, input, productId);
  return cart.id;
}

const lineOf = (cartId: string, variantId: string) =>
  and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variantId));
const noLine = () => new AppError('cart_item_not_found', 'This variant is not in the cart');

async function deleteLine(tx: DbOrTx, cartId: string, variantId: string): Promise<void> {
  const gone = await tx.delete(cartItems).where(lineOf(cartId, variantId)).returning({ v: cartItems.variantId });
  if (gone.length === 0) throw noLine();
}

/**
 * Sets a line's quantity (0 removes it). Lowering is always allowed, even on a line that can
 * no longer be bought; raising needs the variant to be for sale and in stock.
 */
export async function setQuantity(db: Db, owner: CartOwner, variantId: string, quantity: number): Promise<Cart> {
  const cartId = await db.transaction(async (tx) => {
    const cart = await openCart(tx, owner, true);
    if (quantity === 0) {
      await deleteLine(tx, cart.id, variantId);
      return cart.id;
    }
    const [line] = await tx.select({ quantity: cartItems.quantity }).from(cartItems).where(lineOf(cart.id, variantId));
    if (!line) throw noLine();
    if (quantity > line.quantity) {
      const v = (await repo.catalogVariants(tx, [variantId])).get(variantId);
      sellable(v, cart.currency, variantId);
      if (quantity > v.availableQuantity) throw outOfStock(v, quantity);
    }
    await tx
      .update(cartItems)
      .set({ quantity, updatedAt: sql`now()` })
      .where(lineOf(cart.id, variantId));
    return cart.id;
  });
  return loadCart(db, cartId);
}

export async function removeItem(db: Db, owner: CartOwner, variantId: string): Promise<Cart> {
  const cartId = await db.transaction(async (tx) => {
    const cart = await openCart(tx, owner, true);
    await deleteLine(tx, cart.id, variantId);
    return cart.id;
  });
  return loadCart(db, cartId);
}

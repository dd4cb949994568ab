import { asc, eq, sql } from 'drizzle-orm';
import type { Cart, CartWarning } from '../../../shared/api/cart.schemas.js';
import type { Db } from '../../db/client.js';
import { cartItems, carts } from '../../db/schema/index.js';
import { planMerge } from './cart.merge-plan.js';
import { catalogVariants, guestCartAlive } from './cart.repo.js';
import { cartNotFound, guestTokenHash, loadCart, openCart } from './cart.service.js';

/**
 * Merges a guest cart into the member's cart in one transaction, then consumes the guest cart:
 * its token stops working, and the row remembers where it went, so the same member replaying the
 * merge (a retry after a lost answer) gets their cart back without adding anything twice.
 *
 * Locks the guest row, then the member's: every path that takes both takes them in this order.
 * Quantities are planned from rows locked for the whole transaction, so writing the planned
 * totals cannot overwrite a concurrent add (that add waits for the member's row).
 */
export async function mergeGuestCart(db: Db, userId: string, token: string): Promise<Cart> {
  const hash = guestTokenHash(token);
  const { cartId, warnings } = await db.transaction(async (tx) => {
    const [guest] = await tx
      .select({ id: carts.id, mergedIntoId: carts.mergedIntoId, alive: sql<boolean>`${guestCartAlive()}` })
      .from(carts)
      .where(eq(carts.tokenHash, hash))
      .for('update');
    if (!guest?.alive) throw cartNotFound();
    const member = await openCart(tx, { kind: 'member', userId }, true);
    if (guest.mergedIntoId !== null) {
      // Someone else's merged cart answers exactly like an unknown token.
      if (guest.mergedIntoId !== member.id) throw cartNotFound();
      return { cartId: member.id, warnings: [] as CartWarning[] };
    }
    const guestLines = await tx
      .select()
      .from(cartItems)
      .where(eq(cartItems.cartId, guest.id))
      .orderBy(asc(cartItems.addedAt), asc(cartItems.variantId));
    const memberLines = await tx
      .select({ variantId: cartItems.variantId, quantity: cartItems.quantity })
      .from(cartItems)
      .where(eq(cartItems.cartId, member.id));
    const catalog = await catalogVariants(
      tx,
      guestLines.map((l) => l.variantId),
    );
    const plan = planMerge({
      currency: member.currency,
      member: new Map(memberLines.map((l) => [l.variantId, l.quantity])),
      guest: guestLines.map((l) => ({
        variantId: l.variantId,
        quantity: l.quantity,
        addedAt: l.addedAt,
        snapshot: { productName: l.productName, variantTitle: l.variantTitle },
      })),
      catalog,
    });
    const rows = plan.writes.flatMap((w) => {
      const v = catalog.get(w.variantId);
      return v
        ? [
            {
              ...w,
              cartId: member.id,
              productId: v.productId,
              productName: v.productName,
              variantTitle: v.variantTitle,
              sku: v.sku,
            },
          ]
        : [];
    });
    if (rows.length > 0) {
      await tx
        .insert(cartItems)
        .values(rows)
        .onConflictDoUpdate({
          target: [cartItems.cartId, cartItems.variantId],
          set: { quantity: sql`excluded.quantity`, updatedAt: sql`now()` },
        });
    }
    await tx.delete(cartItems).where(eq(cartItems.cartId, guest.id));
    await tx
      .update(carts)
      .set({ mergedIntoId: member.id, lastActiveAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(carts.id, guest.id));
    return { cartId: member.id, warnings: plan.warnings };
  });
  return loadCart(db, cartId, warnings);
}

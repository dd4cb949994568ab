/**
 * Pure merge planning: what a guest cart adds to a member's cart. The service runs it on rows it
 * has locked and writes the result; the rules live here, with unit tests (cart.merge-plan.unit.test.ts).
 */
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartWarning } from '../../../shared/api/cart.schemas.js';
import { displayName, shortageMessage, unsellable, type CatalogVariant } from './cart.pricing.js';

export interface GuestLine {
  variantId: string;
  quantity: number;
  addedAt: Date;
  snapshot: { productName: string; variantTitle: string };
}

export interface MergeInput {
  /** The member cart's currency. */
  currency: string;
  /** The member's lines: variant id → quantity. */
  member: ReadonlyMap<string, number>;
  /** The guest's lines, oldest first: when the line limit bites, the oldest get in. */
  guest: readonly GuestLine[];
  catalog: ReadonlyMap<string, CatalogVariant>;
}

export interface MergeWrite {
  variantId: string;
  /** The line's final quantity (not a delta). */
  quantity: number;
  addedAt: Date;
}

export interface MergePlan {
  writes: MergeWrite[];
  warnings: CartWarning[];
}

/**
 * Quantities sum, capped by what is in stock and by the per-line limit; a merge never lowers a
 * line the member already had. Lines that cannot be bought (or would start at zero) are not
 * carried over; new lines beyond the line limit are left out. Each shortfall is a warning.
 */
export function planMerge(
  input: MergeInput,
  limits = { lines: MAX_CART_LINES, quantity: MAX_LINE_QUANTITY },
): MergePlan {
  const writes: MergeWrite[] = [];
  const warnings: CartWarning[] = [];
  let lines = input.member.size;
  for (const g of input.guest) {
    const v = input.catalog.get(g.variantId);
    const existing = input.member.get(g.variantId) ?? 0;
    const requested = existing + g.quantity;
    const name = v
      ? displayName(v.productName, v.variantTitle)
      : displayName(g.snapshot.productName, g.snapshot.variantTitle);
    const blocked = unsellable(
      { exists: v !== undefined, productStatus: v?.productStatus ?? null, currency: v?.currency ?? null },
      input.currency,
    );
    const available = blocked || !v ? 0 : v.availableQuantity;
    const granted = Math.max(existing, Math.min(requested, limits.quantity, available));
    const base = { variantId: g.variantId, requestedQuantity: requested, availableQuantity: available };
    if (existing === 0 && granted > 0 && lines >= limits.lines) {
      warnings.push({
        ...base,
        code: 'cart_full',
        grantedQuantity: 0,
        message: `${name} was not moved: a cart holds at most ${limits.lines} lines`,
      });
      continue;
    }
    if (granted < requested) {
      const why =
        !blocked && available >= limits.quantity
          ? `A cart line holds at most ${limits.quantity} of ${name}`
          : shortageMessage(name, blocked, available);
      warnings.push({
        ...base,
        code: 'quantity_capped',
        grantedQuantity: granted,
        message: `${why}: the cart holds ${granted} instead of ${requested}`,
      });
    }
    if (granted > existing) {
      writes.push({ variantId: g.variantId, quantity: granted, addedAt: g.addedAt });
      if (existing === 0) lines++;
    }
  }
  return { writes, warnings };
}

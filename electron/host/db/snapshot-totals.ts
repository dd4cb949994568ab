/**
 * A first download's derived columns computed from the stream's own rows (issue 6 performance).
 *
 * The snapshot stream sends levels before variants and variants before products, each table in id
 * order (shared/sync/protocol.ts SNAPSHOT_TABLES). Into a store that holds no level, variant or
 * product, the rows stored so far are then exactly the rows this stream has sent, so a variant's
 * stock sums and a product's columns can be summed up here as the rows go by and bound as plain
 * values, instead of being read back through an index by a subquery in every insert (derived.ts
 * VARIANT_STOCK, PRODUCT_DERIVED, which these mirror). Without those subqueries the two indexes
 * they read need not be kept up to date while the stream loads either.
 *
 * Anything that breaks the premise spoils the totals (`spoil`): a row that did not go in as sent
 * (an id out of order, a row kept out). The caller then goes back to the subqueries for the rest
 * and recomputes every derived column at the end (derived.ts recomputeAllDerived).
 */
import type { ProductStockState } from './schema.js';

interface ProductTotals {
  count: number;
  minPrice: number | null;
  maxPrice: number | null;
  onHand: number;
  available: number;
  /** Variants with something available, and variants at or below their low-stock threshold. */
  positive: number;
  low: number;
  /** The least currency of its variants (derived.ts takes min(currency)). */
  currency: string | null;
}

/** A variant's derived values (on_hand, reserved) and a product's (derived.ts PRODUCT_DERIVED.columns order). */
export type VariantDerived = [onHand: number, reserved: number];
export type ProductDerived = [
  variantCount: number,
  priceMinCents: number | null,
  priceMaxCents: number | null,
  onHand: number,
  available: number,
  stockState: ProductStockState,
  currency: string | null,
];

export class StreamTotals {
  /** Stock sums per variant id, taken (and forgotten) when the variant arrives. */
  private readonly stock = new Map<string, VariantDerived>();
  /** Per product id, its variants so far, taken (and forgotten) when the product arrives. */
  private readonly products = new Map<string, ProductTotals>();
  /** The last id seen per table: ids must rise (each table is read in id order, once). */
  private readonly lastIds = new Map<string, string>();
  private spoiledBy: string | null = null;

  /** Why the totals can no longer be trusted, or null. */
  get spoiled(): string | null {
    return this.spoiledBy;
  }

  spoil(reason: string): void {
    this.spoiledBy ??= reason;
  }

  /** Checks that `id` comes after the table's previous one; spoils the totals if not. */
  inOrder(table: string, id: string): void {
    const last = this.lastIds.get(table);
    if (last !== undefined && id <= last) this.spoil(`${table} ${id} arrived out of id order`);
    this.lastIds.set(table, id);
  }

  addLevel(variantId: string, onHand: number, reserved: number): void {
    const sums = this.stock.get(variantId);
    if (sums) {
      sums[0] += onHand;
      sums[1] += reserved;
    } else this.stock.set(variantId, [onHand, reserved]);
  }

  /** The variant's stock sums; counts the variant into its product's totals. */
  variant(
    id: string,
    productId: string,
    priceCents: number,
    lowStockThreshold: number,
    currency: string,
  ): VariantDerived {
    const sums = this.stock.get(id) ?? [0, 0];
    this.stock.delete(id);
    const [onHand, reserved] = sums;
    const available = onHand - reserved;
    let p = this.products.get(productId);
    if (!p) {
      p = { count: 0, minPrice: null, maxPrice: null, onHand: 0, available: 0, positive: 0, low: 0, currency: null };
      this.products.set(productId, p);
    }
    p.count++;
    p.minPrice = p.minPrice === null ? priceCents : Math.min(p.minPrice, priceCents);
    p.maxPrice = p.maxPrice === null ? priceCents : Math.max(p.maxPrice, priceCents);
    p.onHand += onHand;
    p.available += Math.max(available, 0);
    if (available > 0) p.positive++;
    if (available <= lowStockThreshold) p.low++;
    if (p.currency === null || currency < p.currency) p.currency = currency;
    return [onHand, reserved];
  }

  /** The product's derived columns from its variants so far. */
  product(id: string): ProductDerived {
    const p = this.products.get(id);
    this.products.delete(id);
    if (!p) return [0, null, null, 0, 0, 'out_of_stock', null];
    const state: ProductStockState = p.positive === 0 ? 'out_of_stock' : p.low > 0 ? 'low_stock' : 'in_stock';
    return [p.count, p.minPrice, p.maxPrice, p.onHand, p.available, state, p.currency];
  }
}

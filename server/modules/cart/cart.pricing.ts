/**
 * Pure cart pricing: turns stored lines plus what the catalog says now into the cart shoppers
 * see. No I/O, so every rule here has a fast unit test (cart.pricing.unit.test.ts).
 */
import type { Cart, CartLine, CartWarning } from '../../../shared/api/cart.schemas.js';

export type ProductStatus = 'draft' | 'active' | 'archived';

/** What the catalog says about a variant right now. */
export interface CatalogVariant {
  variantId: string;
  productId: string;
  productName: string;
  productStatus: ProductStatus;
  variantTitle: string;
  sku: string;
  priceCents: number;
  currency: string;
  /** On hand minus reserved at the default location, never below zero. */
  availableQuantity: number;
}

/** A stored cart line joined with the catalog; `variant` and `product` are null once deleted. */
export interface LineRow {
  variantId: string;
  quantity: number;
  addedAt: Date;
  /** What the line was when last added: names it once the variant is gone. */
  snapshot: { productId: string; productName: string; variantTitle: string; sku: string };
  variant: { sku: string; title: string; options: Record<string, string>; priceCents: number; currency: string } | null;
  product: { id: string; slug: string; name: string; status: ProductStatus } | null;
  image: { url: string; alt: string } | null;
  availableQuantity: number;
}

export interface CartHeader {
  id: string;
  currency: string;
  /** Null for a member's cart, which never expires. */
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type Unsellable = 'variant_removed' | 'product_unavailable' | 'currency_mismatch';

/** Why a variant cannot go into a cart priced in `currency`, or null when it can (stock aside). */
export function unsellable(
  v: { exists: boolean; productStatus: ProductStatus | null; currency: string | null },
  currency: string,
): Unsellable | null {
  if (!v.exists) return 'variant_removed';
  if (v.productStatus !== 'active') return 'product_unavailable';
  if (v.currency !== currency) return 'currency_mismatch';
  return null;
}

export const displayName = (name: string, title: string): string => (title ? `${name} (${title})` : name);

const MESSAGES: Record<Unsellable | 'out_of_stock' | 'insufficient_stock', (name: string, n: number) => string> = {
  variant_removed: (name) => `${name} is no longer sold`,
  product_unavailable: (name) => `${name} is not for sale at the moment`,
  currency_mismatch: (name) => `${name} is priced in another currency than this cart`,
  out_of_stock: (name) => `${name} is out of stock`,
  insufficient_stock: (name, n) => `Only ${n} of ${name} ${n === 1 ? 'is' : 'are'} in stock`,
};

/** Why a line cannot have more: not sellable, or only `available` in stock (0 = out of stock). */
export const shortageMessage = (name: string, blocked: Unsellable | null, available: number): string =>
  blocked
    ? MESSAGES[blocked](name, 0)
    : MESSAGES[available === 0 ? 'out_of_stock' : 'insufficient_stock'](name, available);

function lineWarning(row: LineRow, name: string, currency: string): CartWarning | null {
  const blocked = unsellable(
    {
      exists: row.variant !== null,
      productStatus: row.product?.status ?? null,
      currency: row.variant?.currency ?? null,
    },
    currency,
  );
  const code = blocked ?? (row.availableQuantity === 0 ? 'out_of_stock' : null);
  if (code) return { code, message: MESSAGES[code](name, 0), variantId: row.variantId };
  if (row.quantity > row.availableQuantity) {
    return {
      code: 'insufficient_stock',
      message: MESSAGES.insufficient_stock(name, row.availableQuantity),
      variantId: row.variantId,
      requestedQuantity: row.quantity,
      availableQuantity: row.availableQuantity,
    };
  }
  return null;
}

export function priceLine(row: LineRow, currency: string): CartLine {
  const { variant, product, snapshot } = row;
  const name = product?.name ?? snapshot.productName;
  const variantTitle = variant?.title ?? snapshot.variantTitle;
  const warning = lineWarning(row, displayName(name, variantTitle), currency);
  const unitPriceCents = variant?.priceCents ?? null;
  return {
    variantId: row.variantId,
    productId: product?.id ?? snapshot.productId,
    productSlug: product?.slug ?? null,
    name,
    variantTitle,
    sku: variant?.sku ?? snapshot.sku,
    options: variant?.options ?? {},
    image: row.image,
    quantity: row.quantity,
    unitPriceCents,
    lineTotalCents: unitPriceCents === null ? null : unitPriceCents * row.quantity,
    // Short stock still sells (the shopper lowers the quantity); the other warnings make a line unbuyable.
    available: warning === null || warning.code === 'insufficient_stock',
    availableQuantity: row.availableQuantity,
    warnings: warning ? [warning] : [],
    addedAt: row.addedAt.toISOString(),
  };
}

/** The cart as shoppers see it: prices from the catalog now, unbuyable lines listed but not counted. */
export function priceCart(header: CartHeader, rows: LineRow[], extraWarnings: CartWarning[] = []): Cart {
  const items = rows.map((r) => priceLine(r, header.currency));
  const buyable = items.filter((i) => i.available);
  return {
    id: header.id,
    currency: header.currency,
    items,
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    subtotalCents: buyable.reduce((sum, i) => sum + (i.lineTotalCents ?? 0), 0),
    checkoutReady: buyable.length > 0 && buyable.every((i) => i.quantity <= i.availableQuantity),
    warnings: [...extraWarnings, ...items.flatMap((i) => i.warnings)],
    expiresAt: header.expiresAt?.toISOString() ?? null,
    createdAt: header.createdAt.toISOString(),
    updatedAt: header.updatedAt.toISOString(),
  };
}

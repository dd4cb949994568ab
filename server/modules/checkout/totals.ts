/**
 * Order totals, computed on the server only (nothing price-like from the client is read).
 * Pure: prices come from the catalog, rates from the configuration.
 *
 * - subtotal: Σ unit price × quantity;
 * - shipping: the destination country's flat rate (else `default`), free when the subtotal
 *   reaches the threshold (a threshold of 0 turns free shipping off);
 * - tax: the destination country's rate (basis points, else `default`) on subtotal + shipping,
 *   rounded half up to the cent, as most VAT regimes tax delivery with the goods.
 */
export interface TotalsLine {
  unitPriceCents: number;
  quantity: number;
}

export interface TotalsConfig {
  shippingRates: Record<string, number>;
  freeShippingThresholdCents: number;
  taxRates: Record<string, number>;
}

export interface Totals {
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  /** The tax rate applied, in basis points. */
  taxRateBasisPoints: number;
}

const rateFor = (table: Record<string, number>, country: string): number =>
  (Object.hasOwn(table, country.toUpperCase()) ? table[country.toUpperCase()] : table.default) ?? 0;

/** `amount × basisPoints / 10 000`, rounded half up, in integers only. */
export const applyBasisPoints = (amountCents: number, basisPoints: number): number =>
  Math.floor((amountCents * basisPoints + 5_000) / 10_000);

export function computeTotals(lines: readonly TotalsLine[], country: string, config: TotalsConfig): Totals {
  const subtotalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
  const free = config.freeShippingThresholdCents > 0 && subtotalCents >= config.freeShippingThresholdCents;
  const shippingCents = lines.length === 0 || free ? 0 : rateFor(config.shippingRates, country);
  const taxRateBasisPoints = rateFor(config.taxRates, country);
  const taxCents = applyBasisPoints(subtotalCents + shippingCents, taxRateBasisPoints);
  return {
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + taxCents,
    taxRateBasisPoints,
  };
}

/** The totals settings of the server configuration. */
export const totalsConfig = (config: {
  SHIPPING_RATES: Record<string, number>;
  FREE_SHIPPING_THRESHOLD_CENTS: number;
  TAX_RATES: Record<string, number>;
}): TotalsConfig => ({
  shippingRates: config.SHIPPING_RATES,
  freeShippingThresholdCents: config.FREE_SHIPPING_THRESHOLD_CENTS,
  taxRates: config.TAX_RATES,
});

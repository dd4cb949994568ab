/** Formatting shared by the product screens and the dashboard. */
import { formatCents, formatCount } from '../../lib/format.js';

/**
 * Product list rows carry prices without a currency (the contract's productListItem has none), and a
 * store with no sales yet has no currency in its reports: both fall back to the currency the host
 * gives variants without one (shared/sync/rebase.ts).
 */
export const FALLBACK_CURRENCY = 'USD';

/** A list total as the host counts it: it stops at 1000 (`totalCapped`), which reads "1,000+". */
export function countLabel(total: number, capped: boolean): string {
  return capped ? `${formatCount(total)}+` : formatCount(total);
}

/** "$12.00", "$12.00 – $30.00", or "—" for a product without priced variants. */
export function priceRangeLabel(min: number | null, max: number | null, currency: string = FALLBACK_CURRENCY): string {
  if (min === null) return '—';
  const low = formatCents(min, currency);
  return max === null || max === min ? low : `${low} – ${formatCents(max, currency)}`;
}

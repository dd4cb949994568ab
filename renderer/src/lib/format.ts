/**
 * Number and money formatting with cached Intl formatters: building an Intl.NumberFormat costs far
 * more than using one, and a scrolling table formats hundreds of cells a second.
 */
const formatters = new Map<string, { format: Intl.NumberFormat; digits: number }>();

function moneyFormatter(currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let entry = formatters.get(key);
  if (!entry) {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    formatters.set(key, entry);
  }
  return entry;
}

export const userLocale = (): string => (typeof navigator !== 'undefined' && navigator.language) || 'en-US';

/** Integer minor units (cents) of an ISO 4217 currency, e.g. 1234 USD → "$12.34". */
export function formatCents(cents: number, currency: string, locale: string = userLocale()): string {
  const { format, digits } = moneyFormatter(currency, locale);
  return format.format(cents / 10 ** digits);
}

const integers = new Intl.NumberFormat();
/** 12345 → "12,345" in the user's locale. */
export const formatCount = (n: number): string => integers.format(n);

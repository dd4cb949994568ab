/** Money is always integer minor units plus an ISO 4217 code. Never floats. */
export interface Money {
  amount: number;
  currency: string;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amount must be an integer, got ${amount}`);
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`currency must be an ISO 4217 code, got ${currency}`);
  return { amount, currency };
}

/** Building an Intl.NumberFormat costs far more than using one: one per locale and currency. */
const formatters = new Map<string, { format: Intl.NumberFormat; divisor: number }>();

function formatter(locale: string, currency: string): { format: Intl.NumberFormat; divisor: number } {
  const key = `${locale}|${currency}`;
  let found = formatters.get(key);
  if (!found) {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    found = { format, divisor: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    formatters.set(key, found);
  }
  return found;
}

export function formatMoney(value: Money, locale = 'en-US'): string {
  const { format, divisor } = formatter(locale, value.currency);
  return format.format(value.amount / divisor);
}

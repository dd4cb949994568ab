/**
 * The product CSV format (export and import), pure helpers only.
 *
 * - UTF-8, RFC 4180 quoting, CRLF between records, and a UTF-8 byte order mark on export so
 *   spreadsheet apps read it as UTF-8 (import accepts files with or without one).
 * - One row per variant; every row repeats its product's fields, so rows survive sorting and
 *   filtering in a spreadsheet. Columns, in this order (import accepts any order, but needs
 *   every column): product_id, handle, name, description, status, categories, tags,
 *   option1_name, option1_value … option3_name, option3_value, variant_id, sku, price,
 *   compare_at_price, cost, currency, barcode, weight_grams, low_stock_threshold, stock.
 *   When a product has more than three options, the export adds option4_* / option5_* columns
 *   after option3_value (the API allows five); import accepts them too.
 * - Money columns (price, compare_at_price, cost) are decimal strings in MAJOR units with exactly
 *   the currency's minor digits (1999 USD cents → `19.99`, 1234567 JPY → `1234567`, 1234567 KWD
 *   fils → `1234.567`). Import converts them to integer minor units by string manipulation —
 *   never through a float — and accepts fewer decimals (`19.9`, `19`) but never more, a comma
 *   decimal separator or thousands separators.
 * - categories (category slugs) and tags are joined with `|`; inside them `\|` is a literal
 *   pipe and `\\` a literal backslash.
 * - `stock` is the on-hand quantity at the default location. Empty means "leave stock alone".
 * - `?excel=1` on export guards against spreadsheet formula injection: a text cell starting with
 *   = + - @ TAB or CR gets a leading apostrophe. Such a file is for viewing in a spreadsheet;
 *   its guarded cells do not round-trip exactly, so the default export leaves cells untouched.
 */

export const MIN_OPTION_COLUMNS = 3;
export const MAX_OPTION_COLUMNS = 5;

const LEADING = ['product_id', 'handle', 'name', 'description', 'status', 'categories', 'tags'] as const;
const TRAILING = [
  'variant_id',
  'sku',
  'price',
  'compare_at_price',
  'cost',
  'currency',
  'barcode',
  'weight_grams',
  'low_stock_threshold',
  'stock',
] as const;

export type FixedColumn = (typeof LEADING)[number] | (typeof TRAILING)[number];
export type OptionColumn = `option${number}_${'name' | 'value'}`;
export type Column = FixedColumn | OptionColumn;

export const optionName = (i: number): OptionColumn => `option${i + 1}_name`;
export const optionValue = (i: number): OptionColumn => `option${i + 1}_value`;

/** The header for a file holding products with at most `optionCount` options (never fewer than three). */
export function columnsFor(optionCount: number): Column[] {
  const n = Math.min(MAX_OPTION_COLUMNS, Math.max(MIN_OPTION_COLUMNS, optionCount));
  const options = Array.from({ length: n }, (_, i) => [optionName(i), optionValue(i)]).flat();
  return [...LEADING, ...options, ...TRAILING];
}

export const REQUIRED_COLUMNS: readonly Column[] = columnsFor(MIN_OPTION_COLUMNS);

/** Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for KWD), as Intl knows them. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 1999 USD → "19.99"; -5 → "-0.05"; 1234567 JPY → "1234567". Exact for every safe integer. */
export function centsToDecimal(cents: number, currency: string): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of minor units: ${cents}`);
  const digits = minorDigits(currency);
  const abs = String(Math.abs(cents)).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${cents < 0 ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$|^(-?)\.(\d+)$/;

/** "19.99" USD → 1999, "19.9" → 1990, "7" → 700, "-0.5" → -50. Refuses "12,5", "1e3", "1,000.00", "19.999". */
export function decimalToCents(text: string, currency: string): Parsed<number> {
  const digits = minorDigits(currency);
  const example = digits > 0 ? `12.${'5'.padEnd(digits, '0')}` : '12';
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    return { ok: false, message: `must be a number like ${example} (no thousands separators, a dot for decimals)` };
  }
  const negative = (match[1] ?? match[4]) === '-';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? match[5] ?? '';
  if (fraction.length > digits) {
    return { ok: false, message: `has more than ${digits} decimal place${digits === 1 ? '' : 's'} (${currency})` };
  }
  const units = (whole + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (units.length > 15) return { ok: false, message: 'is too large' };
  const value = Number(units);
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** A whole number ("12", "-3"); "12.0", "1e3" and "12,5" are refused. */
export function parseInteger(text: string, min: number, max: number): Parsed<number> {
  const t = text.trim();
  if (!/^-?\d{1,15}$/.test(t)) return { ok: false, message: 'must be a whole number' };
  const value = Number(t);
  if (value < min) return { ok: false, message: `must be at least ${min}` };
  if (value > max) return { ok: false, message: `must be at most ${max}` };
  return { ok: true, value };
}

/** Joins list items with `|`, escaping `\` and `|` inside items so any item survives. */
export function joinList(items: readonly string[]): string {
  return items.map((s) => s.replace(/[\\|]/g, (c) => `\\${c}`)).join('|');
}

/** The inverse of joinList; blank items are dropped, `\x` for any other x stays as typed. */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\\' && (next === '\\' || next === '|')) {
      current += next;
      i++;
    } else if (c === '|') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Spreadsheet formula guard for `?excel=1`: a leading apostrophe makes the cell plain text. */
export function guardFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Columns that hold free text (the only ones guarded in excel mode; numbers are ours and safe). */
export function isTextColumn(column: Column): boolean {
  return !['price', 'compare_at_price', 'cost', 'weight_grams', 'low_stock_threshold', 'stock'].includes(column);
}

/**
 * How one report cell is written in each export format. Money leaves as major units with the
 * currency's own number of decimals (JPY has none), never as floats computed twice: the amount is
 * integer cents until this last step.
 */
import type { ColumnKind } from './definitions.js';

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 code (2 when Intl does not know it). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** `1234.5` style text from integer minor units, exact (string arithmetic, no float rounding). */
export function formatAmount(cents: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = cents < 0 ? '-' : '';
  const abs = String(Math.abs(cents)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/**
 * Spreadsheet apps run a cell starting with = + - @ (or a tab/CR) as a formula; names and e-mails
 * come from shoppers, so such text gets a leading apostrophe (the OWASP advice for CSV).
 */
export function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

type Row = Record<string, unknown>;

/** Report cells are strings, numbers or null; anything else would be a bug, shown as JSON rather than "[object Object]". */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
const currencyOf = (row: Row) => (typeof row.currency === 'string' ? row.currency : 'USD');

/** CSV: numbers stay numbers, money is exact decimal text, text is formula-safe. */
export function csvCell(row: Row, key: string, kind: ColumnKind): string | number {
  const value = row[key];
  if (kind === 'money') return formatAmount(value as number, currencyOf(row));
  if (kind === 'int') return value as number;
  return safeText(textOf(value));
}

/** XLSX: money as a number of major units (the cell's format shows the decimals); text cells are never formulas. */
export function xlsxCell(row: Row, key: string, kind: ColumnKind): string | number {
  const value = row[key];
  if (kind === 'money') return Number(formatAmount(value as number, currencyOf(row)));
  if (kind === 'int') return value as number;
  return textOf(value);
}

/** PDF: everything is text; money with thousands separators for reading. */
export function pdfCell(row: Row, key: string, kind: ColumnKind): string {
  const value = row[key];
  if (kind === 'money') {
    const [whole, fraction] = formatAmount(value as number, currencyOf(row)).split('.');
    const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction === undefined ? grouped : `${grouped}.${fraction}`;
  }
  return textOf(value);
}

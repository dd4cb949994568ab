import { isUuid } from '../../../../shared/domain/ids.js';
import {
  columnsFor,
  decimalToCents,
  MAX_OPTION_COLUMNS,
  optionName,
  optionValue,
  parseInteger,
  REQUIRED_COLUMNS,
  splitList,
  type Column,
  type Parsed,
} from './csv-format.js';

/** One problem in the file. `line` is the row number a spreadsheet shows (the header is line 1). */
export interface CsvIssue {
  line: number;
  column?: string;
  message: string;
}

export interface Header {
  index: ReadonlyMap<string, number>;
  optionCount: number;
  width: number;
}

/** A variant row with its cells parsed. Product fields are as written; '' means the cell was blank. */
export interface ParsedRow {
  line: number;
  productId: string;
  handle: string;
  name: string;
  description: string;
  status: string;
  categories: string[];
  tags: string[];
  /** Per option column pair, trimmed ('' when blank). */
  options: { name: string; value: string }[];
  variantId: string;
  sku: string;
  priceCents: number;
  compareAtPriceCents: number | null;
  costCents: number | null;
  currency: string;
  barcode: string | null;
  weightGrams: number | null;
  lowStockThreshold: number | undefined;
  stock: number | undefined;
}

export const MAX_STOCK = 10_000_000;

/** Reads the header row: every required column once, option columns in pairs up to five, nothing unknown. */
export function parseHeader(cells: string[]): { header?: Header; issues: CsvIssue[] } {
  const issues: CsvIssue[] = [];
  const names = cells.map((c) => c.trim().toLowerCase());
  const index = new Map<string, number>();
  const known = new Set<string>(columnsFor(MAX_OPTION_COLUMNS));
  names.forEach((name, i) => {
    if (name === '') issues.push({ line: 1, message: `column ${i + 1} has no name` });
    else if (!known.has(name)) issues.push({ line: 1, column: name, message: 'is not a known column' });
    else if (index.has(name)) issues.push({ line: 1, column: name, message: 'appears more than once' });
    else index.set(name, i);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) issues.push({ line: 1, column, message: 'is missing from the header' });
  }
  let optionCount = 3;
  for (let i = 3; i < MAX_OPTION_COLUMNS; i++) {
    const pair = [optionName(i), optionValue(i)].filter((c) => index.has(c)).length;
    if (pair === 0) continue;
    if (pair === 1 || optionCount !== i) {
      issues.push({
        line: 1,
        column: optionName(i),
        message: 'option columns must come in name/value pairs, in order',
      });
    }
    optionCount = i + 1;
  }
  return issues.length > 0 ? { issues } : { header: { index, optionCount, width: cells.length }, issues };
}

function fail<T>(issues: CsvIssue[], line: number, column: Column, result: Parsed<T>, fallback: T): T {
  if (result.ok) return result.value;
  issues.push({ line, column, message: result.message });
  return fallback;
}

/**
 * Parses one record. Returns null for a blank row (skipped). Cells that fail to parse are
 * reported and replaced by a neutral value, so later checks do not report the same cell twice.
 */
export function parseRow(header: Header, line: number, cells: string[], issues: CsvIssue[]): ParsedRow | null {
  if (cells.every((c) => c.trim() === '')) return null;
  if (cells.length !== header.width) {
    issues.push({ line, message: `has ${cells.length} cells but the header has ${header.width}` });
    return null;
  }
  const raw = (column: Column) => cells[header.index.get(column)!] ?? '';
  const cell = (column: Column) => raw(column).trim();
  for (let i = 0; i < cells.length; i++) {
    if (cells[i]!.includes('\uFFFD')) {
      issues.push({ line, message: 'is not valid UTF-8: save the file as "CSV UTF-8"' });
      return null;
    }
  }
  const uuid = (column: Column) => {
    const v = cell(column);
    if (v !== '' && !isUuid(v)) issues.push({ line, column, message: 'must be a UUID or blank' });
    return isUuid(v) ? v.toLowerCase() : '';
  };
  const currency = cell('currency').toUpperCase();
  const currencyOk = /^[A-Z]{3}$/.test(currency);
  if (!currencyOk) {
    issues.push({ line, column: 'currency', message: currency ? 'must be an ISO 4217 code like USD' : 'is required' });
  }
  const money = (column: Column, required: boolean): number | null => {
    const v = cell(column);
    if (v === '') {
      if (required) issues.push({ line, column, message: 'is required' });
      return required ? 0 : null;
    }
    return currencyOk ? fail(issues, line, column, decimalToCents(v, currency), required ? 0 : null) : null;
  };
  const integer = (column: Column, min: number, max: number): number | undefined => {
    const v = cell(column);
    return v === '' ? undefined : fail(issues, line, column, parseInteger(v, min, max), undefined);
  };
  return {
    line,
    productId: uuid('product_id'),
    handle: cell('handle'),
    name: raw('name'),
    description: raw('description'),
    status: cell('status').toLowerCase(),
    categories: splitList(cell('categories')).map((s) => s.toLowerCase()),
    tags: splitList(cell('tags')),
    options: Array.from({ length: header.optionCount }, (_, i) => ({
      name: cell(optionName(i)),
      value: cell(optionValue(i)),
    })),
    variantId: uuid('variant_id'),
    sku: cell('sku'),
    priceCents: money('price', true) ?? 0,
    compareAtPriceCents: money('compare_at_price', false),
    costCents: money('cost', false),
    currency: currencyOk ? currency : 'USD',
    barcode: cell('barcode') || null,
    // Ranges beyond "a whole number" are the API schema's to enforce, so its messages apply.
    weightGrams: integer('weight_grams', -1e15, 1e15) ?? null,
    lowStockThreshold: integer('low_stock_threshold', -1e15, 1e15),
    stock: integer('stock', -MAX_STOCK, MAX_STOCK),
  };
}

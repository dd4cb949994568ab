import type { ProductOption } from '../../../db/schema/index.js';
import { optionName, optionValue } from './csv-format.js';
import type { CsvIssue, ParsedRow } from './csv-rows.js';

/** A row's variant fields, with the option columns turned into name → value. */
export type VariantDraft = Pick<
  ParsedRow,
  | 'line'
  | 'sku'
  | 'priceCents'
  | 'compareAtPriceCents'
  | 'costCents'
  | 'currency'
  | 'barcode'
  | 'weightGrams'
  | 'lowStockThreshold'
  | 'stock'
> & { id: string; optionValues: Record<string, string> };

/** One product as the file describes it: fields from its first row, one variant per row. */
export interface ProductDraft {
  line: number;
  productId: string;
  handle: string;
  name: string;
  description: string;
  status: string;
  categories: string[];
  tags: string[];
  /** Option names and the values in order of first appearance. */
  options: ProductOption[];
  variants: VariantDraft[];
}

const PRODUCT_FIELDS = ['handle', 'name', 'description', 'status', 'categories', 'tags'] as const;

const same = (a: ParsedRow, b: ParsedRow, field: (typeof PRODUCT_FIELDS)[number]) => {
  const x = a[field];
  const y = b[field];
  return Array.isArray(x) ? x.join('\u0000') === (y as string[]).join('\u0000') : x.trim() === (y as string).trim();
};
const blank = (row: ParsedRow, field: (typeof PRODUCT_FIELDS)[number]) => {
  const v = row[field];
  return Array.isArray(v) ? v.length === 0 : v.trim() === '';
};

function optionsOf(first: ParsedRow, issues: CsvIssue[]): string[] {
  const names: string[] = [];
  first.options.forEach((o, i) => {
    if (o.name === '') return;
    if (names.length !== i) {
      issues.push({ line: first.line, column: optionName(i), message: `is set but ${optionName(i - 1)} is blank` });
    }
    names.push(o.name);
  });
  return names;
}

function variantOf(row: ParsedRow, names: string[], issues: CsvIssue[]): VariantDraft {
  const optionValues: Record<string, string> = {};
  row.options.forEach((o, i) => {
    const expected = names[i];
    if (expected === undefined) {
      if (o.name !== '' || o.value !== '') {
        issues.push({
          line: row.line,
          column: o.name ? optionName(i) : optionValue(i),
          message: 'the product has no such option (see its first row)',
        });
      }
      return;
    }
    if (o.name !== '' && o.name !== expected) {
      issues.push({
        line: row.line,
        column: optionName(i),
        message: `must be "${expected}" like the product's first row`,
      });
    }
    if (o.value === '')
      issues.push({
        line: row.line,
        column: optionValue(i),
        message: `is required: the product has option "${expected}"`,
      });
    else optionValues[expected] = o.value;
  });
  return {
    line: row.line,
    id: row.variantId,
    sku: row.sku,
    optionValues,
    priceCents: row.priceCents,
    compareAtPriceCents: row.compareAtPriceCents,
    costCents: row.costCents,
    currency: row.currency,
    barcode: row.barcode,
    weightGrams: row.weightGrams,
    lowStockThreshold: row.lowStockThreshold,
    stock: row.stock,
  };
}

/**
 * Groups variant rows into products: by product_id when given, else by handle (a row without an
 * id joins the product that already claimed its handle). Later rows of a product may leave the
 * product fields blank or repeat them; a different value is an error, never a silent pick.
 * Also catches what only the whole file shows: repeated SKUs, variant ids and handles.
 */
export function groupRows(rows: ParsedRow[]): { products: ProductDraft[]; issues: CsvIssue[] } {
  const issues: CsvIssue[] = [];
  const groups = new Map<string, ParsedRow[]>();
  const keyOfHandle = new Map<string, string>();
  for (const row of rows) {
    const handle = row.handle.toLowerCase();
    if (!row.productId && !handle) {
      issues.push({ line: row.line, column: 'handle', message: 'a row needs a handle or a product_id' });
      continue;
    }
    const key = row.productId ? `id:${row.productId}` : (keyOfHandle.get(handle) ?? `handle:${handle}`);
    if (handle && !keyOfHandle.has(handle)) keyOfHandle.set(handle, key);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }

  const products: ProductDraft[] = [];
  const skuLine = new Map<string, number>();
  const variantLine = new Map<string, number>();
  const handleLine = new Map<string, number>();
  for (const group of groups.values()) {
    const first = group[0]!;
    for (const row of group.slice(1)) {
      for (const field of PRODUCT_FIELDS) {
        if (!blank(row, field) && !same(row, first, field)) {
          issues.push({
            line: row.line,
            column: field,
            message: `differs from the product's first row (line ${first.line})`,
          });
        }
      }
    }
    const handle = first.handle.toLowerCase();
    if (handle && handleLine.has(handle)) {
      issues.push({
        line: first.line,
        column: 'handle',
        message: `is also used by the product on line ${handleLine.get(handle)}`,
      });
    } else if (handle) handleLine.set(handle, first.line);
    const names = optionsOf(first, issues);
    const variants = group.map((row) => variantOf(row, names, issues));
    for (const v of variants) {
      const sku = v.sku.trim();
      if (sku && skuLine.has(sku))
        issues.push({ line: v.line, column: 'sku', message: `repeats the SKU on line ${skuLine.get(sku)}` });
      else if (sku) skuLine.set(sku, v.line);
      if (v.id && variantLine.has(v.id)) {
        issues.push({
          line: v.line,
          column: 'variant_id',
          message: `repeats the variant_id on line ${variantLine.get(v.id)}`,
        });
      } else if (v.id) variantLine.set(v.id, v.line);
    }
    const options = names.map((name) => ({
      name,
      values: [...new Set(variants.map((v) => v.optionValues[name]).filter((x): x is string => x !== undefined))],
    }));
    products.push({
      line: first.line,
      productId: first.productId,
      handle: first.handle,
      name: first.name,
      description: first.description,
      status: first.status,
      categories: first.categories,
      tags: first.tags,
      options,
      variants,
    });
  }
  return { products, issues };
}

const PRODUCT_COLUMNS: Record<string, string> = {
  id: 'product_id',
  slug: 'handle',
  name: 'name',
  description: 'description',
  status: 'status',
  categoryIds: 'categories',
  tags: 'tags',
};
const VARIANT_COLUMNS: Record<string, string> = {
  id: 'variant_id',
  sku: 'sku',
  priceCents: 'price',
  compareAtPriceCents: 'compare_at_price',
  costCents: 'cost',
  currency: 'currency',
  barcode: 'barcode',
  weightGrams: 'weight_grams',
  lowStockThreshold: 'low_stock_threshold',
  initialStock: 'stock',
};

/**
 * Where in the file a validation path of the product input points: `variants.2.priceCents` →
 * the third variant's line, column price; `options.1.values` → the first line, option2_value.
 */
export function locate(draft: ProductDraft, path: readonly PropertyKey[]): { line: number; column?: string } {
  const [head, index, field, key] = path.map((p) => (typeof p === 'symbol' ? '' : p));
  if (head === 'variants' && typeof index === 'number' && draft.variants[index]) {
    const line = draft.variants[index].line;
    if (field === 'optionValues') {
      const i = draft.options.findIndex((o) => o.name === key);
      return i >= 0 ? { line, column: optionValue(i) } : { line };
    }
    const column = typeof field === 'string' ? VARIANT_COLUMNS[field] : undefined;
    return column ? { line, column } : { line };
  }
  if (head === 'options' && typeof index === 'number') {
    return { line: draft.line, column: field === 'values' ? optionValue(index) : optionName(index) };
  }
  const column = typeof head === 'string' ? PRODUCT_COLUMNS[head] : undefined;
  return column ? { line: draft.line, column } : { line: draft.line };
}

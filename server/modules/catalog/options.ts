import type { FieldError } from '../../../shared/domain/errors.js';
import type { ProductOption } from '../../db/schema/index.js';

interface VariantLike {
  id?: string | undefined;
  sku: string;
  optionValues?: Record<string, string> | undefined;
}

/**
 * Checks variants against the product's options: every variant names exactly one allowed value
 * per option, no two variants share a combination or a SKU, and a product without options has a
 * single variant, and no id appears twice. Pure, so the same rules serve the API, CSV import and sync.
 */
export function checkVariants(options: ProductOption[], variants: VariantLike[], path = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  const names = options.map((o) => o.name);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    errors.push({ path: `${path}.options`, message: 'option names must be unique' });
  }
  options.forEach((o, i) => {
    if (new Set(o.values).size !== o.values.length) {
      errors.push({ path: `${path}.options.${i}.values`, message: 'values must be unique' });
    }
  });
  if (options.length === 0 && variants.length > 1) {
    errors.push({ path: `${path}.variants`, message: 'a product without options has exactly one variant' });
  }
  const combos = new Map<string, number>();
  const skus = new Map<string, number>();
  const ids = new Map<string, number>();
  variants.forEach((v, i) => {
    const where = `${path}.variants.${i}`;
    const values = v.optionValues ?? {};
    for (const key of Object.keys(values)) {
      if (!names.includes(key))
        errors.push({ path: `${where}.optionValues.${key}`, message: 'is not an option of this product' });
    }
    for (const option of options) {
      const value = values[option.name];
      if (value === undefined) errors.push({ path: `${where}.optionValues.${option.name}`, message: 'is required' });
      else if (!option.values.includes(value)) {
        errors.push({
          path: `${where}.optionValues.${option.name}`,
          message: `must be one of: ${option.values.join(', ')}`,
        });
      }
    }
    const combo = JSON.stringify(names.map((n) => values[n] ?? null));
    if (options.length > 0 && combos.has(combo)) {
      errors.push({ path: `${where}.optionValues`, message: `repeats variant ${combos.get(combo)}` });
    } else combos.set(combo, i);
    const sku = v.sku.trim();
    if (skus.has(sku)) errors.push({ path: `${where}.sku`, message: `repeats the SKU of variant ${skus.get(sku)}` });
    else skus.set(sku, i);
    // Two entries with one id would silently collapse into one variant on update.
    if (v.id !== undefined && ids.has(v.id)) {
      errors.push({ path: `${where}.id`, message: `repeats the id of variant ${ids.get(v.id)}` });
    } else if (v.id !== undefined) ids.set(v.id, i);
  });
  return errors;
}

export function variantTitle(options: ProductOption[], values: Record<string, string> | undefined): string {
  const parts = options.map((o) => values?.[o.name]).filter((v): v is string => Boolean(v));
  return parts.length > 0 ? parts.join(' / ') : 'Default';
}

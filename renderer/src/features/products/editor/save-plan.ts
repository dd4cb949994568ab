/**
 * What a save sends, pure: the create input for a new product; for an existing one, a patch of the
 * changed product fields plus one call per changed or new variant. Everything is checked before
 * anything is sent — the editor's own rules (plain-language messages) and then the contract's zod
 * schemas — and every message is keyed by the form's field path (`name`, `variants.2.sku`), which
 * is also where the host's own `validation_failed` paths are moved to.
 */
import type { ChannelInput } from '../../../../../shared/contract/backoffice.js';
import type { FieldErrors } from '../../../lib/api.js';
import { validate } from '../../../lib/validate.js';
import {
  PRODUCT_FIELDS,
  type ProductDraft,
  same,
  VARIANT_FIELDS,
  type VariantDraft,
  variantTitle,
} from './product-form.js';

type CreateInput = ChannelInput<'catalog:createProduct'>;
type NewVariant = CreateInput['variants'][number];
type ProductPatch = ChannelInput<'catalog:updateProduct'>['patch'];
type VariantPatch = ChannelInput<'catalog:updateVariant'>['patch'];

export interface SavePlan {
  productPatch: ProductPatch | null;
  variantUpdates: { index: number; variantId: string; patch: VariantPatch }[];
  variantCreates: { index: number; input: Omit<ChannelInput<'catalog:createVariant'>, 'productId'> }[];
}

const trimmedOptions = (draft: ProductDraft) =>
  draft.options.map((o) => ({ name: o.name.trim(), values: o.values.map((v) => v.trim()) }));

function newVariantInput(v: VariantDraft, position?: number): NewVariant {
  return {
    sku: v.sku.trim(),
    ...(Object.keys(v.optionValues).length > 0 ? { optionValues: v.optionValues } : {}),
    // NaN only if the editor's own check was skipped: the schema then refuses it.
    priceCents: v.priceCents ?? Number.NaN,
    compareAtPriceCents: v.compareAtPriceCents,
    costCents: v.costCents,
    barcode: v.barcode.trim() || null,
    weightGrams: v.weightGrams,
    currency: v.currency,
    ...(v.lowStockThreshold !== null ? { lowStockThreshold: v.lowStockThreshold } : {}),
    ...(v.initialStock !== null ? { initialStock: v.initialStock } : {}),
    ...(position !== undefined ? { position } : {}),
  };
}

export function createInput(id: string, draft: ProductDraft): CreateInput {
  return {
    id,
    name: draft.name.trim(),
    description: draft.description,
    status: draft.status,
    categoryIds: draft.categoryIds,
    tags: draft.tags,
    options: trimmedOptions(draft),
    variants: draft.variants.map((v) => newVariantInput(v)),
  };
}

function variantPatch(before: VariantDraft, after: VariantDraft, draft: ProductDraft): VariantPatch {
  const patch: Record<string, unknown> = {};
  for (const field of VARIANT_FIELDS) {
    if (same(before[field], after[field])) continue;
    if (field === 'sku') patch.sku = after.sku.trim();
    else if (field === 'barcode') patch.barcode = after.barcode.trim() || null;
    else patch[field] = after[field];
  }
  // The title follows the option values, as the host names a new variant.
  if ('optionValues' in patch) patch.title = variantTitle(draft.options, after.optionValues);
  return patch;
}

export function planUpdate(original: ProductDraft, draft: ProductDraft): SavePlan {
  const productPatch: Record<string, unknown> = {};
  for (const field of PRODUCT_FIELDS) {
    if (same(original[field], draft[field])) continue;
    productPatch[field] =
      field === 'name' ? draft.name.trim() : field === 'options' ? trimmedOptions(draft) : draft[field];
  }
  const plan: SavePlan = {
    productPatch: Object.keys(productPatch).length > 0 ? productPatch : null,
    variantUpdates: [],
    variantCreates: [],
  };
  draft.variants.forEach((variant, index) => {
    const before = variant.id === null ? undefined : original.variants.find((v) => v.id === variant.id);
    if (!before || variant.id === null) {
      plan.variantCreates.push({ index, input: newVariantInput(variant, index) });
      return;
    }
    const patch = variantPatch(before, variant, draft);
    if (Object.keys(patch).length > 0) plan.variantUpdates.push({ index, variantId: variant.id, patch });
  });
  return plan;
}

export const planIsEmpty = (plan: SavePlan): boolean =>
  plan.productPatch === null && plan.variantUpdates.length === 0 && plan.variantCreates.length === 0;

/** The editor's own rules, in words a shop assistant reads at a glance. */
export function checkDraft(draft: ProductDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.name.trim()) errors.name = 'Give the product a name';
  const optionNames = new Map<string, number>();
  draft.options.forEach((option, i) => {
    const name = option.name.trim();
    if (!name) errors[`options.${i}.name`] = 'Name this option, e.g. Size';
    else if (optionNames.has(name.toLowerCase())) errors[`options.${i}.name`] = 'Another option has this name';
    else optionNames.set(name.toLowerCase(), i);
    if (option.values.length === 0) errors[`options.${i}.values`] = 'Add at least one value';
  });
  const skus = new Map<string, number>();
  const combos: string[] = [];
  draft.variants.forEach((variant, i) => {
    const at = (field: string) => `variants.${i}.${field}`;
    const sku = variant.sku.trim().toLowerCase();
    if (!sku) errors[at('sku')] = 'Enter a SKU';
    else if (skus.has(sku)) errors[at('sku')] = 'Another variant has this SKU';
    else skus.set(sku, i);
    if (variant.priceCents === null) errors[at('priceCents')] = 'Enter a price';
    if (variant.lowStockThreshold === null) errors[at('lowStockThreshold')] = 'Enter a number';
    for (const option of draft.options) {
      const value = variant.optionValues[option.name];
      if (option.name.trim() && (value === undefined || !option.values.includes(value)))
        errors[at(`optionValues.${option.name}`)] = 'Pick a value';
    }
    const combo = JSON.stringify(draft.options.map((o) => variant.optionValues[o.name] ?? ''));
    if (draft.options.length > 0 && combos.includes(combo))
      errors[at('optionValues')] = 'Another variant has the same options';
    combos.push(combo);
  });
  return errors;
}

/** Moves messages of one call (paths `patch.sku`, `sku`) onto the form's variant row. */
export function variantErrors(index: number, errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors))
    out[`variants.${index}.${path.replace(/^patch\./, '') || 'sku'}`] = message;
  return out;
}

/** A product patch's messages (`patch.name`) onto the form's fields (`name`). */
export function productErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) out[path.replace(/^patch\.?/, '') || 'name'] = message;
  return out;
}

/** Every message for a new product; empty when it may be sent. */
export function validateCreate(id: string, draft: ProductDraft): FieldErrors {
  const own = checkDraft(draft);
  const contract = validate('catalog:createProduct', createInput(id, draft)) ?? {};
  // The editor's wording wins where both speak about the same field.
  return { ...contract, ...own };
}

/** Every message for a save of an existing product; empty when the whole plan may be sent. */
export function validatePlan(productId: string, plan: SavePlan, draft: ProductDraft): FieldErrors {
  let contract: FieldErrors = {};
  if (plan.productPatch)
    contract = productErrors(validate('catalog:updateProduct', { productId, patch: plan.productPatch }) ?? {});
  for (const { index, variantId, patch } of plan.variantUpdates)
    contract = { ...contract, ...variantErrors(index, validate('catalog:updateVariant', { variantId, patch }) ?? {}) };
  for (const { index, input } of plan.variantCreates)
    contract = {
      ...contract,
      ...variantErrors(index, validate('catalog:createVariant', { ...input, productId }) ?? {}),
    };
  return { ...contract, ...checkDraft(draft) };
}

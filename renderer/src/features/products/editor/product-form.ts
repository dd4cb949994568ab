/**
 * The product editor's form model, pure: a draft built from a product (or blank), edits to its
 * options that keep the variants consistent, and the difference between what was loaded and what
 * is on screen, so a save sends only the fields a person changed (the host merges per field).
 */
import type { ProductDetail } from '../../../../../shared/contract/backoffice.js';
import type { PRODUCT_STATUSES } from '../../../../../shared/api/catalog.schemas.js';

export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface OptionDraft {
  name: string;
  values: string[];
}

export interface VariantDraft {
  /** A stable React key: the id, or a local one for a row not created yet. */
  key: string;
  /** Null until the host has created it. */
  id: string | null;
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number | null;
  compareAtPriceCents: number | null;
  costCents: number | null;
  barcode: string;
  weightGrams: number | null;
  lowStockThreshold: number | null;
  /** Opening stock of a new variant (existing ones change stock on the inventory screen). */
  initialStock: number | null;
  currency: string;
  /** Read-only figures of an existing variant. */
  onHand: number | null;
  available: number | null;
}

export interface ProductDraft {
  name: string;
  description: string;
  status: ProductStatus;
  categoryIds: string[];
  tags: string[];
  options: OptionDraft[];
  variants: VariantDraft[];
}

/** The product fields a patch may carry (variants travel as their own mutations). */
export const PRODUCT_FIELDS = ['name', 'description', 'status', 'categoryIds', 'tags', 'options'] as const;
export const VARIANT_FIELDS = [
  'sku',
  'optionValues',
  'priceCents',
  'compareAtPriceCents',
  'costCents',
  'barcode',
  'weightGrams',
  'lowStockThreshold',
] as const;
export type VariantField = (typeof VARIANT_FIELDS)[number];

export const MAX_OPTIONS = 5;
export const DEFAULT_THRESHOLD = 5;

let localKeys = 0;
const localKey = () => `new-${++localKeys}`;

export function blankVariant(currency: string, from?: VariantDraft): VariantDraft {
  return {
    key: localKey(),
    id: null,
    sku: '',
    optionValues: {},
    priceCents: from?.priceCents ?? null,
    compareAtPriceCents: from?.compareAtPriceCents ?? null,
    costCents: from?.costCents ?? null,
    barcode: '',
    weightGrams: from?.weightGrams ?? null,
    lowStockThreshold: from?.lowStockThreshold ?? DEFAULT_THRESHOLD,
    initialStock: null,
    currency: from?.currency ?? currency,
    onHand: null,
    available: null,
  };
}

export function newDraft(currency: string): ProductDraft {
  return {
    name: '',
    description: '',
    status: 'draft',
    categoryIds: [],
    tags: [],
    options: [],
    variants: [blankVariant(currency)],
  };
}

export function fromProduct(product: ProductDetail): ProductDraft {
  return {
    name: product.name,
    description: product.description,
    status: product.status,
    categoryIds: [...product.categoryIds],
    tags: [...product.tags],
    options: product.options.map((o) => ({ name: o.name, values: [...o.values] })),
    variants: [...product.variants]
      .sort((a, b) => a.position - b.position)
      .map((v) => ({
        key: v.id,
        id: v.id,
        sku: v.sku,
        optionValues: { ...v.optionValues },
        priceCents: v.priceCents,
        compareAtPriceCents: v.compareAtPriceCents,
        costCents: v.costCents,
        barcode: v.barcode ?? '',
        weightGrams: v.weightGrams,
        lowStockThreshold: v.lowStockThreshold,
        initialStock: null,
        currency: v.currency,
        onHand: v.onHand,
        available: v.available,
      })),
  };
}

/** Structural equality for the plain data in a draft (strings, numbers, arrays, records). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** "S / Red", as the host titles a variant from its option values (shared/sync/rebase.ts). */
export function variantTitle(options: readonly OptionDraft[], values: Record<string, string>): string {
  const parts = options.map((o) => values[o.name]).filter((v): v is string => Boolean(v));
  return parts.length > 0 ? parts.join(' / ') : 'Default';
}

/** True when the draft differs from what was loaded: a new variant, or any changed field. */
export function isDirty(original: ProductDraft, draft: ProductDraft): boolean {
  if (PRODUCT_FIELDS.some((field) => !same(original[field], draft[field]))) return true;
  if (draft.variants.length !== original.variants.length) return true;
  return draft.variants.some((v, i) => {
    const before = original.variants[i];
    return (
      !before || v.id !== before.id || VARIANT_FIELDS.some((f) => !same(v[f], before[f])) || v.initialStock !== null
    );
  });
}

// Option edits keep every variant's option values keyed by the options' current names.

export function renameOption(draft: ProductDraft, index: number, name: string): ProductDraft {
  const old = draft.options[index]?.name;
  if (old === undefined) return draft;
  return {
    ...draft,
    options: draft.options.map((o, i) => (i === index ? { ...o, name } : o)),
    variants: draft.variants.map((v) => {
      if (!(old in v.optionValues)) return v;
      const { [old]: value = '', ...rest } = v.optionValues;
      return { ...v, optionValues: name ? { ...rest, [name]: value } : rest };
    }),
  };
}

export function setOptionValues(draft: ProductDraft, index: number, values: string[]): ProductDraft {
  return { ...draft, options: draft.options.map((o, i) => (i === index ? { ...o, values } : o)) };
}

export function addOption(draft: ProductDraft): ProductDraft {
  if (draft.options.length >= MAX_OPTIONS) return draft;
  return { ...draft, options: [...draft.options, { name: '', values: [] }] };
}

export function removeOption(draft: ProductDraft, index: number): ProductDraft {
  const name = draft.options[index]?.name;
  return {
    ...draft,
    options: draft.options.filter((_, i) => i !== index),
    variants: draft.variants.map((v) => {
      if (name === undefined || !(name in v.optionValues)) return v;
      const { [name]: _removed, ...rest } = v.optionValues;
      return { ...v, optionValues: rest };
    }),
  };
}

/** A SKU to start from: the product's initials and the option values ("TSH-S-RED"). */
export function suggestSku(productName: string, values: readonly string[]): string {
  const base = productName
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/[^A-Za-z0-9]/g, '').slice(0, 3))
    .filter(Boolean)
    .slice(0, 2)
    .join('');
  const parts = [base || 'SKU', ...values.map((v) => v.replace(/[^A-Za-z0-9]/g, '').slice(0, 4))];
  return parts.filter(Boolean).join('-').toUpperCase().slice(0, 64);
}

/** Option value combinations no variant has yet ({Size: 'S', Colour: 'Red'}, …). */
export function missingCombinations(draft: ProductDraft): Record<string, string>[] {
  const options = draft.options.filter((o) => o.name.trim() && o.values.length > 0);
  if (options.length === 0) return [];
  let combos: Record<string, string>[] = [{}];
  for (const option of options)
    combos = combos.flatMap((combo) => option.values.map((value) => ({ ...combo, [option.name]: value })));
  return combos.filter((combo) => !draft.variants.some((v) => same(v.optionValues, combo)));
}

/**
 * Adds a variant for every combination of option values that no variant has yet, priced like the
 * first variant. A product's only variant, still without option values, takes the first combination.
 */
export function generateVariants(draft: ProductDraft, currency: string): ProductDraft {
  const missing = missingCombinations(draft);
  if (missing.length === 0) return draft;
  const template = draft.variants[0];
  let variants = [...draft.variants];
  if (variants.length === 1 && template && Object.keys(template.optionValues).length === 0 && missing.length > 0) {
    const [first, ...rest] = missing;
    variants = [
      {
        ...template,
        optionValues: first ?? {},
        sku: template.sku || suggestSku(draft.name, Object.values(first ?? {})),
      },
    ];
    missing.splice(0, missing.length, ...rest);
  }
  for (const combo of missing)
    variants.push({
      ...blankVariant(currency, template),
      optionValues: combo,
      sku: suggestSku(draft.name, Object.values(combo)),
    });
  return { ...draft, variants };
}

import { isDeepStrictEqual } from 'node:util';
import {
  productCreateInput,
  type AdminProduct,
  type ProductCreateInput,
  type ProductPatchInput,
} from '../../../../shared/api/catalog.schemas.js';
import type { FieldError } from '../../../../shared/domain/errors.js';
import type { ProductOption } from '../../../db/schema/index.js';
import { checkVariants, variantTitle } from '../options.js';
import { locate, type ProductDraft } from './csv-group.js';
import type { Lookup } from './csv-lookup.js';
import type { CsvIssue } from './csv-rows.js';

/** What importing one product will do. `patch: null` means the product is already as the file says. */
export interface Plan {
  draft: ProductDraft;
  existing: AdminProduct | undefined;
  create?: ProductCreateInput;
  patch?: ProductPatchInput | null;
  /** Wanted on-hand at the default location, per SKU (rows with a blank stock cell are absent). */
  stock: { line: number; sku: string; stock: number }[];
  removedVariants: number;
}

export const NEGATIVE_STOCK = 'must not be negative (only an unchanged negative level may be re-imported)';

/** Turns `body.variants.2.optionValues.Size.EU` into keys; option names may themselves hold dots. */
export function pathKeys(path: string): (string | number)[] {
  const [, ...parts] = path.split('.');
  const at = parts.indexOf('optionValues');
  const keys = at >= 0 ? [...parts.slice(0, at + 1), parts.slice(at + 1).join('.')] : parts;
  return keys.filter((k) => k !== '').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

export function issuesFromFieldErrors(draft: ProductDraft, errors: FieldError[]): CsvIssue[] {
  return errors.map((e) => ({ ...locate(draft, pathKeys(e.path)), message: e.message }));
}

/** Existing options keep their value order (and unused values) when the file names the same options. */
function mergeOptions(existing: ProductOption[] | undefined, wanted: ProductOption[]): ProductOption[] {
  if (!existing || existing.map((o) => o.name).join('\u0000') !== wanted.map((o) => o.name).join('\u0000')) {
    return wanted;
  }
  return existing.map((o, i) => ({ name: o.name, values: [...new Set([...o.values, ...wanted[i]!.values])] }));
}

function resolveVariants(draft: ProductDraft, existing: AdminProduct | undefined, lookup: Lookup, issues: CsvIssue[]) {
  const claimed = new Map<string, number>();
  return draft.variants.map((v) => {
    const sku = v.sku.trim();
    const byId = v.id ? lookup.variantById.get(v.id) : undefined;
    if (byId && byId.productId !== existing?.id) {
      issues.push({ line: v.line, column: 'variant_id', message: `belongs to another product (${byId.productSlug})` });
    }
    const skuOwner = lookup.variantBySku.get(sku);
    if (skuOwner && skuOwner.productId !== existing?.id) {
      issues.push({
        line: v.line,
        column: 'sku',
        message: `is already used by another product (${skuOwner.productSlug})`,
      });
    }
    const match =
      existing?.variants.find((e) => v.id !== '' && e.id === v.id) ?? existing?.variants.find((e) => e.sku === sku);
    if (match && claimed.has(match.id)) {
      issues.push({
        line: v.line,
        column: 'variant_id',
        message: `matches the same variant as line ${claimed.get(match.id)}`,
      });
    } else if (match) claimed.set(match.id, v.line);
    return { draft: v, match, id: match?.id ?? (byId ? undefined : v.id || undefined) };
  });
}

function planInput(draft: ProductDraft, existing: AdminProduct | undefined, lookup: Lookup, issues: CsvIssue[]) {
  const categoryIds = draft.categories.flatMap((slug) => {
    const id = lookup.categoryIdBySlug.get(slug);
    if (!id) issues.push({ line: draft.line, column: 'categories', message: `no category has the slug "${slug}"` });
    return id ? [id] : [];
  });
  const options = mergeOptions(existing?.options, draft.options);
  const resolved = resolveVariants(draft, existing, lookup, issues);
  const input = {
    ...(draft.productId && !existing ? { id: draft.productId } : {}),
    name: draft.name,
    ...(draft.handle ? { slug: draft.handle } : {}),
    description: draft.description,
    ...(draft.status ? { status: draft.status } : {}),
    categoryIds,
    tags: draft.tags,
    options,
    variants: resolved.map(({ draft: v, match, id }, position) => {
      // A title someone typed (not derived from the options) survives an import.
      const custom =
        match && match.title !== variantTitle(existing!.options, match.optionValues) ? match.title : undefined;
      return {
        ...(id ? { id } : {}),
        sku: v.sku,
        ...(custom ? { title: custom } : {}),
        optionValues: v.optionValues,
        priceCents: v.priceCents,
        compareAtPriceCents: v.compareAtPriceCents,
        costCents: v.costCents,
        currency: v.currency,
        barcode: v.barcode,
        weightGrams: v.weightGrams,
        lowStockThreshold: v.lowStockThreshold ?? match?.lowStockThreshold ?? 5,
        position,
      };
    }),
  };
  return { input, resolved, removed: (existing?.variants.length ?? 0) - resolved.filter((r) => r.match).length };
}

const VARIANT_FIELDS = [
  'sku',
  'optionValues',
  'priceCents',
  'compareAtPriceCents',
  'costCents',
  'currency',
  'barcode',
  'weightGrams',
  'lowStockThreshold',
  'position',
] as const;

/** The fields that differ from the stored product; null when nothing does (no write, no version bump). */
function diff(existing: AdminProduct, wanted: ProductCreateInput): ProductPatchInput | null {
  const patch: Record<string, unknown> = {};
  for (const key of ['name', 'slug', 'description', 'status', 'categoryIds', 'tags', 'options'] as const) {
    if (wanted[key] !== undefined && !isDeepStrictEqual(wanted[key], existing[key])) patch[key] = wanted[key];
  }
  const options = wanted.options ?? existing.options;
  const sameVariants =
    wanted.variants.length === existing.variants.length &&
    wanted.variants.every((w, i) => {
      const e = existing.variants[i]!;
      const title = w.title || variantTitle(options, w.optionValues);
      return (
        w.id === e.id && title === e.title && VARIANT_FIELDS.every((f) => isDeepStrictEqual(w[f] ?? null, e[f] ?? null))
      );
    });
  if (!sameVariants) patch.variants = wanted.variants.map(({ initialStock: _s, ...v }) => v);
  return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * Plans one product against what the database holds: matches it (by id, else handle) and its
 * variants (by id, else SKU), resolves category slugs, and validates the result with the API's
 * own product schema and option rules. Returns undefined when the product has issues.
 */
export function planProduct(draft: ProductDraft, lookup: Lookup, issues: CsvIssue[]): Plan | undefined {
  const before = issues.length;
  const byId = draft.productId ? lookup.productsById.get(draft.productId) : undefined;
  const handleOwner = lookup.productIdBySlug.get(draft.handle.toLowerCase());
  const existing = byId ?? (handleOwner ? lookup.productsById.get(handleOwner) : undefined);
  if (draft.handle && handleOwner && existing && handleOwner !== existing.id) {
    issues.push({ line: draft.line, column: 'handle', message: 'is used by another product' });
  }
  const { input, resolved, removed } = planInput(draft, existing, lookup, issues);
  // Only differing figures become movements; the apply step re-checks them under a lock.
  const stock = resolved.flatMap(({ draft: v, match }) => {
    const current = match ? (lookup.onHand.get(match.id) ?? 0) : 0;
    if (v.stock === undefined || v.stock === current) return [];
    if (v.stock < 0) {
      issues.push({ line: v.line, column: 'stock', message: NEGATIVE_STOCK });
      return [];
    }
    return [{ line: v.line, sku: v.sku.trim(), stock: v.stock }];
  });
  const parsed = productCreateInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
      issues.push({ ...locate(draft, keys), message: issue.message });
    }
    return undefined;
  }
  issues.push(...issuesFromFieldErrors(draft, checkVariants(parsed.data.options ?? [], parsed.data.variants, 'csv')));
  if (issues.length > before) return undefined;
  return existing
    ? { draft, existing, patch: diff(existing, parsed.data), stock, removedVariants: removed }
    : { draft, existing, create: parsed.data, stock, removedVariants: 0 };
}

/**
 * The editor's state and its writes. `original` is what was loaded, `draft` what is on screen; a
 * save sends their difference (save-plan.ts) step by step and moves each step that went through
 * into `original`, so a failure half-way leaves exactly the unsent changes marked as unsaved.
 * A sync pass that changes the product while it is being edited does not overwrite the edits.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProductDetail } from '../../../../../shared/contract/backoffice.js';
import { newId } from '../../../../../shared/domain/ids.js';
import { call, errorMessage, type FieldErrors, fieldErrorsOf, isApiError } from '../../../lib/api.js';
import { bumpTables } from '../../../lib/stores/data-version.js';
import { toast } from '../../../lib/stores/toasts.js';
import { markEdited } from '../local-edits.js';
import { fromProduct, isDirty, newDraft, PRODUCT_FIELDS, type ProductDraft } from './product-form.js';
import {
  createInput,
  planIsEmpty,
  planUpdate,
  productErrors,
  validateCreate,
  validatePlan,
  variantErrors,
} from './save-plan.js';

export const PRODUCT_WRITE_TABLES = ['products', 'variants', 'stock_levels'];

export interface ProductForm {
  draft: ProductDraft;
  dirty: boolean;
  errors: FieldErrors;
  /** A sentence about the last failed save (the fields say the rest). */
  message: string | null;
  saving: boolean;
  /** The product changed (a sync) while it had unsaved edits here. */
  changedMeanwhile: boolean;
  /** Applies an edit; `path` clears that field's message. */
  change: (recipe: (draft: ProductDraft) => ProductDraft, path?: string) => void;
  discard: () => void;
  /** Resolves to the product's id once saved, or null when nothing was sent. */
  save: () => Promise<string | null>;
  archive: () => Promise<void>;
}

export function useProductForm(product: ProductDetail | undefined, currency: string): ProductForm {
  const [state, setState] = useState(() => {
    const start = product ? fromProduct(product) : newDraft(currency);
    return { original: start, draft: start };
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  const newProductId = useRef(newId());
  const dirty = isDirty(state.original, state.draft);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  // A fresh read of the product replaces the form only when nothing is being edited.
  useEffect(() => {
    if (!product) return;
    if (dirtyRef.current) {
      setChangedMeanwhile(true);
      return;
    }
    const fresh = fromProduct(product);
    setState({ original: fresh, draft: fresh });
  }, [product]);

  const change = useCallback((recipe: (draft: ProductDraft) => ProductDraft, path?: string) => {
    setState((s) => ({ ...s, draft: recipe(s.draft) }));
    if (path)
      setErrors((e) => {
        if (!(path in e)) return e;
        const { [path]: _cleared, ...rest } = e;
        return rest;
      });
  }, []);

  const discard = useCallback(() => {
    setState((s) => ({ ...s, draft: s.original }));
    setErrors({});
    setMessage(null);
    setChangedMeanwhile(false);
  }, []);

  const fail = (fieldErrors: FieldErrors, sentence: string | null) => {
    setErrors(fieldErrors);
    setMessage(sentence);
    // The first field with a message takes the focus, so Enter → fix → Enter works from the keyboard.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const finish = (saved: ProductDetail, title: string) => {
    const fresh = fromProduct(saved);
    setState({ original: fresh, draft: fresh });
    setErrors({});
    setMessage(null);
    setChangedMeanwhile(false);
    markEdited(saved.id);
    bumpTables(PRODUCT_WRITE_TABLES);
    toast({ tone: 'success', title, body: saved.name });
  };

  const createProduct = async (): Promise<string | null> => {
    const id = newProductId.current;
    const found = validateCreate(id, state.draft);
    if (Object.keys(found).length > 0) {
      fail(found, 'Check the highlighted fields.');
      return null;
    }
    const saved = await call('catalog:createProduct', createInput(id, state.draft));
    finish(saved, 'Product created');
    return saved.id;
  };

  const updateProduct = async (productId: string): Promise<string | null> => {
    const plan = planUpdate(state.original, state.draft);
    if (planIsEmpty(plan)) return null;
    const found = validatePlan(productId, plan, state.draft);
    if (Object.keys(found).length > 0) {
      fail(found, 'Check the highlighted fields.');
      return null;
    }
    let original = state.original;
    let draft = state.draft;
    let saved: ProductDetail | undefined;
    // Each step that went through becomes part of `original`: a later failure leaves only the rest unsaved.
    const settle = () => setState({ original, draft });
    try {
      if (plan.productPatch) {
        saved = await call('catalog:updateProduct', { productId, patch: plan.productPatch }).catch(
          rethrow(productErrors),
        );
        original = { ...original, ...pick(draft) };
      }
      for (const { index, variantId, patch } of plan.variantUpdates) {
        saved = await call('catalog:updateVariant', { variantId, patch }).catch(
          rethrow((e) => variantErrors(index, e)),
        );
        original = {
          ...original,
          variants: original.variants.map((v) => (v.id === variantId ? draft.variants[index]! : v)),
        };
      }
      for (const { index, input } of plan.variantCreates) {
        const id = newId();
        saved = await call('catalog:createVariant', { ...input, id, productId }).catch(
          rethrow((e) => variantErrors(index, e)),
        );
        const created = { ...draft.variants[index]!, id, initialStock: null };
        draft = { ...draft, variants: draft.variants.map((v, i) => (i === index ? created : v)) };
        original = { ...original, variants: [...original.variants, created] };
      }
    } catch (error) {
      settle();
      if (saved) {
        markEdited(productId);
        bumpTables(PRODUCT_WRITE_TABLES);
      }
      throw error;
    }
    if (saved) finish(saved, 'Product saved');
    return productId;
  };

  const save = async (): Promise<string | null> => {
    setSaving(true);
    try {
      return await (product ? updateProduct(product.id) : createProduct());
    } catch (error) {
      const mapped = error instanceof MappedError ? error : null;
      const cause = mapped?.original ?? error;
      fail(
        mapped?.fieldErrors ?? fieldErrorsOf(error),
        isApiError(cause, 'validation_failed') ? 'Check the highlighted fields.' : errorMessage(cause),
      );
      return null;
    } finally {
      setSaving(false);
    }
  };

  const archive = async () => {
    if (!product) return;
    try {
      const archived = await call('catalog:archiveProduct', { productId: product.id });
      // Other edits stay as they are; only the status moves.
      setState((s) => ({
        original: { ...s.original, status: archived.status },
        draft: { ...s.draft, status: archived.status },
      }));
      markEdited(product.id);
      bumpTables(PRODUCT_WRITE_TABLES);
      toast({ tone: 'success', title: 'Product archived', body: `${archived.name} is hidden from the store.` });
    } catch (error) {
      toast({ tone: 'danger', title: 'Could not archive the product', body: errorMessage(error) });
    }
  };

  return { draft: state.draft, dirty, errors, message, saving, changedMeanwhile, change, discard, save, archive };
}

const pick = (draft: ProductDraft) =>
  Object.fromEntries(PRODUCT_FIELDS.map((field) => [field, draft[field]])) as Pick<
    ProductDraft,
    (typeof PRODUCT_FIELDS)[number]
  >;

/** A failed call whose field messages were moved onto the form's paths. */
class MappedError extends Error {
  constructor(
    readonly original: unknown,
    readonly fieldErrors: FieldErrors,
  ) {
    super(errorMessage(original));
  }
}

const rethrow = (map: (errors: FieldErrors) => FieldErrors) => (error: unknown) => {
  throw new MappedError(error, map(fieldErrorsOf(error)));
};

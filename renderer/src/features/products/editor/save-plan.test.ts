import { describe, expect, it } from 'vitest';
import { imageSrc } from '../image-url.js';
import {
  fromProduct,
  generateVariants,
  isDirty,
  newDraft,
  removeOption,
  renameOption,
  suggestSku,
} from './product-form.js';
import { P, tee, V2 } from '../test-fixtures.js';
import { checkDraft, createInput, planIsEmpty, planUpdate, validateCreate, validatePlan } from './save-plan.js';

describe('save plan', () => {
  it('sends only the fields that changed, each variant on its own', () => {
    const original = fromProduct(tee);
    expect(original.variants.map((v) => v.sku)).toEqual(['TEE-S', 'TEE-M']);
    const draft = {
      ...original,
      name: '  Better tee ',
      variants: original.variants.map((v, i) => (i === 1 ? { ...v, priceCents: 2500, barcode: ' ' } : v)),
    };
    expect(isDirty(original, draft)).toBe(true);
    const plan = planUpdate(original, draft);
    expect(plan.productPatch).toEqual({ name: 'Better tee' });
    // A blank barcode stays null: not a change worth sending.
    expect(plan.variantUpdates).toEqual([{ index: 1, variantId: V2, patch: { priceCents: 2500, barcode: null } }]);
    expect(plan.variantCreates).toEqual([]);
    expect(planIsEmpty(planUpdate(original, original))).toBe(true);
    expect(isDirty(original, original)).toBe(false);
  });

  it('renaming an option moves the variants’ values and retitles them', () => {
    const original = fromProduct(tee);
    const draft = renameOption(original, 0, 'Fit');
    expect(draft.variants[0]?.optionValues).toEqual({ Fit: 'S' });
    const plan = planUpdate(original, draft);
    expect(plan.productPatch).toEqual({ options: [{ name: 'Fit', values: ['S', 'M'] }] });
    expect(plan.variantUpdates[0]?.patch).toEqual({ optionValues: { Fit: 'S' }, title: 'S' });
    expect(removeOption(draft, 0).variants[0]?.optionValues).toEqual({});
  });

  it('creates a variant for each missing combination, with a SKU to start from', () => {
    const original = fromProduct(tee);
    const grown = generateVariants(
      { ...original, options: [...original.options, { name: 'Colour', values: ['Red'] }] },
      'USD',
    );
    // Existing S and M have no colour yet, so both S/Red and M/Red are missing.
    expect(grown.variants.slice(2).map((v) => v.optionValues)).toEqual([
      { Size: 'S', Colour: 'Red' },
      { Size: 'M', Colour: 'Red' },
    ]);
    expect(grown.variants[2]).toMatchObject({ id: null, sku: 'TEE-S-RED', priceCents: 2000 });
    const plan = planUpdate(original, grown);
    expect(plan.variantCreates.map((c) => c.index)).toEqual([2, 3]);
    expect(plan.variantCreates[0]?.input).toMatchObject({ sku: 'TEE-S-RED', priceCents: 2000, position: 2 });
    expect(suggestSku('Organic cotton tee', ['XL', 'Navy blue'])).toBe('ORGCOT-XL-NAVY');
  });
});

describe('checks before sending', () => {
  it('names every empty or clashing field of a new product in plain words', () => {
    const draft = newDraft('USD');
    const errors = validateCreate(P, draft);
    expect(errors).toMatchObject({
      name: 'Give the product a name',
      'variants.0.sku': 'Enter a SKU',
      'variants.0.priceCents': 'Enter a price',
    });
    const twoSame = {
      ...draft,
      name: 'Mug',
      options: [{ name: 'Colour', values: ['Red'] }],
      variants: [0, 1].map(() => ({
        ...draft.variants[0]!,
        sku: 'MUG',
        priceCents: 100,
        optionValues: { Colour: 'Red' },
      })),
    };
    expect(checkDraft(twoSame)).toEqual({
      'variants.1.sku': 'Another variant has this SKU',
      'variants.1.optionValues': 'Another variant has the same options',
    });
  });

  it('uses the contract’s own rules for the rest, on the field’s path', () => {
    const original = fromProduct(tee);
    const draft = {
      ...original,
      tags: ['x'.repeat(51)],
      variants: original.variants.map((v, i) => (i === 1 ? { ...v, costCents: -5 } : v)),
    };
    const errors = validatePlan(P, planUpdate(original, draft), draft);
    expect(errors['tags.0']).toBeTruthy();
    expect(errors['variants.1.costCents']).toBe('must not be negative');
  });

  it('builds the create input the contract accepts', () => {
    const draft = { ...newDraft('USD'), name: ' Mug ', tags: ['gift'] };
    draft.variants = [{ ...draft.variants[0]!, sku: 'MUG-1', priceCents: 1200, initialStock: 7, barcode: '' }];
    expect(validateCreate(P, draft)).toEqual({});
    expect(createInput(P, draft)).toMatchObject({
      id: P,
      name: 'Mug',
      status: 'draft',
      variants: [{ sku: 'MUG-1', priceCents: 1200, initialStock: 7, barcode: null, lowStockThreshold: 5 }],
    });
  });
});

describe('image URLs', () => {
  it('resolves server-relative media against the server and asks for the width shown', () => {
    expect(imageSrc('/media/k.webp?w=1600', 'http://127.0.0.1:3000', 300)).toBe(
      'http://127.0.0.1:3000/media/k.webp?w=320',
    );
    expect(imageSrc('https://cdn.example.com/a.jpg', 'http://127.0.0.1:3000', 300)).toBe(
      'https://cdn.example.com/a.jpg',
    );
    expect(imageSrc('/media/k.webp', null, 300)).toBe('/media/k.webp');
  });
});

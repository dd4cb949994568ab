import { describe, expect, it } from 'vitest';
import { checkVariants, variantTitle } from './options.js';

const SIZE = { name: 'Size', values: ['S', 'M', 'L'] };
const COLOUR = { name: 'Colour', values: ['Red', 'Blue'] };
const paths = (errors: { path: string }[]) => errors.map((e) => e.path);

describe('checkVariants', () => {
  it('accepts a full grid of distinct combinations and SKUs', () => {
    const variants = SIZE.values.flatMap((s) =>
      COLOUR.values.map((c) => ({ sku: `TS-${s}-${c}`, optionValues: { Size: s, Colour: c } })),
    );
    expect(checkVariants([SIZE, COLOUR], variants)).toEqual([]);
  });

  it('accepts a product without options and a single variant without option values', () => {
    expect(checkVariants([], [{ sku: 'ONE' }])).toEqual([]);
    expect(checkVariants([], [{ sku: 'ONE', optionValues: {} }])).toEqual([]);
  });

  it('requires a value for every option', () => {
    const errors = checkVariants([SIZE, COLOUR], [{ sku: 'A', optionValues: { Size: 'S' } }]);
    expect(errors).toEqual([{ path: 'body.variants.0.optionValues.Colour', message: 'is required' }]);
    const none = checkVariants([SIZE], [{ sku: 'A' }]);
    expect(paths(none)).toEqual(['body.variants.0.optionValues.Size']);
  });

  it('refuses a value that is not among the option values (case-sensitive), naming the allowed ones', () => {
    const errors = checkVariants(
      [SIZE],
      [
        { sku: 'A', optionValues: { Size: 'XL' } },
        { sku: 'B', optionValues: { Size: 'm' } },
      ],
    );
    expect(paths(errors)).toEqual(['body.variants.0.optionValues.Size', 'body.variants.1.optionValues.Size']);
    expect(errors[0]!.message).toBe('must be one of: S, M, L');
  });

  it('refuses an option key the product does not have', () => {
    const errors = checkVariants([SIZE], [{ sku: 'A', optionValues: { Size: 'S', Material: 'Wool' } }]);
    expect(errors).toEqual([
      { path: 'body.variants.0.optionValues.Material', message: 'is not an option of this product' },
    ]);
    // Without options, any option value is unknown.
    expect(paths(checkVariants([], [{ sku: 'A', optionValues: { Size: 'S' } }]))).toEqual([
      'body.variants.0.optionValues.Size',
    ]);
  });

  it('refuses two variants with the same combination, whatever the key order', () => {
    const errors = checkVariants(
      [SIZE, COLOUR],
      [
        { sku: 'A', optionValues: { Size: 'S', Colour: 'Red' } },
        { sku: 'B', optionValues: { Size: 'M', Colour: 'Red' } },
        { sku: 'C', optionValues: { Colour: 'Red', Size: 'S' } },
      ],
    );
    expect(errors).toEqual([{ path: 'body.variants.2.optionValues', message: 'repeats variant 0' }]);
  });

  it('refuses a SKU repeated inside the request (after trimming)', () => {
    const errors = checkVariants(
      [SIZE],
      [
        { sku: 'TS-1', optionValues: { Size: 'S' } },
        { sku: 'TS-2', optionValues: { Size: 'M' } },
        { sku: ' TS-1 ', optionValues: { Size: 'L' } },
      ],
    );
    expect(errors).toEqual([{ path: 'body.variants.2.sku', message: 'repeats the SKU of variant 0' }]);
    // SKUs differing only in case are distinct (the database index is case-sensitive too).
    expect(
      checkVariants(
        [SIZE],
        [
          { sku: 'ts-1', optionValues: { Size: 'S' } },
          { sku: 'TS-1', optionValues: { Size: 'M' } },
        ],
      ),
    ).toEqual([]);
  });

  it('refuses an id that appears twice (it would collapse two entries into one variant)', () => {
    const errors = checkVariants(
      [SIZE],
      [
        { id: 'a', sku: 'A', optionValues: { Size: 'S' } },
        { sku: 'B', optionValues: { Size: 'M' } },
        { id: 'a', sku: 'C', optionValues: { Size: 'L' } },
      ],
    );
    expect(errors).toEqual([{ path: 'body.variants.2.id', message: 'repeats the id of variant 0' }]);
  });

  it('allows exactly one variant on a product without options', () => {
    const errors = checkVariants([], [{ sku: 'A' }, { sku: 'B' }]);
    expect(errors).toEqual([{ path: 'body.variants', message: 'a product without options has exactly one variant' }]);
  });

  it('refuses option names that repeat case-insensitively and values that repeat', () => {
    const errors = checkVariants(
      [
        { name: 'Size', values: ['S'] },
        { name: 'size', values: ['M', 'M'] },
      ],
      [{ sku: 'A', optionValues: { Size: 'S', size: 'M' } }],
    );
    expect(paths(errors)).toEqual(['body.options', 'body.options.1.values']);
    expect(errors[0]!.message).toBe('option names must be unique');
  });

  it('reports every problem at once under the given path prefix', () => {
    const errors = checkVariants(
      [SIZE],
      [
        { sku: 'A', optionValues: { Size: 'XL' } },
        { sku: 'A', optionValues: {} },
      ],
      'rows.3',
    );
    expect(paths(errors)).toEqual([
      'rows.3.variants.0.optionValues.Size',
      'rows.3.variants.1.optionValues.Size',
      'rows.3.variants.1.sku',
    ]);
  });
});

describe('variantTitle', () => {
  it('joins the values in the order of the options, not of the keys', () => {
    expect(variantTitle([SIZE, COLOUR], { Colour: 'Red', Size: 'M' })).toBe('M / Red');
    expect(variantTitle([COLOUR, SIZE], { Colour: 'Red', Size: 'M' })).toBe('Red / M');
  });

  it('skips options without a value and falls back to Default', () => {
    expect(variantTitle([SIZE, COLOUR], { Colour: 'Blue' })).toBe('Blue');
    expect(variantTitle([SIZE], {})).toBe('Default');
    expect(variantTitle([SIZE], undefined)).toBe('Default');
    expect(variantTitle([], { Size: 'M' })).toBe('Default');
  });
});

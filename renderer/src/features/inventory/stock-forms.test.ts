import { describe, expect, it } from 'vitest';
import { adjustErrors, adjustInput, countErrors, countInput, previewOnHand } from './stock-forms.js';

const VARIANT = '01890000-0000-7000-8000-000000000001';

describe('adjust form', () => {
  it('asks for a change and a reason when both are missing', () => {
    expect(adjustErrors(VARIANT, { delta: null, reason: '', note: '' })).toEqual({
      delta: 'Enter the change in units, e.g. 5 or -3',
      reason: 'Choose a reason',
    });
  });

  it('refuses a zero change', () => {
    expect(adjustErrors(VARIANT, { delta: 0, reason: 'adjustment', note: '' })).toEqual({
      delta: 'Enter a change other than zero',
    });
  });

  it("puts the server's sign rule on the change field", () => {
    expect(adjustErrors(VARIANT, { delta: 4, reason: 'damage', note: '' })?.delta).toBe(
      'Damaged or lost removes stock: enter a negative number, e.g. -4',
    );
    expect(adjustErrors(VARIANT, { delta: -2, reason: 'received', note: '' })?.delta).toBe(
      'Received from a supplier adds stock: enter a positive number',
    );
    // A correction may go either way.
    expect(adjustErrors(VARIANT, { delta: -2, reason: 'adjustment', note: '' })).toBeNull();
  });

  it('refuses more than the contract allows and builds the input with a trimmed note', () => {
    expect(adjustErrors(VARIANT, { delta: 2_000_000, reason: 'received', note: '' })?.delta).toMatch(/whole number/);
    expect(adjustInput(VARIANT, { delta: -3, reason: 'damage', note: '  dropped  ' })).toEqual({
      variantId: VARIANT,
      delta: -3,
      reason: 'damage',
      note: 'dropped',
    });
    expect(adjustInput(VARIANT, { delta: 5, reason: 'received', note: ' ' })).not.toHaveProperty('note');
  });
});

describe('count form', () => {
  it('needs a count of zero or more', () => {
    expect(countErrors(VARIANT, { counted: null, expected: 4, note: '' })?.counted).toBe(
      'Enter the number of units you counted',
    );
    expect(countErrors(VARIANT, { counted: -1, expected: 4, note: '' })?.counted).toBe('A count cannot be below zero');
    expect(countErrors(VARIANT, { counted: 0, expected: null, note: '' })).toBeNull();
  });

  it('sends expected only when given', () => {
    expect(countInput(VARIANT, { counted: 7, expected: null, note: '' })).toEqual({ variantId: VARIANT, counted: 7 });
    expect(countInput(VARIANT, { counted: 7, expected: 9, note: 'aisle 3' })).toEqual({
      variantId: VARIANT,
      counted: 7,
      expected: 9,
      note: 'aisle 3',
    });
  });
});

describe('preview', () => {
  it('shows the level after a change, a plain count, or a count corrected by what sold meanwhile', () => {
    expect(previewOnHand(10, { delta: -3 })).toBe(7);
    expect(previewOnHand(10, { delta: null })).toBeNull();
    expect(previewOnHand(10, { counted: 4 }, null)).toBe(4);
    // Expected 12 when counting began, 2 sold since (on hand now 10): counted 11 → 10 + (11 - 12) = 9.
    expect(previewOnHand(10, { counted: 11 }, 12)).toBe(9);
  });
});

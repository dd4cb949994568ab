/**
 * The adjust and count forms' rules, pure so they are tested without rendering: the contract's
 * schema, plus the server's sign rule for reasons (received and returned stock adds, damage and
 * sales remove), with messages a shop assistant understands placed on the field they concern.
 */
import { ADJUSTMENT_REASONS } from '../../../../shared/api/catalog.schemas.js';
import type { ChannelInput } from '../../../../shared/contract/backoffice.js';
import type { FieldErrors } from '../../lib/api.js';
import { validate } from '../../lib/validate.js';

export type AdjustReason = (typeof ADJUSTMENT_REASONS)[number];

/** Which way each reason moves stock (0: either). Mirrors shared/sync/rebase.ts checkAdjustment. */
export const REASON_SIGN: Record<AdjustReason, 1 | -1 | 0> = {
  received: 1,
  return: 1,
  damage: -1,
  sale: -1,
  adjustment: 0,
};

export const REASON_LABELS: Record<AdjustReason, string> = {
  received: 'Received from a supplier',
  return: 'Returned by a customer',
  damage: 'Damaged or lost',
  sale: 'Sold outside the shop',
  adjustment: 'Correction',
};

export const REASON_OPTIONS: { value: AdjustReason | ''; label: string }[] = [
  { value: '', label: 'Choose a reason…' },
  ...ADJUSTMENT_REASONS.map((value) => ({ value, label: REASON_LABELS[value] })),
];

export interface AdjustForm {
  delta: number | null;
  reason: AdjustReason | '';
  note: string;
}

export function adjustInput(variantId: string, form: AdjustForm): ChannelInput<'stock:adjust'> {
  const input = { variantId, delta: form.delta as number, reason: form.reason as AdjustReason };
  return form.note.trim() ? { ...input, note: form.note.trim() } : input;
}

/** Null when the form may be sent. */
export function adjustErrors(variantId: string, form: AdjustForm): FieldErrors | null {
  const errors: FieldErrors = { ...validate('stock:adjust', adjustInput(variantId, form)) };
  if (form.delta === null) errors.delta = 'Enter the change in units, e.g. 5 or -3';
  else if (form.delta === 0) errors.delta = 'Enter a change other than zero';
  else if ('delta' in errors) errors.delta = 'Enter a whole number of units up to 1,000,000';
  if (form.reason === '') errors.reason = 'Choose a reason';
  else if (form.delta !== null && form.delta !== 0 && !errors.delta) {
    const sign = REASON_SIGN[form.reason];
    if (sign !== 0 && Math.sign(form.delta) !== sign)
      errors.delta =
        sign > 0
          ? `${REASON_LABELS[form.reason]} adds stock: enter a positive number`
          : `${REASON_LABELS[form.reason]} removes stock: enter a negative number, e.g. -${Math.abs(form.delta)}`;
  }
  return Object.keys(errors).length ? errors : null;
}

export interface CountForm {
  counted: number | null;
  /** On hand when counting began; null sets the level to the count outright. */
  expected: number | null;
  note: string;
}

export function countInput(variantId: string, form: CountForm): ChannelInput<'stock:count'> {
  const input: ChannelInput<'stock:count'> = { variantId, counted: form.counted as number };
  if (form.expected !== null) input.expected = form.expected;
  if (form.note.trim()) input.note = form.note.trim();
  return input;
}

export function countErrors(variantId: string, form: CountForm): FieldErrors | null {
  const errors: FieldErrors = { ...validate('stock:count', countInput(variantId, form)) };
  if (form.counted === null) errors.counted = 'Enter the number of units you counted';
  else if (form.counted < 0) errors.counted = 'A count cannot be below zero';
  else if ('counted' in errors) errors.counted = 'Enter a whole number of units';
  if ('expected' in errors) errors.expected = 'Enter a whole number, or leave it empty';
  return Object.keys(errors).length ? errors : null;
}

/** What the level becomes: the change applied, or for a count the correction counted − expected. */
export function previewOnHand(
  onHand: number,
  change: { delta?: number | null; counted?: number | null },
  expected?: number | null,
) {
  if (change.delta !== undefined) return change.delta === null ? null : onHand + change.delta;
  if (change.counted === undefined || change.counted === null) return null;
  return expected === null || expected === undefined ? change.counted : onHand + (change.counted - expected);
}

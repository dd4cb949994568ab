/**
 * The refund form's rules, pure for tests: an amount up to what is left to refund (the server has
 * the last word), a reason, and with restock the units going back. A refund of everything left may
 * leave the lines out (the server restocks every unit not yet back); a partial one must name them.
 */
import { type ChannelInput, type OrderDetail, refundableCents } from '../../../../shared/contract/backoffice.js';
import type { FieldErrors } from '../../lib/api.js';
import { validate } from '../../lib/validate.js';
import { formatCents } from '../../lib/format.js';

export interface RefundForm {
  amountCents: number | null;
  reason: string;
  restock: boolean;
  /** Units going back per order line index (only read with restock on a partial refund). */
  quantities: Record<number, number | null>;
}

export const initialRefund = (order: OrderDetail): RefundForm => ({
  amountCents: refundableCents(order),
  reason: '',
  restock: true,
  quantities: {},
});

/** Whether the form refunds everything that is left (then lines are not asked for). */
export const isFullRefund = (order: OrderDetail, form: RefundForm) => form.amountCents === refundableCents(order);

export function refundInput(order: OrderDetail, form: RefundForm): ChannelInput<'orders:refund'> {
  const input: ChannelInput<'orders:refund'> = {
    orderId: order.id,
    amountCents: form.amountCents as number,
    reason: form.reason.trim(),
    restock: form.restock,
  };
  if (form.restock && !isFullRefund(order, form)) {
    const byVariant = new Map<string, number>();
    order.items.forEach((item, index) => {
      const quantity = form.quantities[index] ?? 0;
      if (item.variantId && quantity > 0)
        byVariant.set(item.variantId, (byVariant.get(item.variantId) ?? 0) + quantity);
    });
    input.lines = [...byVariant].map(([variantId, quantity]) => ({ variantId, quantity }));
  }
  return input;
}

export function refundErrors(order: OrderDetail, form: RefundForm): FieldErrors | null {
  const left = refundableCents(order);
  const errors: FieldErrors = { ...validate('orders:refund', refundInput(order, form)) };
  delete errors.lines;
  if (form.amountCents === null) errors.amountCents = 'Enter the amount to refund';
  else if (form.amountCents <= 0) errors.amountCents = 'Enter an amount above zero';
  else if (form.amountCents > left) errors.amountCents = `At most ${formatCents(left, order.currency)} can be refunded`;
  if (!form.reason.trim()) errors.reason = 'Say why the money goes back';
  if (form.restock && !isFullRefund(order, form)) {
    order.items.forEach((item, index) => {
      const quantity = form.quantities[index] ?? 0;
      if (quantity < 0 || quantity > item.quantity) errors[`quantities.${index}`] = `0 to ${item.quantity}`;
    });
    if (!Object.values(form.quantities).some((q) => (q ?? 0) > 0))
      errors.restock = 'Enter the units going back on the shelf, or untick restock';
  }
  return Object.keys(errors).length ? errors : null;
}

/**
 * Refund money at the payment provider (orders:refund). Online only: it is never queued, so while
 * offline the dialog says so and sends nothing; a connection lost meanwhile answers needs_connection.
 */
import { useState } from 'react';
import { type OrderDetail, refundableCents } from '../../../../shared/contract/backoffice.js';
import { Banner } from '../../components/Banner.js';
import { FormDialog } from '../../components/FormDialog.js';
import { Money } from '../../components/Money.js';
import { NumberField } from '../../components/NumberField.js';
import { TextField } from '../../components/TextField.js';
import { errorMessage, isApiError } from '../../lib/api.js';
import { formatCents } from '../../lib/format.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { shortNumber } from './order-status.js';
import { type RefundForm, initialRefund, isFullRefund, refundErrors, refundInput } from './refund-form.js';

export const OFFLINE_REFUND = 'Refunds need a connection to the server';

const describe = (error: unknown) =>
  isApiError(error, 'needs_connection')
    ? `${OFFLINE_REFUND}: ${errorMessage(error)}`
    : `The refund did not go through: ${errorMessage(error)}`;

export function RefundDialog({
  order,
  onClose,
  onDone,
}: {
  order: OrderDetail;
  onClose: () => void;
  onDone: (order: OrderDetail) => void;
}) {
  const online = useSyncStore((s) => s.status?.online ?? false);
  const [form, setForm] = useState<RefundForm>(() => initialRefund(order));
  const action = useFormAction('orders:refund', { fields: ['amountCents', 'reason', 'restock'], describe });
  const left = refundableCents(order);
  const full = isFullRefund(order, form);
  const set = (patch: Partial<RefundForm>, field: string) => {
    setForm((current) => ({ ...current, ...patch }));
    action.clearField(field);
  };

  const submit = async () => {
    if (!online) return;
    const outcome = await action.submit(refundInput(order, form), refundErrors(order, form));
    if (!outcome) return;
    const { refund, ...updated } = outcome;
    bumpTables(['orders', 'variants', 'stock_levels', 'stock_movements']);
    toast({
      tone: refund.status === 'failed' ? 'danger' : 'success',
      title: `${formatCents(refund.amountCents, refund.currency)} refund ${refund.status === 'pending' ? 'sent' : refund.status}`,
      body:
        refund.status === 'failed'
          ? (refund.failureReason ?? undefined)
          : refund.status === 'pending'
            ? 'The payment provider confirms it shortly.'
            : undefined,
    });
    onDone(updated);
  };

  return (
    <FormDialog
      title={`Refund order #${shortNumber(order.number)}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={action.busy}
      formError={action.formError}
      submitDisabled={!online}
      submitLabel={
        <>
          Refund{' '}
          {form.amountCents !== null && form.amountCents > 0 ? formatCents(form.amountCents, order.currency) : ''}
        </>
      }
    >
      {!online && <Banner tone="warning">{OFFLINE_REFUND}. Nothing is sent until this device is online.</Banner>}
      <div className="form-grid">
        <NumberField
          label="Amount"
          scale={2}
          value={form.amountCents}
          onChange={(amountCents) => set({ amountCents }, 'amountCents')}
          error={action.errors.amountCents}
          hint={
            <>
              Up to <Money cents={left} currency={order.currency} />
            </>
          }
          suffix={order.currency}
          required
        />
        <TextField
          label="Reason"
          value={form.reason}
          onChange={(reason) => set({ reason }, 'reason')}
          error={action.errors.reason}
          placeholder="Returned, damaged in transit…"
          maxLength={500}
          required
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.restock}
          onChange={(event) => set({ restock: event.target.checked }, 'restock')}
        />
        Put the units back in stock
      </label>
      {action.errors.restock && <div className="field-error">{action.errors.restock}</div>}
      {form.restock &&
        (full ? (
          <p className="muted small">Every unit not yet returned goes back on hand.</p>
        ) : (
          <RestockLines
            order={order}
            form={form}
            errors={action.errors}
            onChange={(q) => set({ quantities: q }, 'restock')}
          />
        ))}
    </FormDialog>
  );
}

function RestockLines({
  order,
  form,
  errors,
  onChange,
}: {
  order: OrderDetail;
  form: RefundForm;
  errors: Record<string, string>;
  onChange: (quantities: RefundForm['quantities']) => void;
}) {
  return (
    <table className="refund-lines">
      <tbody>
        {order.items.map((item, index) =>
          item.variantId ? (
            <tr key={index}>
              <td>
                <div className="cell-stack">
                  <span>{item.name}</span>
                  <span className="cell-sub mono">
                    {item.sku} · {item.quantity} ordered
                  </span>
                </div>
              </td>
              <td>
                <NumberField
                  label={<span className="visually-hidden">Units of {item.sku} back</span>}
                  value={form.quantities[index] ?? 0}
                  onChange={(value) => onChange({ ...form.quantities, [index]: value })}
                  error={errors[`quantities.${index}`]}
                  min={0}
                  max={item.quantity}
                />
              </td>
            </tr>
          ) : null,
        )}
      </tbody>
    </table>
  );
}

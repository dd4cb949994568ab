/** Cancel an unpaid order, with a reason; the dialog is the confirmation (orders:cancel; queued offline). */
import { useState } from 'react';
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { Banner } from '../../components/Banner.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextField } from '../../components/TextField.js';
import { queuedNote } from '../../lib/saved.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { shortNumber } from './order-status.js';

export function CancelDialog({
  order,
  onClose,
  onDone,
}: {
  order: OrderDetail;
  onClose: () => void;
  onDone: (order: OrderDetail) => void;
}) {
  const [reason, setReason] = useState('');
  const action = useFormAction('orders:cancel', { fields: ['reason'] });
  const number = shortNumber(order.number);

  const submit = async () => {
    const input = { orderId: order.id, reason: reason.trim() };
    const updated = await action.submit(
      input,
      input.reason ? undefined : { reason: 'Say why the order is cancelled (the customer may ask)' },
    );
    if (!updated) return;
    bumpTables(['orders', 'variants', 'stock_levels']);
    toast({ tone: 'success', title: `Order #${number} cancelled`, body: queuedNote() });
    onDone(updated);
  };

  return (
    <FormDialog
      title={`Cancel order #${number}?`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={action.busy}
      formError={action.formError}
      size="md"
      tone="danger"
      cancelLabel="Keep the order"
      submitLabel={<>Cancel order #{number}</>}
    >
      <Banner tone="warning">
        This cannot be undone. The order stops waiting for payment and its reserved stock goes back on sale.
      </Banner>
      <TextField
        label="Reason"
        value={reason}
        onChange={(value) => {
          setReason(value);
          action.clearField('reason');
        }}
        error={action.errors.reason}
        placeholder="Customer asked to cancel, duplicate order…"
        maxLength={500}
        required
      />
    </FormDialog>
  );
}

/** Mark a paid order shipped with its carrier and tracking number (orders:fulfill; queued offline). */
import { useId, useState } from 'react';
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextField } from '../../components/TextField.js';
import { queuedNote } from '../../lib/saved.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { shortNumber } from './order-status.js';

const CARRIERS = ['UPS', 'FedEx', 'DHL', 'USPS', 'Royal Mail', 'DPD', 'GLS', 'La Poste', 'Canada Post'];

export function FulfillDialog({
  order,
  onClose,
  onDone,
}: {
  order: OrderDetail;
  onClose: () => void;
  onDone: (order: OrderDetail) => void;
}) {
  const listId = useId();
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTracking] = useState('');
  const action = useFormAction('orders:fulfill', { fields: ['carrier', 'trackingNumber'] });

  const submit = async () => {
    const input = { orderId: order.id, carrier: carrier.trim(), trackingNumber: trackingNumber.trim() };
    const errors: Record<string, string> = {};
    if (!input.carrier) errors.carrier = 'Enter the carrier, e.g. UPS';
    if (!input.trackingNumber) errors.trackingNumber = 'Enter the tracking number';
    const updated = await action.submit(input, Object.keys(errors).length ? errors : undefined);
    if (!updated) return;
    bumpTables(['orders']);
    toast({
      tone: 'success',
      title: `Order #${shortNumber(order.number)} marked as shipped`,
      body: queuedNote() ?? 'The customer gets a shipping e-mail with the tracking number.',
    });
    onDone(updated);
  };

  return (
    <FormDialog
      title={`Ship order #${shortNumber(order.number)}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={action.busy}
      formError={action.formError}
      submitLabel={<>Mark as shipped</>}
    >
      <div className="form-grid">
        <TextField
          label="Carrier"
          value={carrier}
          onChange={(value) => {
            setCarrier(value);
            action.clearField('carrier');
          }}
          error={action.errors.carrier}
          list={listId}
          maxLength={100}
          required
        />
        <TextField
          label="Tracking number"
          value={trackingNumber}
          onChange={(value) => {
            setTracking(value);
            action.clearField('trackingNumber');
          }}
          error={action.errors.trackingNumber}
          className="mono-input"
          maxLength={100}
          required
        />
      </div>
      <datalist id={listId}>
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <p className="muted small">The shipping e-mail goes out once the server has the change.</p>
    </FormDialog>
  );
}

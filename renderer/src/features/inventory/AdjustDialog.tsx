/** Adjust a variant's stock by a signed number of units, with a reason (stock:adjust; queued offline). */
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog.js';
import { NumberField } from '../../components/NumberField.js';
import { Select } from '../../components/Select.js';
import { TextField } from '../../components/TextField.js';
import { formatCount } from '../../lib/format.js';
import { queuedNote } from '../../lib/saved.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { type AdjustForm, REASON_OPTIONS, adjustErrors, adjustInput, previewOnHand } from './stock-forms.js';
import { STOCK_TABLES, type StockRow, VariantSummary } from './VariantSummary.js';

const EMPTY: AdjustForm = { delta: null, reason: '', note: '' };

export function AdjustDialog({ variant, onClose }: { variant: StockRow; onClose: () => void }) {
  const [form, setForm] = useState<AdjustForm>(EMPTY);
  const action = useFormAction('stock:adjust', { fields: ['delta', 'reason', 'note'] });
  const set = <F extends keyof AdjustForm>(field: F, value: AdjustForm[F]) => {
    setForm((current) => ({ ...current, [field]: value }));
    action.clearField(field);
  };
  const after = previewOnHand(variant.onHand, { delta: form.delta });

  const submit = async () => {
    const level = await action.submit(adjustInput(variant.variantId, form), adjustErrors(variant.variantId, form));
    if (!level) return;
    bumpTables(STOCK_TABLES);
    toast({
      tone: 'success',
      title: `${variant.sku}: ${formatCount(level.onHand)} on hand`,
      body: queuedNote() ?? `Adjusted by ${form.delta! > 0 ? '+' : ''}${formatCount(form.delta!)}.`,
    });
    onClose();
  };

  return (
    <FormDialog
      title="Adjust stock"
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={action.busy}
      formError={action.formError}
      submitLabel={<>Save adjustment</>}
    >
      <VariantSummary variant={variant} after={after} />
      <div className="form-grid">
        <NumberField
          label="Change (units)"
          value={form.delta}
          onChange={(value) => set('delta', value)}
          error={action.errors.delta}
          hint="Negative removes stock, e.g. -3"
          placeholder="+5 or -3"
          required
        />
        <Select
          label="Reason"
          value={form.reason}
          options={REASON_OPTIONS}
          onChange={(value) => set('reason', value)}
          error={action.errors.reason}
          required
        />
        <TextField
          className="span-2"
          label="Note"
          value={form.note}
          onChange={(value) => set('note', value)}
          error={action.errors.note}
          placeholder="Delivery #, who found the damage… (optional)"
          maxLength={500}
        />
      </div>
    </FormDialog>
  );
}

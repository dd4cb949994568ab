/**
 * Record a stocktake (stock:count; queued offline). `Expected` starts as the on-hand figure when the
 * dialog opened: the server then corrects by counted − expected, so sales made while counting are
 * kept. Emptying it sets the level to the count outright.
 */
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog.js';
import { NumberField } from '../../components/NumberField.js';
import { TextField } from '../../components/TextField.js';
import { formatCount } from '../../lib/format.js';
import { queuedNote } from '../../lib/saved.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { type CountForm, countErrors, countInput, previewOnHand } from './stock-forms.js';
import { STOCK_TABLES, type StockRow, VariantSummary } from './VariantSummary.js';

export function CountDialog({ variant, onClose }: { variant: StockRow; onClose: () => void }) {
  const [form, setForm] = useState<CountForm>({ counted: null, expected: variant.onHand, note: '' });
  const action = useFormAction('stock:count', { fields: ['counted', 'expected', 'note'] });
  const set = <F extends keyof CountForm>(field: F, value: CountForm[F]) => {
    setForm((current) => ({ ...current, [field]: value }));
    action.clearField(field);
  };
  const after = previewOnHand(variant.onHand, { counted: form.counted }, form.expected);

  const submit = async () => {
    const level = await action.submit(countInput(variant.variantId, form), countErrors(variant.variantId, form));
    if (!level) return;
    bumpTables(STOCK_TABLES);
    toast({
      tone: 'success',
      title: `${variant.sku}: counted ${formatCount(form.counted!)}`,
      body: queuedNote() ?? `${formatCount(level.onHand)} on hand now.`,
    });
    onClose();
  };

  return (
    <FormDialog
      title="Record a stock count"
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={action.busy}
      formError={action.formError}
      submitLabel={<>Save count</>}
    >
      <VariantSummary variant={variant} after={after} />
      <div className="form-grid">
        <NumberField
          label="Counted (units)"
          value={form.counted}
          onChange={(value) => set('counted', value)}
          error={action.errors.counted}
          placeholder="0"
          required
        />
        <NumberField
          label="Expected"
          value={form.expected}
          onChange={(value) => set('expected', value)}
          error={action.errors.expected}
          hint="On hand when counting began; sales since then are kept. Empty: set to the count."
        />
        <TextField
          className="span-2"
          label="Note"
          value={form.note}
          onChange={(value) => set('note', value)}
          error={action.errors.note}
          placeholder="Shelf, who counted… (optional)"
          maxLength={500}
        />
      </div>
    </FormDialog>
  );
}

/**
 * The variants as an editable grid: one row per variant, one column per option and field. Money is
 * typed in units and kept in cents (NumberField scale 2). A row not yet saved can be removed; saved
 * variants stay (the contract has no variant removal: archive the product instead).
 */
import { Badge } from '../../../components/Badge.js';
import { Button } from '../../../components/Button.js';
import { NumberField } from '../../../components/NumberField.js';
import { Select } from '../../../components/Select.js';
import { TextField } from '../../../components/TextField.js';
import type { FieldErrors } from '../../../lib/api.js';
import { formatCount } from '../../../lib/format.js';
import './variant-grid.css';
import { blankVariant, type ProductDraft, type VariantDraft, variantTitle } from './product-form.js';

export interface VariantGridProps {
  draft: ProductDraft;
  errors: FieldErrors;
  change: (recipe: (draft: ProductDraft) => ProductDraft, path?: string) => void;
  currency: string;
}

type Patch = Partial<VariantDraft>;

export function VariantGrid({ draft, errors, change, currency }: VariantGridProps) {
  const edit = (index: number, patch: Patch, field: string) =>
    change(
      (d) => ({ ...d, variants: d.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) }),
      `variants.${index}.${field}`,
    );
  const options = draft.options.filter((o) => o.name.trim());
  const rowCurrency = draft.variants[0]?.currency ?? currency;
  return (
    <div className="variant-grid-wrap">
      <table className="variant-grid">
        <thead>
          <tr>
            <th scope="col" className="variant-col-title">
              Variant
            </th>
            {options.map((o) => (
              <th scope="col" key={o.name}>
                {o.name}
              </th>
            ))}
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Price ({rowCurrency})
            </th>
            <th scope="col" className="num">
              Compare-at
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col">Barcode</th>
            <th scope="col" className="num">
              Weight (g)
            </th>
            <th scope="col" className="num" title="Low stock is flagged at or below this many">
              Low at
            </th>
            <th scope="col" className="num">
              Stock
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.variants.map((variant, index) => (
            <VariantRow
              key={variant.key}
              index={index}
              variant={variant}
              title={variantTitle(options, variant.optionValues)}
              options={options}
              errors={errors}
              edit={(patch, field) => edit(index, patch, field)}
              remove={() => change((d) => ({ ...d, variants: d.variants.filter((_, i) => i !== index) }))}
              canRemove={variant.id === null && draft.variants.length > 1}
            />
          ))}
        </tbody>
      </table>
      <div className="variant-grid-actions">
        <Button
          onClick={() => change((d) => ({ ...d, variants: [...d.variants, blankVariant(currency, d.variants[0])] }))}
          disabled={draft.variants.length >= 250}
        >
          Add variant
        </Button>
      </div>
    </div>
  );
}

interface RowProps {
  index: number;
  variant: VariantDraft;
  title: string;
  options: ProductDraft['options'];
  errors: FieldErrors;
  edit: (patch: Patch, field: string) => void;
  remove: () => void;
  canRemove: boolean;
}

function VariantRow({ index, variant, title, options, errors, edit, remove, canRemove }: RowProps) {
  const at = (field: string) => errors[`variants.${index}.${field}`];
  // Screen readers hear "Price, S / Red" rather than a bare "Price" in a grid of identical fields.
  const name = (field: string) => `${field}, ${title === 'Default' ? `variant ${index + 1}` : title}`;
  const cell = 'cell-field';
  return (
    <tr className={variant.id === null ? 'variant-row-new' : undefined}>
      <th scope="row" className="variant-col-title">
        <span className="variant-title">{title}</span>
        {variant.id === null && <Badge tone="accent">New</Badge>}
      </th>
      {options.map((option, o) => (
        <td key={option.name}>
          <Select
            label={name(option.name)}
            className={cell}
            value={variant.optionValues[option.name] ?? ''}
            options={[{ value: '', label: 'Pick…' }, ...option.values.map((v) => ({ value: v, label: v }))]}
            onChange={(value) =>
              edit({ optionValues: { ...variant.optionValues, [option.name]: value } }, `optionValues.${option.name}`)
            }
            error={at(`optionValues.${option.name}`) ?? (o === 0 ? at('optionValues') : undefined)}
          />
        </td>
      ))}
      <td>
        <TextField
          label={name('SKU')}
          className={`${cell} cell-sku`}
          value={variant.sku}
          maxLength={64}
          onChange={(sku) => edit({ sku }, 'sku')}
          error={at('sku')}
        />
      </td>
      <td>
        <MoneyCell
          label={name('Price')}
          value={variant.priceCents}
          onChange={(priceCents) => edit({ priceCents }, 'priceCents')}
          error={at('priceCents')}
        />
      </td>
      <td>
        <MoneyCell
          label={name('Compare-at price')}
          value={variant.compareAtPriceCents}
          onChange={(v) => edit({ compareAtPriceCents: v }, 'compareAtPriceCents')}
          error={at('compareAtPriceCents')}
        />
      </td>
      <td>
        <MoneyCell
          label={name('Cost')}
          value={variant.costCents}
          onChange={(costCents) => edit({ costCents }, 'costCents')}
          error={at('costCents')}
        />
      </td>
      <td>
        <TextField
          label={name('Barcode')}
          className={`${cell} cell-barcode`}
          value={variant.barcode}
          maxLength={64}
          onChange={(barcode) => edit({ barcode }, 'barcode')}
          error={at('barcode')}
        />
      </td>
      <td>
        <NumberField
          label={name('Weight in grams')}
          className={`${cell} cell-num`}
          value={variant.weightGrams}
          onChange={(weightGrams) => edit({ weightGrams }, 'weightGrams')}
          error={at('weightGrams')}
          min={0}
        />
      </td>
      <td>
        <NumberField
          label={name('Low-stock threshold')}
          className={`${cell} cell-num`}
          value={variant.lowStockThreshold}
          onChange={(v) => edit({ lowStockThreshold: v }, 'lowStockThreshold')}
          error={at('lowStockThreshold')}
          min={0}
        />
      </td>
      <td className="num">
        {variant.id === null ? (
          <NumberField
            label={name('Opening stock')}
            className={`${cell} cell-num`}
            value={variant.initialStock}
            placeholder="0"
            onChange={(v) => edit({ initialStock: v }, 'initialStock')}
            error={at('initialStock')}
            min={0}
          />
        ) : (
          <span className="variant-stock" title={`${formatCount(variant.onHand ?? 0)} on hand`}>
            {formatCount(variant.available ?? 0)}
          </span>
        )}
      </td>
      <td>
        {canRemove && (
          <Button variant="ghost" size="sm" aria-label={`Remove ${name('variant')}`} onClick={remove}>
            ×
          </Button>
        )}
      </td>
    </tr>
  );
}

function MoneyCell(props: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  error: string | undefined;
}) {
  return <NumberField {...props} className="cell-field cell-money" scale={2} min={0} placeholder="0.00" />;
}

/**
 * A report's parameters in one toolbar: a date range with presets (ranged reports), then the
 * report's own options. Errors from the contract's schema show on the field they concern. Enter
 * (or the Refresh button, which submits this form) runs the report at once; other changes run it
 * after a short pause.
 */
import type { FormEvent } from 'react';
import type { ReportName } from '../../../../shared/contract/reports.js';
import { Select } from '../../components/Select.js';
import { TextField } from '../../components/TextField.js';
import type { FieldErrors } from '../../lib/api.js';
import {
  MOVEMENT_KIND_OPTIONS,
  ORDER_STATUS_OPTIONS,
  type OrderStatus,
  RANGE_PRESETS,
  RANGED,
  type RangePreset,
  type ReportForm,
} from './report-params.js';

interface Props {
  /** The form's id: the Refresh button lives beside the export buttons and submits it from there. */
  id: string;
  report: ReportName;
  form: ReportForm;
  errors: FieldErrors;
  onChange: (patch: Partial<ReportForm>) => void;
  onSubmit: () => void;
}

const GROUP_OPTIONS = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
] as const;
const BY_OPTIONS = [
  { value: 'revenue', label: 'Revenue' },
  { value: 'units', label: 'Units sold' },
] as const;
const TOP_OPTIONS = [5, 10, 25, 50, 100].map((n) => ({ value: String(n), label: `Top ${n}` }));
const KIND_OPTIONS = [{ value: '', label: 'All kinds' }, ...MOVEMENT_KIND_OPTIONS] as const;

export function ReportParamsBar({ id, report, form, errors, onChange, onSubmit }: Props) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form id={id} className="report-params" onSubmit={submit} noValidate aria-label="Report parameters">
      {RANGED.has(report) && <RangeFields form={form} errors={errors} onChange={onChange} />}
      {report === 'sales' && (
        <Select
          label="Group by"
          className="report-param-narrow"
          value={form.groupBy}
          options={GROUP_OPTIONS}
          onChange={(groupBy) => onChange({ groupBy })}
        />
      )}
      {report === 'topProducts' && (
        <>
          <Select
            label="Rank by"
            className="report-param-narrow"
            value={form.by}
            options={BY_OPTIONS}
            onChange={(by) => onChange({ by })}
          />
          <Select
            label="Show"
            className="report-param-narrow"
            value={String(form.limit)}
            options={TOP_OPTIONS}
            error={errors.limit}
            onChange={(limit) => onChange({ limit: Number(limit) })}
          />
        </>
      )}
      {report === 'lowStock' && (
        <p className="report-params-note">Variants at or below their low-stock threshold, as of now.</p>
      )}
      {report === 'inventoryValuation' && (
        <label className="report-checkbox">
          <input
            type="checkbox"
            checked={form.includeArchived}
            onChange={(e) => onChange({ includeArchived: e.target.checked })}
          />
          Include archived products
        </label>
      )}
      {report === 'movements' && (
        <Select label="Kind" value={form.kind} options={KIND_OPTIONS} onChange={(kind) => onChange({ kind })} />
      )}
      {report === 'orders' && <StatusFilter value={form.statuses} onChange={(statuses) => onChange({ statuses })} />}
    </form>
  );
}

function RangeFields({ form, errors, onChange }: Pick<Props, 'form' | 'errors' | 'onChange'>) {
  return (
    <>
      <Select
        label="Date range"
        className="report-param-preset"
        value={form.preset}
        options={RANGE_PRESETS}
        onChange={(preset: RangePreset) => onChange({ preset })}
      />
      <TextField
        label="From"
        type="date"
        name="from"
        className="report-param-date"
        value={form.from}
        max={form.to || undefined}
        error={errors.from ?? errors.timeZone}
        onChange={(from) => onChange({ from })}
      />
      <TextField
        label="To"
        type="date"
        name="to"
        className="report-param-date"
        value={form.to}
        min={form.from || undefined}
        error={errors.to}
        onChange={(to) => onChange({ to })}
      />
    </>
  );
}

/** Order statuses as toggle chips: none pressed means every status. */
function StatusFilter({ value, onChange }: { value: OrderStatus[]; onChange: (statuses: OrderStatus[]) => void }) {
  const toggle = (status: OrderStatus) =>
    onChange(value.includes(status) ? value.filter((s) => s !== status) : [...value, status]);
  return (
    <fieldset className="report-statuses">
      <legend className="field-label">Status</legend>
      <div className="chips">
        {ORDER_STATUS_OPTIONS.map((option) => (
          <button
            key={option.value}
            type="button"
            className="chip"
            aria-pressed={value.includes(option.value)}
            onClick={() => toggle(option.value)}
          >
            {option.label}
          </button>
        ))}
        {value.length > 0 && (
          <button type="button" className="chip chip-clear" onClick={() => onChange([])}>
            Any status
          </button>
        )}
      </div>
    </fieldset>
  );
}

import type { ReactNode, SelectHTMLAttributes } from 'react';
import { Field } from './Field.js';

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

export interface SelectProps<V extends string> extends Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'onChange' | 'value'
> {
  label: ReactNode;
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
  error?: string | undefined;
  hint?: ReactNode;
}

export function Select<V extends string>({
  label,
  value,
  options,
  onChange,
  error,
  hint,
  required,
  className,
  ...rest
}: SelectProps<V>) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className}>
      {(wiring) => (
        <select
          {...rest}
          {...wiring}
          className="input select"
          value={value}
          onChange={(e) => onChange(e.target.value as V)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './Field.js';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Renders a textarea. */
  multiline?: boolean;
}

export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  required,
  multiline,
  className,
  ...rest
}: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className}>
      {(wiring) =>
        multiline ? (
          <textarea
            {...wiring}
            className="input textarea"
            value={value}
            required={required}
            onChange={(e) => onChange(e.target.value)}
            name={rest.name}
            placeholder={rest.placeholder}
            disabled={rest.disabled}
            rows={4}
          />
        ) : (
          <input
            {...rest}
            {...wiring}
            className="input"
            value={value}
            required={required}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

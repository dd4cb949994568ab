/**
 * A number input that lets people type freely ("1.", "-", "") and reports a number (or null when
 * empty or not a number) on every keystroke. `scale` turns money-style decimals into integers:
 * with scale 2, typing 12.34 reports 1234 (cents), as the contract wants.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { Field } from './Field.js';

export interface NumberFieldProps {
  label: ReactNode;
  value: number | null;
  onChange: (value: number | null) => void;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  /** Digits after the point the user types; the reported value is multiplied by 10^scale. */
  scale?: number;
  min?: number;
  max?: number;
  placeholder?: string;
  disabled?: boolean;
  name?: string;
  className?: string;
  /** e.g. a currency code or a unit. */
  suffix?: ReactNode;
}

export function parseScaled(text: string, scale: number): number | null {
  const trimmed = text.trim();
  const pattern = scale > 0 ? new RegExp(`^-?\\d*(\\.\\d{0,${scale}})?$`) : /^-?\d+$/;
  if (trimmed === '' || !pattern.test(trimmed) || !/\d/.test(trimmed)) return null;
  // Integer arithmetic on the digits avoids 0.1 + 0.2 style errors.
  const [whole = '0', fraction = ''] = trimmed.replace('-', '').split('.');
  const value = Number(whole || '0') * 10 ** scale + Number(fraction.padEnd(scale, '0') || '0');
  return trimmed.startsWith('-') ? -value : value;
}

export function formatScaled(value: number | null, scale: number): string {
  if (value === null) return '';
  return scale > 0 ? (value / 10 ** scale).toFixed(scale) : String(value);
}

export function NumberField({
  label,
  value,
  onChange,
  error,
  hint,
  required,
  scale = 0,
  suffix,
  className,
  ...rest
}: NumberFieldProps) {
  const [text, setText] = useState(() => formatScaled(value, scale));
  // An outside change (a reset, a loaded record) replaces what is typed; our own echo does not.
  useEffect(() => {
    setText((current) => (parseScaled(current, scale) === value ? current : formatScaled(value, scale)));
  }, [value, scale]);
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className}>
      {(wiring) => (
        <div className="input-group">
          <input
            {...rest}
            {...wiring}
            className="input input-number"
            inputMode={scale > 0 ? 'decimal' : 'numeric'}
            value={text}
            required={required}
            onChange={(e) => {
              setText(e.target.value);
              onChange(parseScaled(e.target.value, scale));
            }}
          />
          {suffix && <span className="input-suffix">{suffix}</span>}
        </div>
      )}
    </Field>
  );
}

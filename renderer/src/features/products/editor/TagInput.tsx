/**
 * A list of short values as chips (tags, an option's values): Enter or a comma adds what is typed,
 * Backspace in the empty box removes the last chip, each chip has its own remove button. Enter here
 * never submits the form; a value typed but not yet added is added when the box loses focus.
 */
import { type KeyboardEvent, type ReactNode, useState } from 'react';
import { Field } from '../../../components/Field.js';

export interface TagInputProps {
  label: ReactNode;
  values: readonly string[];
  onChange: (values: string[]) => void;
  error?: string | undefined;
  hint?: ReactNode;
  placeholder?: string;
  maxLength?: number;
  disabled?: boolean;
  className?: string;
}

export function TagInput({
  label,
  values,
  onChange,
  error,
  hint,
  placeholder,
  maxLength,
  disabled,
  className,
}: TagInputProps) {
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const fresh = raw
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v && !values.some((existing) => existing.toLowerCase() === v.toLowerCase()));
    if (fresh.length > 0) onChange([...values, ...new Set(fresh)]);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add(text);
    } else if (event.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(wiring) => (
        <div className={['tag-input', disabled ? 'tag-input-disabled' : ''].filter(Boolean).join(' ')}>
          {values.map((value, i) => (
            <span key={value} className="tag-chip">
              {value}
              <button
                type="button"
                className="tag-chip-remove"
                aria-label={`Remove ${value}`}
                disabled={disabled}
                onClick={() => onChange(values.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </span>
          ))}
          <input
            {...wiring}
            className="tag-input-box"
            value={text}
            placeholder={values.length === 0 ? placeholder : undefined}
            maxLength={maxLength}
            disabled={disabled}
            onChange={(e) => {
              // A pasted "S, M, L" becomes three chips at once.
              if (e.target.value.includes(',')) add(e.target.value);
              else setText(e.target.value);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => text.trim() && add(text)}
          />
        </div>
      )}
    </Field>
  );
}

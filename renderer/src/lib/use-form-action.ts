/**
 * One form's write: check the input against the channel's schema first (bad input is shown on its
 * fields and never sent, so never queued), then call; a refusal's per-field messages land on the
 * fields too, anything else becomes the form's own message. Screens keep their field state; this
 * keeps the errors and the busy flag, which every form would otherwise repeat.
 */
import { type KeyboardEvent, useCallback, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { type FieldErrors, call, errorMessage, fieldErrorsOf } from './api.js';
import { validate } from './validate.js';

export interface FormAction<K extends ChannelName> {
  errors: FieldErrors;
  /** A failure no field explains (no connection, the row is gone…). */
  formError: string | null;
  busy: boolean;
  /**
   * The channel's answer, or undefined when the input was invalid or the call failed. `checked`:
   * the form's own verdict (friendlier messages, extra rules) used instead of the bare schema's.
   */
  submit: (input: ChannelInput<K>, checked?: FieldErrors | null) => Promise<ChannelOutput<K> | undefined>;
  /** Clears the messages (a dialog reopened, a field edited). */
  reset: () => void;
  /** Drops one field's message once the person edits it. */
  clearField: (path: string) => void;
}

export function useFormAction<K extends ChannelName>(
  channel: K,
  options: {
    /** The paths the form shows; a message for any other (an id, a hidden field) goes to formError. */
    fields?: readonly string[];
    describe?: (error: unknown) => string;
  } = {},
): FormAction<K> {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opts = useRef(options);
  opts.current = options;

  const show = useCallback((fields: FieldErrors, other: string | null) => {
    const shown = opts.current.fields;
    const stray = shown ? Object.entries(fields).filter(([path]) => !shown.includes(path)) : [];
    setErrors(fields);
    setFormError(other ?? (stray.length ? stray.map(([path, message]) => `${path}: ${message}`).join('; ') : null));
  }, []);

  const submit = useCallback(
    async (input: ChannelInput<K>, checked?: FieldErrors | null) => {
      const invalid = checked === undefined ? validate(channel, input) : checked;
      show(invalid ?? {}, null);
      if (invalid) return undefined;
      setBusy(true);
      try {
        return await call(channel, input);
      } catch (error) {
        const fields = fieldErrorsOf(error);
        const described = (opts.current.describe ?? errorMessage)(error);
        show(fields, Object.keys(fields).length === 0 ? described : null);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [channel, show],
  );
  const reset = useCallback(() => {
    setErrors({});
    setFormError(null);
  }, []);
  const clearField = useCallback(
    (path: string) =>
      setErrors((current) => {
        if (!(path in current)) return current;
        const { [path]: _dropped, ...rest } = current;
        return rest;
      }),
    [],
  );
  return { errors, formError, busy, submit, reset, clearField };
}

/**
 * Enter in a dialog's text or number field sends the form. The dialogs keep their buttons in the
 * footer, outside the <form>, where implicit submission is not something to rely on everywhere.
 */
export function submitOnEnter(submit: () => void) {
  return (event: KeyboardEvent<HTMLFormElement>) => {
    const target = event.target as HTMLElement;
    if (event.key !== 'Enter' || event.defaultPrevented || event.nativeEvent.isComposing) return;
    if (
      target.tagName !== 'INPUT' ||
      ['checkbox', 'radio', 'button', 'submit'].includes((target as HTMLInputElement).type)
    )
      return;
    event.preventDefault();
    submit();
  };
}

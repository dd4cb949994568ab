/**
 * A dialog whose body is one form: Enter in a text field or the primary button submits, Cancel or
 * Escape closes, and the first field gets focus. The dialogs that adjust stock or act on an order
 * differ only in their fields and their primary button.
 */
import { type ReactNode, useRef } from 'react';
import { submitOnEnter } from '../lib/use-form-action.js';
import { useFocusFirst } from '../lib/use-focus-first.js';
import { Banner } from './Banner.js';
import { Button } from './Button.js';
import { Dialog, type DialogProps } from './Dialog.js';

export interface FormDialogProps {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  /** The primary button's content. */
  submitLabel: ReactNode;
  cancelLabel?: ReactNode;
  tone?: 'primary' | 'danger';
  submitDisabled?: boolean;
  size?: DialogProps['size'];
  /** A refusal that belongs to no field (useFormAction's formError), shown above the fields. */
  formError?: string | null;
  children: ReactNode;
}

export function FormDialog(props: FormDialogProps) {
  const { title, onClose, onSubmit, busy, submitLabel, cancelLabel = 'Cancel', tone = 'primary' } = props;
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirst(formRef);
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      {...(props.size ? { size: props.size } : {})}
      footer={
        <>
          <Button onClick={onClose}>{cancelLabel}</Button>
          <Button variant={tone} busy={busy} onClick={onSubmit} disabled={props.submitDisabled}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        ref={formRef}
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
        onKeyDown={submitOnEnter(onSubmit)}
      >
        {props.formError && <Banner tone="danger">{props.formError}</Banner>}
        {props.children}
      </form>
    </Dialog>
  );
}

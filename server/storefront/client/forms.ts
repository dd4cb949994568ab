/**
 * Forms: values out, errors in. A field error goes next to its field (`aria-invalid`,
 * `aria-describedby`), anything else into the form's [data-form-error], and focus moves to the
 * first invalid field. Submitting is guarded against double clicks while the request runs.
 */
import { h, focusOn } from './dom.js';
import { ApiError, fieldNameOf, fieldSentence, invalid, messageOf, type FieldError } from './errors.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') out[key] = value;
  return out;
}

let ids = 0;
const idOf = (el: HTMLElement): string => (el.id ||= `f${++ids}`);

function describedBy(el: Element, id: string, add: boolean): void {
  const list = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (add) list.push(id);
  if (list.length > 0) el.setAttribute('aria-describedby', list.join(' '));
  else el.removeAttribute('aria-describedby');
}

export function formError(form: HTMLElement, message: string): HTMLElement {
  let el = form.querySelector<HTMLElement>('[data-form-error]');
  if (!el) {
    el = h('p', { class: 'form-error', role: 'alert', 'data-form-error': true });
    form.prepend(el);
  }
  el.textContent = message;
  el.hidden = !message;
  return el;
}

export function clearErrors(form: HTMLElement): void {
  for (const el of form.querySelectorAll('[data-error-for]')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    describedBy(el, `${el.id}-error`, false);
  }
  for (const el of form.querySelectorAll<HTMLElement>('[data-form-error]')) {
    el.textContent = '';
    el.hidden = true;
  }
}

/** Mark the field(s) called `name` invalid with `message`; undefined when the form has no such field. */
export function fieldError(form: HTMLElement, name: string, message: string): Control | undefined {
  const controls = [...form.querySelectorAll<Control>('input, select, textarea')].filter(
    (c) => c.name === name && !c.disabled && c.type !== 'hidden',
  );
  const first = controls[0];
  if (!first) return undefined;
  const id = `${idOf(first)}-error`;
  // A radio group's message goes under the whole group and is named by its legend.
  const group = first.type === 'radio' ? first.closest('fieldset') : null;
  // The label's own words, without what only screen readers get ("Quantity", not "Quantity of …").
  const label = (group ? group.querySelector('legend') : first.labels?.[0])?.firstChild?.textContent ?? '';
  const sentence = fieldSentence(label, message);
  const existing = document.getElementById(id);
  if (existing) existing.textContent += ` ${sentence}`;
  else {
    const p = h('p', { class: 'field-error', id, 'data-error-for': name }, sentence);
    (group ?? first.closest('.field') ?? first.parentElement!).append(p);
  }
  for (const c of controls) {
    c.setAttribute('aria-invalid', 'true');
    describedBy(c, id, true);
  }
  return first;
}

/** Focus the first invalid field, else the form's message. */
export function focusFirstError(form: HTMLElement): void {
  const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  else focusOn(form.querySelector<HTMLElement>('[data-form-error]:not([hidden])'));
}

/**
 * Show what went wrong: each `errors[]` entry naming a field of this form next to it, the rest
 * (and the problem's detail when no field explains it) at the top.
 */
export function showErrors(form: HTMLElement, error: unknown): void {
  clearErrors(form);
  let placed = 0;
  const loose: string[] = [];
  if (error instanceof ApiError) {
    for (const e of error.errors) {
      const name = fieldNameOf(e.path);
      if (name && fieldError(form, name, e.message)) placed++;
      else loose.push(name ? `${name}: ${e.message}` : e.message);
    }
  }
  const generic = placed > 0 && error instanceof ApiError && error.code === 'validation_failed';
  const message = generic ? 'Please check the fields marked below.' : messageOf(error);
  formError(form, [message, ...loose].join(' '));
  focusFirstError(form);
}

/** Required fields left empty, as the server would name them (checked before asking it). */
function missingRequired(form: HTMLFormElement): FieldError[] {
  const seen = new Set<string>();
  const missing: FieldError[] = [];
  for (const c of form.querySelectorAll<Control>('[required]')) {
    if (c.disabled || seen.has(c.name)) continue;
    seen.add(c.name);
    const empty =
      c.type === 'radio' ? !form.querySelector(`[name="${CSS.escape(c.name)}"]:checked`) : c.value.trim() === '';
    if (empty) missing.push({ path: `body.${c.name}`, message: 'is required' });
  }
  return missing;
}

/**
 * Handle `submit` with `handler`; its rejection is shown on the form. While it runs the submit
 * button is marked busy (its `data-busy` text shown) and further submits are ignored — the button
 * keeps focus, which disabling it would take away.
 */
export function onSubmit(
  form: HTMLFormElement,
  handler: (values: Record<string, string>) => Promise<void>,
  onError: (error: unknown) => void = (error) => showErrors(form, error),
): void {
  let running = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    const missing = missingRequired(form);
    if (missing.length > 0) {
      const error = invalid('', 'Please fill in the required fields.');
      error.errors.push(...missing);
      return showErrors(form, error);
    }
    running = true;
    const button =
      (event.submitter as HTMLButtonElement | null) ?? form.querySelector<HTMLButtonElement>('button[type=submit]');
    const label = button?.textContent ?? '';
    if (button) {
      button.setAttribute('aria-disabled', 'true');
      if (button.dataset.busy) button.textContent = button.dataset.busy;
    }
    clearErrors(form);
    handler(formValues(form))
      .catch(onError)
      .finally(() => {
        running = false;
        if (button) {
          button.removeAttribute('aria-disabled');
          if (button.dataset.busy) button.textContent = label;
        }
      });
  });
}

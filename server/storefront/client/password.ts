/** /forgot-password asks for a reset link; /reset-password?token= sets a new password with it. */
import { post } from './api.js';
import { $ } from './dom.js';
import { onSubmit } from './forms.js';

function done(form: HTMLFormElement, message: string, link?: { href: string; text: string }): void {
  const note = document.createElement('p');
  note.setAttribute('role', 'status');
  note.className = 'notice';
  note.textContent = message;
  if (link) {
    const a = document.createElement('a');
    a.href = link.href;
    a.textContent = link.text;
    note.append(' ', a);
  }
  form.replaceWith(note);
}

export function passwordPage(kind: 'forgot-password' | 'reset-password'): void {
  const form = $<HTMLFormElement>(`form[data-${kind}-form]`);
  if (!form) return;
  if (kind === 'forgot-password') {
    onSubmit(form, async (values) => {
      await post('/auth/password-reset', { email: values.email });
      // The server answers the same whether or not the address has an account (no enumeration).
      done(form, `If ${values.email} has an account, a link to choose a new password is on its way. It works once.`);
    });
    return;
  }
  const token = new URLSearchParams(location.search).get('token') ?? '';
  if (!token) {
    done(form, 'This page needs the link from your password reset e-mail.', {
      href: '/forgot-password',
      text: 'Ask for a new link',
    });
    return;
  }
  onSubmit(form, async (values) => {
    await post('/auth/password-reset/confirm', { token, password: values.password });
    done(form, 'Your password is changed. Sign in with it now.', { href: '/login', text: 'Sign in' });
  });
}

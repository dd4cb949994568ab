/** /login and /register: sign in, merge a guest cart into the member's, go back where `?next=` says. */
import type { AuthResult } from '../../../shared/api/auth.schemas.js';
import { post } from './api.js';
import { mergeGuestCart } from './cart.js';
import { $ } from './dom.js';
import { ApiError } from './errors.js';
import { onSubmit, showErrors } from './forms.js';
import { safeNext } from './nav.js';
import { saveTokens, signedIn } from './session.js';
import { flash } from './toast.js';

async function signIn(result: AuthResult, next: string, welcome: string): Promise<void> {
  saveTokens(result, result.user);
  let message = welcome;
  try {
    const merged = await mergeGuestCart();
    const capped = merged?.warnings.filter((w) => w.code === 'quantity_capped' || w.code === 'cart_full') ?? [];
    if (merged && merged.itemCount > 0) message += ' Your cart was saved to your account.';
    if (capped.length > 0) message += ` ${capped.map((w) => w.message).join(' ')}`;
  } catch {
    // The member is signed in all the same; the guest cart stays where it was.
  }
  flash(message);
  location.assign(next);
}

export function authPage(kind: 'login' | 'register'): void {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  if (signedIn()) {
    location.replace(next);
    return;
  }
  // Switching between the two pages keeps where to go afterwards.
  const switchLink = $<HTMLAnchorElement>('[data-auth-switch]');
  if (switchLink && next !== '/account') switchLink.search = `?next=${encodeURIComponent(next)}`;

  const form = $<HTMLFormElement>(kind === 'login' ? 'form[data-login-form]' : 'form[data-register-form]');
  if (!form) return;
  onSubmit(
    form,
    async (values) => {
      if (kind === 'login') {
        const result = await post<AuthResult>('/auth/login', { email: values.email, password: values.password });
        await signIn(result, next, `Welcome back, ${result.user.name}.`);
      } else {
        const result = await post<AuthResult>('/auth/register', {
          name: values.name,
          email: values.email,
          password: values.password,
        });
        await signIn(result, next, `Welcome, ${result.user.name}. Your account is ready.`);
      }
    },
    (error) => {
      // The API words a taken address as a conflict; it belongs next to the e-mail field.
      if (error instanceof ApiError && error.code === 'email_taken' && error.errors.length === 0) {
        showErrors(
          form,
          new ApiError(409, error.code, error.message, [{ path: 'body.email', message: error.message }]),
        );
      } else showErrors(form, error);
    },
  );
}

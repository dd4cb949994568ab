/** Pages that need a signed-in shopper, and what a page shows when loading it failed. */
import { fill, note } from './dom.js';
import { ApiError, messageOf } from './errors.js';
import { loginHref } from './nav.js';
import { signedIn } from './session.js';

/** False (and on the way to /login, coming back here) when nobody is signed in. */
export function requireUser(): boolean {
  if (signedIn()) return true;
  location.replace(loginHref(location.pathname + location.search));
  return false;
}

/** A load failed: the session ended (sign in again), or say what went wrong in `root`. */
export function failed(root: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.status === 401) requireUser();
  else fill(root, note(messageOf(error), 'form-error'));
}

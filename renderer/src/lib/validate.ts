/**
 * Checks a form's input against the channel's own schema before sending. Apart from api.ts
 * because it needs the whole contract's schemas: only the screens with forms (loaded on first
 * visit) pull them in, not the start-up bundle.
 */
import { backoffice, type ChannelInput, type ChannelName } from '../../../shared/contract/backoffice.js';
import { type FieldErrors, toFieldErrors } from './api.js';

/** So an empty or invalid field is shown at once and never reaches the host (nor its outbox). Null when it is valid. */
export function validate<K extends ChannelName>(channel: K, input: ChannelInput<K>): FieldErrors | null {
  const parsed = backoffice[channel].input.safeParse(input);
  if (parsed.success) return null;
  return toFieldErrors(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

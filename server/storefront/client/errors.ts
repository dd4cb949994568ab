/**
 * API errors as the browser code sees them: every failed call becomes an `ApiError` carrying the
 * problem+json fields (RFC 9457), so callers branch on `code` and forms place `errors[]` next to
 * the fields they name. Pure: no DOM, unit-tested.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_MESSAGE = 'We could not reach the shop. Check your connection and try again.';

/** An error from a response's status and parsed body (a problem document, other JSON, or nothing). */
export function toApiError(status: number, body: unknown): ApiError {
  const p = (body ?? {}) as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const errors = Array.isArray(p.errors)
    ? (p.errors as FieldError[])
        .filter((e) => typeof e?.message === 'string')
        .map((e) => ({ path: String(e.path), message: e.message }))
    : [];
  const message =
    text(p.detail) ??
    text(p.title) ??
    (status === 429
      ? 'Too many attempts. Please wait a minute and try again.'
      : 'Something went wrong. Please try again.');
  return new ApiError(status, text(p.code) ?? 'error', message, errors);
}

export const networkError = (): ApiError => new ApiError(0, 'network_error', NETWORK_MESSAGE);

/**
 * The form field an error path points at: `body.shippingAddress.postalCode` →
 * `shippingAddress.postalCode`. Paths outside the body (query, params, headers) name no field.
 */
export function fieldNameOf(path: string): string | undefined {
  const match = /^body\.(.+)$/.exec(path);
  return match?.[1];
}

/**
 * The sentence shown under a field: the API's messages are predicates ("is required", "must be a
 * valid e-mail address"), so they get the field's label as subject; whole sentences stay as they are.
 */
export function fieldSentence(label: string, message: string): string {
  const subject = label
    .replace(/\(optional\)/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^[a-z]/.test(message) && subject) return `${subject} ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Anything thrown, as a sentence for the shopper. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** A refusal found before asking the server, shaped like the server's own (422 with a field path). */
export const invalid = (field: string, message: string): ApiError =>
  new ApiError(422, 'validation_failed', message, field ? [{ path: `body.${field}`, message }] : []);

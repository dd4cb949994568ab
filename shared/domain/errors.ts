/**
 * Stable machine-readable error codes shared by server, back-office host and renderer.
 * A code, once published, never changes meaning: clients branch on it.
 */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_json: 400,
  invalid_reset_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  review_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
  // Carts and wishlists
  cart_token_required: 400,
  merge_credentials_required: 400,
  cart_not_found: 404,
  cart_item_not_found: 404,
  out_of_stock: 409,
  variant_unavailable: 422,
  currency_mismatch: 422,
  quantity_limit_exceeded: 422,
  cart_full: 422,
  wishlist_full: 422,
  // Payments
  invalid_signature: 400,
  order_not_payable: 409,
  invalid_test_card: 422,
  payment_provider_error: 502,
  // Checkout and orders
  idempotency_key_required: 400,
  cart_empty: 422,
  cart_changed: 409,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
  invalid_order_transition: 409,
  payment_provider_unavailable: 502,
  refund_exceeds_paid: 422,
  // Sync
  unsupported_protocol_version: 426,
  unknown_device: 403,
  /** Needs the server right now (e.g. a refund): refused offline rather than queued. */
  needs_connection: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path into the input, e.g. `body.email` or `query.limit`. */
  path: string;
  message: string;
}

/** An `out_of_stock` refusal, per variant: how many were asked for and how many can be had. */
export interface StockShortage {
  variantId: string;
  sku: string;
  requested: number;
  available: number;
}

/**
 * The one error type services throw. It never carries HTTP objects; the HTTP layer maps
 * `code` to a status and renders RFC 9457 problem+json.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  /** `out_of_stock` only: what is short, for a client to act on without reading the message. */
  readonly shortages: StockShortage[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      cause?: unknown;
      shortages?: StockShortage[];
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.errors = options.errors;
    this.headers = options.headers;
    this.shortages = options.shortages;
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);

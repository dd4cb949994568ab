/**
 * How screens talk to the host: `await call('catalog:get', {id})` answers the channel's value or
 * throws an ApiError carrying the contract's code, message and per-field messages.
 */
import type { BridgeError, ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { getBridge } from './bridge.js';

/** Messages by field path (`email`, `variants.0.sku`); the first message per field wins. */
export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly code: string;
  readonly fieldErrors: FieldErrors;

  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.fieldErrors = toFieldErrors(error.errors ?? []);
  }
}

export async function call<K extends ChannelName>(channel: K, input?: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const send = getBridge()[channel] as (input?: ChannelInput<K>) => ReturnType<ReturnType<typeof getBridge>[K]>;
  const result = await send(input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as ChannelOutput<K>;
}

/** The server nests inputs under `body.`/`query.`; forms only know the field's own path. */
export function toFieldErrors(errors: { path: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const { path, message } of errors) {
    const key = path.replace(/^(body|query|params)\./, '');
    out[key] ??= message;
  }
  return out;
}

/** Per-field messages of a failed call (empty for any other error). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  return error instanceof ApiError ? error.fieldErrors : {};
}

/** A sentence for a banner or toast, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

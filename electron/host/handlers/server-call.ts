/**
 * What handlers and the image uploader need to talk to the central server beside sync: the
 * engine's signed-in client (one per host, so token refreshes stay single-flight), a way to ask for
 * a sync pass, and the server's refusals turned into the AppErrors the UI shows.
 */
import type { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../../../shared/domain/errors.js';
import { NetworkError, type SyncClient } from '../sync/client.js';

export interface ServerAccess {
  /** The signed-in client; null when signed out or when no server URL is set. */
  api(): SyncClient | null;
  /** A sync pass soon: what the server just changed then reaches the local store. */
  requestSync(): void;
}

/** For hosts and tests without a server: every online-only channel answers `needs_connection`. */
export const noServer: ServerAccess = { api: () => null, requestSync: () => undefined };

/** When the server's code is not one this build knows, the HTTP status still says what kind of refusal it is. */
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

interface Problem {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  errors?: unknown;
}

/**
 * A non-2xx answer as an error: the server's own code, message and field errors (paths without the
 * `body.` prefix, so they name the channel's fields). A 5xx without a problem body is a proxy or a
 * crash: as good as no answer, so a NetworkError.
 */
export async function refusal(res: Response): Promise<AppError | NetworkError> {
  let body: Problem | null = null;
  try {
    body = (await res.json()) as Problem;
  } catch {
    // Not problem+json: only the status is known.
  }
  const code = typeof body?.code === 'string' ? body.code : undefined;
  if (res.status >= 500 && !code) return new NetworkError(`server answered ${res.status}`);
  const known = code !== undefined && Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : undefined;
  const message =
    typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : undefined;
  const errors = fieldErrors(body?.errors);
  return new AppError(
    known ?? BY_STATUS[res.status] ?? (res.status >= 500 ? 'service_unavailable' : 'bad_request'),
    message ?? `The server answered ${res.status}`,
    errors.length > 0 ? { errors } : {},
  );
}

function fieldErrors(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e: unknown) => {
    const { path, message } = (e ?? {}) as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    return [{ path: path.replace(/^body\./, ''), message }];
  });
}

/** A 2xx body checked with its schema; anything else is an answer we cannot use (a NetworkError, as in client.ts). */
export async function readAnswer<T>(res: Response, schema: z.ZodType<T>, what: string): Promise<T> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (error) {
    throw new NetworkError(`unreadable answer to ${what}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new NetworkError(`unexpected answer to ${what}`);
  return parsed.data;
}

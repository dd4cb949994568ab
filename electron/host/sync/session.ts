/**
 * The staff session kept in the store (sync_state.session), so a restart stays signed in. The
 * back-office is for staff and admins: a customer account is refused at sign-in.
 */
import { eq } from 'drizzle-orm';
import { AppError } from '../../../shared/domain/errors.js';
import { type StoredSession, syncState } from '../db/schema.js';
import type { Store } from '../db/store.js';
import { getSyncState } from '../db/state.js';

export type SessionUser = StoredSession['user'];

export const STAFF_ROLES: readonly string[] = ['staff', 'admin'];

export function readSession(store: Store): StoredSession | null {
  return getSyncState(store).session ?? null;
}

/** Stores a new session; signing in as someone else makes the device register again for them. */
export function saveSession(store: Store, session: StoredSession): void {
  if (!STAFF_ROLES.includes(session.user.role))
    throw new AppError('forbidden', 'The back-office is for staff accounts: this account cannot sign in here');
  store.transaction(() => {
    const previous = readSession(store);
    const sameUser = previous?.user.id === session.user.id;
    store.db
      .update(syncState)
      .set({ session, ...(sameUser ? {} : { deviceRegistered: false }) })
      .where(eq(syncState.id, 1))
      .run();
  });
}

export function saveTokens(store: Store, tokens: { accessToken: string; refreshToken: string }): void {
  const current = readSession(store);
  if (!current) return;
  store.db
    .update(syncState)
    .set({ session: { ...current, ...tokens } })
    .where(eq(syncState.id, 1))
    .run();
}

export function clearSession(store: Store): void {
  store.db.update(syncState).set({ session: null }).where(eq(syncState.id, 1)).run();
}

/** Accepts http(s) URLs only and keeps their origin plus path, without a trailing slash. */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('validation_failed', `"${raw}" is not a URL`, {
      errors: [{ path: 'serverUrl', message: 'must be a URL such as https://shop.example.com' }],
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('validation_failed', 'The server URL must start with http:// or https://', {
      errors: [{ path: 'serverUrl', message: 'must use http or https' }],
    });
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

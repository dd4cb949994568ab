/**
 * The shopper's credentials in localStorage: the token pair of a signed-in member (with the
 * user, for the header and the checkout e-mail) and a guest's cart token. Other tabs see changes
 * through the `storage` event.
 */
export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  expiresAt: number;
  user: User;
}

const SESSION_KEY = 'nexus.session';
const CART_KEY = 'nexus.cartToken';

/**
 * JSON in localStorage (`local`) or sessionStorage. Storage can be disabled (private mode, quota):
 * then nothing is kept and the shopper's state lasts for this page only.
 */
export function load<T>(key: string, local = false): T | undefined {
  try {
    const text = (local ? localStorage : sessionStorage).getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function store(key: string, value: unknown, local = false): void {
  try {
    const area = local ? localStorage : sessionStorage;
    if (value === undefined) area.removeItem(key);
    else area.setItem(key, JSON.stringify(value));
  } catch {
    // Not kept (see `load`).
  }
}

const listeners = new Set<() => void>();
const changed = () => listeners.forEach((fn) => fn());

/** Called when the session changes here or in another tab. */
export function onSessionChange(fn: () => void): void {
  listeners.add(fn);
}

addEventListener('storage', (event) => {
  if (event.key === SESSION_KEY || event.key === null) changed();
});

export function session(): Session | undefined {
  const value = load<Session>(SESSION_KEY, true);
  return value?.accessToken && value.refreshToken ? value : undefined;
}

export const signedIn = (): boolean => session() !== undefined;

/** A new token pair (sign-in or refresh); the user is kept unless given. */
export function saveTokens(
  tokens: { accessToken: string; refreshToken: string; expiresIn: number },
  user?: User,
): void {
  const known = user ?? session()?.user;
  if (!known) return;
  const value: Session = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    // A little early, so a token does not expire on its way to the server.
    expiresAt: Date.now() + Math.max(0, tokens.expiresIn - 15) * 1000,
    user: known,
  };
  store(SESSION_KEY, value, true);
  changed();
}

export function saveUser(user: User): void {
  const current = session();
  if (!current) return;
  store(SESSION_KEY, { ...current, user }, true);
  changed();
}

export function clearSession(): void {
  if (!session()) return;
  store(SESSION_KEY, undefined, true);
  changed();
}

export const guestCartToken = (): string | undefined => load<string>(CART_KEY, true);
export const saveGuestCartToken = (token: string | undefined): void => store(CART_KEY, token, true);

/**
 * Who is signed in (auth:session). `undefined` while the first answer is awaited, null when signed
 * out: the app then shows the connect & log in screen. The host's status events also carry the
 * user, so a session that ends in the host (refresh token revoked) reaches the UI at once.
 */
import { create } from 'zustand';
import type { ChannelInput, SessionUser } from '../../../../shared/contract/backoffice.js';
import { call } from '../api.js';

interface SessionState {
  user: SessionUser | null | undefined;
  /**
   * Given the opening screen's data on its way (boot.ts), the answer is applied once that has
   * arrived too (or after a short wait).
   */
  load: (opening?: Promise<void>) => Promise<void>;
  login: (input: ChannelInput<'auth:login'>) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** From a status event. */
  follow: (user: SessionUser | null) => void;
}

/** How long the signed-in frame may wait for its opening screen's data before showing without it. */
const OPENING_WAIT_MS = 300;

const sameUser = (a: SessionUser | null | undefined, b: SessionUser | null) =>
  a === b || (!!a && !!b && a.email === b.email && a.role === b.role && a.name === b.name);

export const useSessionStore = create<SessionState>()((set, get) => ({
  user: undefined,
  load: async (opening) => {
    const user = await call('auth:session');
    // The signed-in frame then opens with its rows, rather than rendering placeholders first and
    // everything again a moment later.
    if (opening) await Promise.race([opening, new Promise((resolve) => setTimeout(resolve, OPENING_WAIT_MS))]);
    set({ user });
  },
  login: async (input) => {
    const user = await call('auth:login', input);
    set({ user });
    return user;
  },
  logout: async () => {
    await call('auth:logout');
    set({ user: null });
  },
  follow: (user) => {
    // Keeps the same object when nothing changed, so subscribers do not re-render on every status.
    if (!sameUser(get().user, user)) set({ user });
  },
}));

let first: Promise<void> | undefined;

/**
 * The first auth:session answer, asked for once: boot.ts asks before React renders (an effect
 * would wait for a first paint), and App awaits the same answer.
 */
export const loadSession = (opening?: Promise<void>): Promise<void> =>
  (first ??= useSessionStore.getState().load(opening));

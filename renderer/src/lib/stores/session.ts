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
  load: () => Promise<void>;
  login: (input: ChannelInput<'auth:login'>) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** From a status event. */
  follow: (user: SessionUser | null) => void;
}

const sameUser = (a: SessionUser | null | undefined, b: SessionUser | null) =>
  a === b || (!!a && !!b && a.email === b.email && a.role === b.role && a.name === b.name);

export const useSessionStore = create<SessionState>()((set, get) => ({
  user: undefined,
  load: async () => set({ user: await call('auth:session') }),
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

/**
 * Asks before unsaved edits are lost. Every in-app navigation (links, the "g p" shortcuts, Back)
 * changes the hash, so while `active` a hash change is undone on the spot — before the router
 * renders the next screen — and remembered; the screen then asks, and `leave()` goes on to it.
 * Browsers announce a typed or Back navigation with `popstate` before `hashchange` (and the
 * router re-renders on either), so both are caught; the router's own navigate() sends only
 * `hashchange`.
 * Closing or reloading the browser tab gets the browser's own prompt. Electron is left alone:
 * there a cancelled unload would silently stop the window from closing (the shell has its own guard).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface LeaveGuard {
  /** The hash the user tried to open, while the question is open. */
  blocked: string | null;
  stay: () => void;
  leave: () => void;
  /** Lets the next navigation through (after a save that moves to another route). */
  allowNext: () => void;
}

export function useLeaveGuard(active: boolean): LeaveGuard {
  const [blocked, setBlocked] = useState<string | null>(null);
  const bypass = useRef(false);

  useEffect(() => {
    if (!active) return;
    const here = window.location.href;
    const onNavigate = (event: Event) => {
      if (bypass.current || window.location.href === here) return;
      const wanted = window.location.hash;
      window.history.replaceState(window.history.state, '', here);
      // A hashchange with no popstate before it came from the router's pushState: step back over
      // the entry it added, so Back still leaves the editor after "Keep editing".
      if (event.type === 'hashchange') window.history.back();
      setBlocked(wanted);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium needs returnValue set to show the prompt.
      event.returnValue = '';
    };
    // Capture: at the window, capturing listeners run before the router's own listeners.
    window.addEventListener('popstate', onNavigate, true);
    window.addEventListener('hashchange', onNavigate, true);
    const inBrowser = window.nexus === undefined;
    if (inBrowser) window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('popstate', onNavigate, true);
      window.removeEventListener('hashchange', onNavigate, true);
      if (inBrowser) window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active]);

  const stay = useCallback(() => setBlocked(null), []);
  const leave = useCallback(() => {
    if (blocked === null) return;
    bypass.current = true;
    setBlocked(null);
    window.location.hash = blocked;
  }, [blocked]);
  const allowNext = useCallback(() => {
    bypass.current = true;
  }, []);
  return { blocked, stay, leave, allowNext };
}

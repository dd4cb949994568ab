/**
 * Browser mode's per-launch secret. The launch URL carries it in the fragment (`#secret=…`, never
 * sent to any server); we read it once, keep it for this tab (sessionStorage, so a reload works)
 * and strip it from the address bar so it is not bookmarked, shared or left in history.
 */
const STORAGE_KEY = 'nexus.backoffice.secret';
const FRAGMENT = /^#secret=([A-Za-z0-9_-]{32,256})$/;

export interface SecretPlaces {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

const defaultPlaces = (): SecretPlaces => ({
  location: window.location,
  history: window.history,
  storage: sessionStorage,
});

/** The secret from the URL (then removed from it) or from this tab's earlier load; null when neither has one. */
export function takeSecret(places: SecretPlaces = defaultPlaces()): string | null {
  const match = FRAGMENT.exec(places.location.hash);
  if (match) {
    const secret = match[1]!;
    try {
      places.storage.setItem(STORAGE_KEY, secret);
    } catch {
      // Storage may be disabled: the secret still works until the tab reloads.
    }
    // Land on the app's first route rather than on an empty fragment.
    places.history.replaceState(null, '', `${places.location.pathname}${places.location.search}#/dashboard`);
    return secret;
  }
  try {
    return places.storage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The launch URL pasted into a tab already open (perhaps after the host restarted with a new
 * secret) changes only the fragment, which loads nothing: reload, so takeSecret reads it.
 */
export function reloadOnLaunchUrl(win: Pick<Window, 'addEventListener' | 'location'> = window): void {
  win.addEventListener('hashchange', () => {
    if (FRAGMENT.test(win.location.hash)) win.location.reload();
  });
}

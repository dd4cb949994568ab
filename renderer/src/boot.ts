/**
 * The first code the page runs (main.tsx's first import, so it runs before React and the screens
 * are even evaluated): finds the bridge, then asks the host for the session and the opening
 * screen's first data, which are then on their way while the rest of the app loads and renders.
 */
import { preloadRoute } from './app/preloads.js';
import { initBridge } from './lib/bridge.js';
import { loadSession } from './lib/stores/session.js';

// The launch secret is read from the URL (and the fragment cleared for the router) before anything renders.
export const bridge = initBridge();
// The session decides which screen shows; the opening screen's data need not wait for it.
if (bridge) loadSession(preloadRoute(window.location.hash)).catch(() => undefined);

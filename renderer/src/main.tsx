// Must stay the first import: it configures zod before the contract's schemas are built.
import './lib/zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { NoSecret } from './app/NoSecret.js';
import { initBridge, onHostConnection } from './lib/bridge.js';
import { reloadOnLaunchUrl } from './lib/secret.js';
import { connectHostEvents } from './lib/stores/host-events.js';
import { useSyncStore } from './lib/stores/sync.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/surfaces.css';
import './styles/table.css';
import './styles/shell.css';

// Before anything renders: the launch secret is read from the URL and the fragment cleared for the router.
const bridge = initBridge();
if (bridge) {
  onHostConnection((connected) => useSyncStore.getState().setHostConnected(connected));
  connectHostEvents(bridge);
}
reloadOnLaunchUrl();

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{bridge ? <App /> : <NoSecret />}</StrictMode>);

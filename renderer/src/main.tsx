// First, before React and the screens are evaluated: asks the host for what the first screen needs.
import { bridge } from './boot.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { NoSecret } from './app/NoSecret.js';
import { onHostConnection } from './lib/bridge.js';
import { reloadOnLaunchUrl } from './lib/secret.js';
import { connectHostEvents } from './lib/stores/host-events.js';
import { useSyncStore } from './lib/stores/sync.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/surfaces.css';
import './styles/table.css';
import './styles/shell.css';

if (bridge) {
  onHostConnection((connected) => useSyncStore.getState().setHostConnected(connected));
  connectHostEvents(bridge);
}
reloadOnLaunchUrl();

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{bridge ? <App /> : <NoSecret />}</StrictMode>);

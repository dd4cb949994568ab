/**
 * The desktop back-office's main process: wiring only. The host (store, sync engine, handlers) runs
 * here; the window gets the built UI from app://nexus/ and talks to the host through the preload's
 * contract functions. Decisions live in small files beside this one, each unit-tested under node.
 *
 * Built by scripts/build-electron.ts into dist/electron/app/ (this file as main.mjs, the preload as
 * preload.cjs, the host's migrations beside them); the UI is dist/renderer.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, protocol, session, shell, type BrowserWindow } from 'electron';
import { APP_ENTRY } from './app-url.js';
import { forwardEvents, registerChannels } from './bridge-main.js';
import { downloadAllowed, saveDialogOptions } from './downloads.js';
import { createBackofficeHost, type BackofficeHost } from './host/host.js';
import { readLaunchOptions, type LaunchOptions } from './launch-options.js';
import { installMenu } from './menu.js';
import { HOST_EVENT_MESSAGE, MENU_MESSAGE, type MenuCommand } from './messages.js';
import { registerAppScheme, serveApp } from './protocol.js';
import { hardenContents, hardenSession } from './security.js';
import { guardQuit } from './quit.js';
import { createMainWindow, focusWindow } from './window.js';

const APP_NAME = 'Nexus Back-office';
const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.resolve(here, '..', '..', 'renderer');
const PRELOAD = path.join(here, 'preload.cjs');

function fatal(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

/** Before ready: the scheme, the sandbox for every renderer, the per-data-dir profile and lock. */
function prepare(options: LaunchOptions): boolean {
  registerAppScheme(protocol);
  app.enableSandbox();
  app.setName(APP_NAME);
  // Chromium's profile beside the store: one instance per data dir, and a demo stays self-contained.
  app.setPath('userData', path.join(options.dataDir, 'electron'));
  if (!app.requestSingleInstanceLock()) return false;
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  return true;
}

async function openHost(options: LaunchOptions): Promise<BackofficeHost> {
  const host = createBackofficeHost({ dataDir: options.dataDir });
  // As in browser mode: --server-url only fills in a first start; a saved address wins.
  if (options.serverUrl && !host.engine.serverUrl())
    await host.call('settings:setServerUrl', { url: options.serverUrl });
  return host;
}

function handleDownloads(): void {
  session.defaultSession.on('will-download', (event, item) => {
    if (!downloadAllowed(item.getURL())) return event.preventDefault();
    item.setSaveDialogOptions(saveDialogOptions(item.getFilename(), app.getPath('downloads')));
  });
}

async function start(options: LaunchOptions, setWindow: (window: BrowserWindow) => void): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html')))
    throw new Error(`The UI is not built (${RENDERER_DIR} is missing): run npm run build.`);
  hardenSession(session.defaultSession);
  handleDownloads();
  const host = await openHost(options);
  serveApp(protocol, RENDERER_DIR, () => {
    const url = host.store.sqlite.open ? host.engine.serverUrl() : null;
    return url ? new URL(url).origin : null;
  });
  const unregister = registerChannels(host, ipcMain);
  const window = createMainWindow({
    preload: PRELOAD,
    stateFile: path.join(options.dataDir, 'window-state.json'),
    title: APP_NAME,
  });
  setWindow(window);
  const send = (message: string, payload: unknown) => {
    if (!window.isDestroyed()) window.webContents.send(message, payload);
  };
  const stopEvents = forwardEvents(host, (event) => send(HOST_EVENT_MESSAGE, event));
  const command = (payload: MenuCommand) => send(MENU_MESSAGE, payload);
  installMenu(
    { platform: process.platform, isPackaged: app.isPackaged, appName: APP_NAME },
    {
      navigate: (route) => command({ navigate: route }),
      focusSearch: () => command({ focusSearch: true }),
      syncNow: () => void host.invoke('sync:now', {}),
      openDataFolder: () => void shell.openPath(options.dataDir),
    },
  );
  window.webContents.on('render-process-gone', (_event, details) =>
    console.error('The UI process ended:', details.reason),
  );
  guardQuit({ app, dialog, host, window, onClosing: () => (stopEvents(), unregister()) });
  await window.loadURL(APP_ENTRY);
}

function main(): void {
  const options = readLaunchOptions(
    process.argv.slice(app.isPackaged ? 1 : 2),
    process.env,
    process.platform,
    app.getPath('home'),
  );
  if ('errors' in options) return fatal('Nexus back-office: bad command line', options.errors.join('\n'));
  if (!prepare(options)) {
    // Another instance owns this data dir: it has been told to come to the front.
    app.quit();
    return;
  }
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => focusWindow(window));
  app.on('activate', () => focusWindow(window));
  app
    .whenReady()
    .then(() => start(options, (created) => (window = created)))
    .catch((error: unknown) => fatal('Nexus back-office could not start', error));
}

main();

/**
 * How the desktop app ends: closing the window (or Cmd+Q) asks first while changes are unsynced
 * (quit-guard.ts); then the host is closed cleanly (a running sync pass finishes, the store is
 * closed) before the process exits. A terminal's Ctrl+C (npm start) quits without asking: nobody
 * may be at the window, and the changes are safe in the store; their count is printed.
 * Electron's `app` and `dialog` are passed in by main.ts, so this file stays free of 'electron'.
 */
import type { BackofficeHost } from './host/host.js';
import { createQuitGuard, type QuitPromptOptions } from './quit-guard.js';

type Cancellable = { preventDefault(): void };

export interface QuitWindow {
  isDestroyed(): boolean;
  hide(): void;
  on(event: 'close', listener: (event: Cancellable) => void): unknown;
}

export interface QuitWiring {
  app: {
    on(event: 'before-quit' | 'will-quit', listener: (event: Cancellable) => void): unknown;
    quit(): void;
    exit(code: number): void;
  };
  dialog: {
    showMessageBox(options: QuitPromptOptions): Promise<{ response: number }>;
    showMessageBox(window: QuitWindow, options: QuitPromptOptions): Promise<{ response: number }>;
  };
  host: BackofficeHost;
  window: QuitWindow;
  /** Stop talking to the window before the host closes. */
  onClosing: () => void;
}

export function guardQuit({ app, dialog, host, window, onClosing }: QuitWiring): void {
  const guard = createQuitGuard({
    pending: () => host.unsyncedCount(),
    online: () => host.engine.status().online,
    ask: async (options) =>
      (window.isDestroyed() ? await dialog.showMessageBox(options) : await dialog.showMessageBox(window, options))
        .response,
    syncNow: async () => void (await host.invoke('sync:now', {})),
  });
  let confirmed = false;
  let closed = false;

  const askThenQuit = (event: { preventDefault(): void }) => {
    if (confirmed || host.unsyncedCount() === 0) return;
    event.preventDefault();
    void guard.confirm().then((ok) => {
      if (!ok) return;
      confirmed = true;
      app.quit();
    });
  };
  app.on('before-quit', askThenQuit);
  window.on('close', (event) => {
    if (confirmed) return;
    // macOS keeps the app (and its syncing) alive without a window: hide instead; the dock brings it back.
    if (process.platform === 'darwin') {
      event.preventDefault();
      window.hide();
    } else askThenQuit(event);
  });

  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    onClosing();
    const pending = host.unsyncedCount();
    host
      .close()
      .catch((error: unknown) => console.error('Error while closing the back-office host:', error))
      .finally(() => {
        closed = true;
        if (pending > 0)
          console.warn(`${pending} unsynced change(s) kept in the local store; they sync at the next start.`);
        app.exit(0);
      });
  });

  const quitNow = () => {
    confirmed = true;
    app.quit();
  };
  process.on('SIGINT', quitNow);
  process.on('SIGTERM', quitNow);
}

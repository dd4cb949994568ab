/**
 * The main window: secure preferences (security.ts), the remembered state (window-state.ts), and
 * focusing it when a second launch hands over (single-instance lock, main.ts).
 */
import { BrowserWindow, screen } from 'electron';
import { SECURE_WEB_PREFERENCES } from './security.js';
import { fitToDisplays, MIN_SIZE, readWindowState, writeWindowState, type WindowState } from './window-state.js';

/** Moves and resizes arrive in bursts: write once things settle. */
const SAVE_DELAY_MS = 500;

export interface MainWindowOptions {
  preload: string;
  stateFile: string;
  title: string;
  icon?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const state = fitToDisplays(readWindowState(options.stateFile), areas);
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : { center: true }),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: options.title,
    // Shown once painted: no white flash before the UI's first frame.
    show: false,
    backgroundColor: '#0f172a',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  rememberState(window, options.stateFile);
  return window;
}

function rememberState(window: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    // Normal bounds: what to restore to, even while maximized.
    const state: WindowState = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeWindowState(file, state);
    } catch (error) {
      console.error('Could not save the window state:', error);
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('close', save);
}

/** A second launch, a dock click: bring the window back to the front. */
export function focusWindow(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * The application menu. Shortcuts follow the UI's own (renderer/src/app/shortcuts.ts): Ctrl/⌘+1…8
 * open the screens in the nav's order, so the menu shows them and they work even while a text field
 * has focus. Screens open through the preload (a hash route), never by loading another page.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The nav's screens, in its order (renderer/src/app/routes.tsx NAV). */
export const SCREENS = [
  { label: 'Dashboard', path: '/dashboard' },
  { label: 'Products', path: '/products' },
  { label: 'Inventory', path: '/inventory' },
  { label: 'Orders', path: '/orders' },
  { label: 'Reviews', path: '/reviews' },
  { label: 'Conflicts', path: '/conflicts' },
  { label: 'Reports', path: '/reports' },
  { label: 'Settings', path: '/settings' },
] as const;

export interface MenuActions {
  navigate(path: string): void;
  focusSearch(): void;
  syncNow(): void;
  openDataFolder(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Developer tools only in a development run. */
  isPackaged: boolean;
  appName: string;
}

export function menuTemplate(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = context.platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: context.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { label: 'Settings…', accelerator: 'Cmd+,', click: () => actions.navigate('/settings') },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Sync Now', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.syncNow() },
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      ...(mac
        ? []
        : ([
            { type: 'separator' },
            { label: 'Settings', accelerator: 'Ctrl+,', click: () => actions.navigate('/settings') },
            { type: 'separator' },
            { role: 'quit', accelerator: 'Ctrl+Q' },
          ] satisfies MenuItemConstructorOptions[])),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Find', accelerator: 'CmdOrCtrl+F', click: () => actions.focusSearch() },
    ],
  };
  const go: MenuItemConstructorOptions = {
    label: '&Go',
    submenu: SCREENS.map((screen, index) => ({
      label: screen.label,
      accelerator: `CmdOrCtrl+${index + 1}`,
      click: () => actions.navigate(screen.path),
    })),
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(context.isPackaged ? [] : ([{ role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[])),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  // macOS has About in the app menu; elsewhere it goes under Help.
  const help: MenuItemConstructorOptions[] = mac
    ? []
    : [{ role: 'help', submenu: [{ role: 'about', label: `About ${context.appName}` }] }];
  return [...appMenu, file, edit, go, view, window, ...help];
}

export function installMenu(context: MenuContext, actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(context, actions)));
}

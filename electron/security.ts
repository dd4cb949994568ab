/**
 * The renderer is a browser (DESIGN.md style rule 2): whatever it loads, it can reach no further
 * than our own UI and the contract's functions. Applied to every web contents and to the session:
 * - navigation anywhere but app://nexus/ is denied (main frame and subframes, redirects too);
 * - new windows are denied; an http(s) link the UI opens in a new window goes to the OS browser,
 *   so staff can follow a link to the storefront without the app ever rendering a foreign page;
 * - <webview> cannot be attached; every permission request (camera, notifications, …) is refused,
 *   except writing to the clipboard from our own page ("copy order number").
 */
import { shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { isAppUrl, isExternalLink } from './app-url.js';

/** The window's web preferences, besides the preload path. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  experimentalFeatures: false,
  spellcheck: true,
} as const satisfies WebPreferences;

const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** What a window.open / target=_blank does: always deny; hand plain web links to the OS browser. */
export function windowOpenAction(url: string, openExternal: (url: string) => void): { action: 'deny' } {
  if (isExternalLink(url)) openExternal(url);
  return { action: 'deny' };
}

function openInBrowser(url: string): void {
  shell.openExternal(url).catch((error: unknown) => console.error('Could not open', url, error));
}

export function hardenContents(contents: WebContents): void {
  const denyForeign = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', denyForeign);
  contents.on('will-frame-navigate', (event) => denyForeign(event, event.url));
  contents.on('will-redirect', denyForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => windowOpenAction(url, openInBrowser));
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl ?? contents?.getURL())),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  // No USB, HID, serial or Bluetooth device is ever handed to the page.
  session.setDevicePermissionHandler(() => false);
}

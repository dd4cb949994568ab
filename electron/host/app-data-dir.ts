/**
 * Where the back-office keeps its store by default: each OS's per-user application data folder.
 * Shared by browser mode (scripts/backoffice.ts) and the desktop app (electron/main.ts), so both
 * open the same store on one machine.
 */
import path from 'node:path';

export const APP_DATA_NAME = 'nexus-backoffice';

export function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_DATA_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DATA_NAME);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share'), APP_DATA_NAME);
}

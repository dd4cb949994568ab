/**
 * The pure decisions of `npm start` (scripts/start.ts): its options, where the back-office keeps
 * its store, how the server's address is learnt, and which back-office to start.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface StartOptions {
  /** Browser mode even where Electron could run. */
  browser: boolean;
  /** Serve whatever dist/renderer holds (tests, or a UI being built elsewhere). */
  build: boolean;
  /** The back-office store: BACKOFFICE_DATA_DIR, else DATA_DIR/backoffice, so a demo is self-contained. */
  backofficeDataDir: string;
}

export const START_USAGE = 'usage: npm start -- [--browser] [--no-build]';

export function readStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): StartOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { browser: { type: 'boolean' }, 'no-build': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const dataDir = path.resolve(cwd, env.DATA_DIR || 'data');
  return {
    browser: values.browser === true || env.NEXUS_BACKOFFICE === 'browser',
    build: values['no-build'] !== true,
    backofficeDataDir: path.resolve(cwd, env.BACKOFFICE_DATA_DIR || path.join(dataDir, 'backoffice')),
  };
}

/** The server prints `  API   http://host:port/api/v1` once it listens: that line gives its address (PORT=0 too). */
export const SERVER_READY_LINE = /^\s*API\s+(https?:\/\/\S+?)\/api\/v1\s*$/;
/** Browser mode prints `Nexus back-office: open http://127.0.0.1:N/#secret=…`. */
export const BACKOFFICE_READY_LINE = /Nexus back-office: open (http:\/\/\S+)/;

export type BackofficeChoice = { mode: 'electron'; binary: string } | { mode: 'browser'; why: string | null };

/** Electron when it can run and was not declined; otherwise browser mode, with the reason to print. */
export function chooseBackoffice(
  options: Pick<StartOptions, 'browser'>,
  electron: { ok: true; binary: string } | { ok: false; reason: string },
): BackofficeChoice {
  if (options.browser) return { mode: 'browser', why: null };
  if (electron.ok) return { mode: 'electron', binary: electron.binary };
  return { mode: 'browser', why: `Electron cannot run here (${electron.reason}): using browser mode.` };
}

/**
 * The desktop app's command line and environment, read the same way as browser mode's
 * (scripts/backoffice.ts): `--data-dir DIR` / BACKOFFICE_DATA_DIR and `--server-url URL` / SERVER_URL,
 * flags winning, an empty variable counting as unset. No 'electron' import: unit-tested under node.
 *
 * Parsing is lenient about unknown options: Chromium and the OS add their own switches
 * (`--no-sandbox`, `--enable-logging`, macOS's `-psn_…`), which must not stop the app.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { appDataDir } from './host/app-data-dir.js';

export interface LaunchOptions {
  dataDir: string;
  /** Fills in the server address on a first start only: a saved one wins (as in browser mode). */
  serverUrl: string | undefined;
}

const schema = z.object({
  'data-dir': z.string().trim().min(1, 'must not be empty').optional(),
  'server-url': z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
});

/** `argv` without the executable (and, unpackaged, without the app path). Answers the problems when invalid. */
export function readLaunchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): LaunchOptions | { errors: string[] } {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, 'server-url': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const parsed = schema.safeParse({
    'data-dir': flagOrEnv(values['data-dir'], env.BACKOFFICE_DATA_DIR),
    'server-url': flagOrEnv(values['server-url'], env.SERVER_URL),
  });
  if (!parsed.success)
    return { errors: parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`) };
  const dataDir = parsed.data['data-dir'] ?? appDataDir(env, platform, home);
  return { dataDir: path.resolve(dataDir), serverUrl: parsed.data['server-url'] };
}

/** A bare `--data-dir` (no value) parses as `true` under strict: false: treat it as empty, hence invalid. */
function flagOrEnv(flag: string | boolean | undefined, envValue: string | undefined): string | undefined {
  if (typeof flag === 'boolean') return flag ? '' : undefined;
  return flag ?? (envValue || undefined);
}

/**
 * npm run desktop [-- --data-dir DIR] [--server-url URL] [--no-download] [--rebuild-native]
 * The back-office in Electron, where its binary exists (downloaded on first use, as the electron
 * package does). Where it cannot run, one line says why and points to `npm run backoffice`, and
 * the exit code is 1. Builds the UI when missing or stale, and the main process + preload always.
 *
 * --rebuild-native compiles better-sqlite3 for Electron (electron-builder install-app-deps); plain
 * node (npm test, npm run backoffice) then needs `npm rebuild better-sqlite3` again.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exited } from './lib/children.js';
import { buildForElectron, electronAvailability, spawnElectron } from './lib/desktop-launch.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE =
  'usage: npm run desktop -- [--data-dir DIR] [--server-url http(s)://host] [--no-download] [--rebuild-native]';
const EX_USAGE = 64;

function rebuildNative(): boolean {
  console.log('Rebuilding better-sqlite3 for Electron (electron-builder install-app-deps)…');
  const bin = path.join(
    ROOT,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder',
  );
  const result = spawnSync(bin, ['install-app-deps'], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        'data-dir': { type: 'string' },
        'server-url': { type: 'string' },
        'no-download': { type: 'boolean' },
        'rebuild-native': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EX_USAGE;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values['rebuild-native'] && !rebuildNative()) return 1;
  const electron = electronAvailability(ROOT, !values['no-download'], console.log);
  if (!electron.ok) {
    console.error(
      `Cannot start the desktop app: ${electron.reason}. Use \`npm run backoffice\` (the same back-office in a browser) instead.`,
    );
    return 1;
  }
  const main = await buildForElectron(ROOT, console.log);
  const passed = [
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values['server-url'] ? ['--server-url', values['server-url']] : []),
  ];
  const child = spawnElectron(electron.binary, main, passed);
  // The app asks about unsynced changes in its window; a terminal Ctrl+C just asks it to quit.
  const forward = () => child.kill('SIGINT');
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return exited(child);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

/**
 * npm run backoffice [-- --port N] [--data-dir DIR] [--server-url URL]
 * The back-office in browser mode: the host (local store + sync engine) serves the UI on
 * 127.0.0.1 and prints the one URL to open; that URL carries this launch's secret.
 * Environment fallbacks (DESIGN.md "Running"): BACKOFFICE_PORT, BACKOFFICE_DATA_DIR, SERVER_URL.
 *
 * Quitting with unsynced changes cannot ask, as the desktop app does (no window to ask in): the
 * changes stay in the store and sync at the next start, and the count is printed as a warning.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { appDataDir } from '../electron/host/app-data-dir.js';
import { createBackofficeHost, type BackofficeHost } from '../electron/host/host.js';
import { startWebHost, type WebHost } from '../electron/host/web.js';

const USAGE = 'usage: npm run backoffice -- [--port 0-65535] [--data-dir DIR] [--server-url http(s)://host]';
/** The exit code for bad command-line usage (sysexits EX_USAGE). */
const EX_USAGE = 64;

const optionsSchema = z.object({
  // 0 (the default) lets the OS choose: the URL changes at every launch anyway, with its secret.
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().max(65_535))
    .optional(),
  'data-dir': z.string().trim().min(1).optional(),
  'server-url': z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
});

interface Options {
  port: number;
  dataDir: string;
  serverUrl: string | undefined;
}

/** Flags win over the environment; an empty variable counts as unset. Answers the problems when invalid. */
function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options | 'help' | string[] {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'server-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return [(error as Error).message];
  }
  if (values.help) return 'help';
  const parsed = optionsSchema.safeParse({
    port: values.port ?? (env.BACKOFFICE_PORT || undefined),
    'data-dir': values['data-dir'] ?? (env.BACKOFFICE_DATA_DIR || undefined),
    'server-url': values['server-url'] ?? (env.SERVER_URL || undefined),
  });
  if (!parsed.success) return parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
  const dataDir = parsed.data['data-dir'] ?? appDataDir(env, process.platform, homedir());
  return { port: parsed.data.port ?? 0, dataDir: path.resolve(dataDir), serverUrl: parsed.data['server-url'] };
}

/** The saved server URL wins: --server-url only fills it in on a first start. */
async function start(options: Options): Promise<{ host: BackofficeHost; web: WebHost }> {
  const host = createBackofficeHost({ dataDir: options.dataDir });
  try {
    if (options.serverUrl && !host.engine.serverUrl())
      await host.call('settings:setServerUrl', { url: options.serverUrl });
    const web = await startWebHost({ host, port: options.port });
    return { host, web };
  } catch (error) {
    await host.close();
    throw error;
  }
}

/** Stops serving, lets a running sync pass finish, then says what is still waiting to sync. */
async function stop({ host, web }: { host: BackofficeHost; web: WebHost }, dataDir: string): Promise<void> {
  await web.close();
  await host.engine.stop();
  const pending = host.unsyncedCount();
  await host.close();
  if (pending > 0)
    console.warn(
      `Warning: ${pending} unsynced change${pending === 1 ? '' : 's'} kept in ${dataDir}; ` +
        'they will sync the next time the back-office runs while online.',
    );
}

function stopOnSignals(running: { host: BackofficeHost; web: WebHost }, dataDir: string): void {
  let stopping = false;
  const onSignal = () => {
    // A second Ctrl+C while a sync pass is finishing means "now".
    if (stopping) process.exit(130);
    stopping = true;
    stop(running, dataDir).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function main(): Promise<number | undefined> {
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: the environment alone configures the back-office.
  }
  const options = readOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (Array.isArray(options)) {
    for (const problem of options) console.error(problem);
    console.error(USAGE);
    return EX_USAGE;
  }
  const running = await start(options);
  stopOnSignals(running, options.dataDir);
  if (running.host.recovered)
    console.warn(
      `Warning: the local store was damaged and has been replaced; the old file is kept at ` +
        `${running.host.recovered.backupPath}. Sign in to download everything again.`,
    );
  console.log(`Nexus back-office: open ${running.web.url}`);
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.js';
import { openDatabase, type Database } from '../../server/db/client.js';

/** Reads `.env` when there is one: the CLIs see the same configuration as the server. */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: configuration comes from the environment alone.
  }
}

/** Opens the configured database (PGlite in DATA_DIR or DATABASE_URL), migrates it, runs `work`, closes it. */
export async function withConfiguredDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: path.join(config.dataDir, 'pglite') });
  try {
    await database.migrate();
    return await work(database);
  } finally {
    await database.close();
  }
}

/** Runs a CLI's main and exits with its code; a configuration error prints its message, not a stack. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    },
  );
}

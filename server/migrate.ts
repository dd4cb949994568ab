/**
 * `npm run db:migrate` (in the image: `node dist/server/migrate.js`): applies pending migrations
 * and exits. A deploy runs it once before rolling out new instances; the server also migrates on
 * start, under a Postgres advisory lock, so instances that start together wait for one another.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';

try {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolMax: 1,
  });
  try {
    await database.migrate();
    console.log(`Migrations applied on ${database.location}`);
  } finally {
    await database.close();
  }
} catch (err) {
  if (err instanceof ConfigError) console.error(`Nexus cannot migrate.\n${err.message}`);
  else console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof ConfigError ? 78 : 1);
}

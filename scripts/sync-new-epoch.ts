/**
 * npm run sync:new-epoch
 * Gives the database a new sync epoch: run it after restoring a backup. Every back-office then
 * re-downloads its replica (keeping its pending changes) instead of trusting positions from a
 * history the database no longer has. On PGlite, stop the server first.
 */
import { rotateEpoch } from '../server/modules/sync/epoch.js';
import { loadDotEnv, runCli, withConfiguredDatabase } from './lib/cli.js';

async function main(): Promise<number> {
  loadDotEnv();
  return withConfiguredDatabase(async (database) => {
    const epoch = await rotateEpoch(database.db);
    console.log(`New sync epoch ${epoch} (${database.location}): devices will re-download on their next pull.`);
    return 0;
  });
}

runCli(main);

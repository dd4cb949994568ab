/**
 * npm run seed -- --products N [--seed S]
 * Adds a realistic demo catalog (categories, products with options and variants, prices, stock)
 * to the configured database (PGlite in DATA_DIR, or DATABASE_URL). On PGlite stop the server first.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';
import { seedCatalog } from '../server/modules/catalog/demo/generator.js';

async function main(): Promise<number> {
  try {
    process.loadEnvFile();
  } catch {
    // no .env
  }
  const { values } = parseArgs({
    options: { products: { type: 'string', default: '200' }, seed: { type: 'string', default: '42' } },
    strict: true,
  });
  const count = Number(values.products);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000 || !Number.isInteger(seed)) {
    console.error('usage: npm run seed -- --products N (1..1000000) [--seed S]');
    return 64;
  }
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: path.join(config.dataDir, 'pglite') });
  try {
    await database.migrate();
    const started = performance.now();
    let lastPrint = 0;
    const result = await seedCatalog(database.db, {
      products: count,
      seed,
      onProgress: (done, total) => {
        if (done === total || performance.now() - lastPrint > 2000) {
          lastPrint = performance.now();
          process.stdout.write(`  ${done}/${total} products\r`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\nSeeded ${result.products} products, ${result.variants} variants in ${result.categories} categories ` +
        `in ${seconds.toFixed(1)} s (${Math.round(result.products / seconds)} products/s) on ${database.location}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);

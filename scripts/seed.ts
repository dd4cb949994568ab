/**
 * npm run seed -- --products N [--seed S]
 * Adds a realistic demo catalog (categories, products with options and variants, prices, stock)
 * to the configured database (PGlite in DATA_DIR, or DATABASE_URL). On PGlite stop the server first.
 */
import { parseArgs } from 'node:util';
import { seedCatalog } from '../server/modules/catalog/demo/generator.js';
import { loadDotEnv, runCli, withConfiguredDatabase } from './lib/cli.js';

async function main(): Promise<number> {
  loadDotEnv();
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
  return withConfiguredDatabase(async (database) => {
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
  });
}

runCli(main);

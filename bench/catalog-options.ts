/** Options shared by bench:catalog and bench:storefront: both seed a catalog and load it over HTTP. */
import { z } from 'zod';
import { parseBenchArgs } from './lib/options.js';

const schema = z.strictObject({
  products: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
  seconds: z.coerce.number().min(1).max(600).default(10),
  connections: z.coerce.number().int().min(1).max(1000).default(50),
  db: z.enum(['both', 'pglite', 'postgres']).default('both'),
  /** A Postgres database seeded earlier (`npm run seed`), measured as it is. */
  existing: z.url().optional(),
  /** Unmeasured load before each measurement: buffers, JIT and caches warm up. */
  warmup: z.coerce.number().min(0).max(60).default(3),
});
export type CatalogBenchOptions = z.output<typeof schema>;

export function parseCatalogBenchArgs(argv: string[], usage: string): CatalogBenchOptions {
  return parseBenchArgs(argv, {
    schema,
    flags: {
      products: 'products',
      seconds: 'seconds',
      connections: 'connections',
      db: 'db',
      existing: 'existing',
      warmup: 'warmup',
    },
    switches: [],
    // Small enough that bench:catalog and bench:storefront on both databases fit `npm run bench -- --quick`.
    preset: { name: 'quick', values: { products: '500', seconds: '1', warmup: '0.25' } },
    usage,
  });
}

/** The databases a run measures, in order. */
export const benchDatabases = (db: CatalogBenchOptions['db']): ('pglite' | 'postgres')[] =>
  db === 'both' ? ['pglite', 'postgres'] : [db];

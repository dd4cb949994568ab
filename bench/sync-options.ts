/**
 * Command-line options of `npm run bench:sync`, checked with zod so a typo fails before minutes of
 * seeding rather than after. `--smoke` is the quick preset (a small catalog, fewer edits and
 * mutations, well under a minute); any option given explicitly wins over it.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AppError } from '../shared/domain/errors.js';
import { MAX_PULL_LIMIT } from '../shared/sync/protocol.js';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const syncBenchOptions = z.strictObject({
  products: count(1, 2_000_000).default(100_000),
  variantsPer: count(1, 50).default(3),
  orders: count(0, 2_000_000).default(50_000),
  /** Absent: Postgres when it answers, else PGlite (decided by the caller, which can probe). */
  db: z.enum(['pglite', 'postgres']).optional(),
  /** Rows per pull page and snapshot batch; absent: the engine's own choice (bigger during a first download). */
  page: count(1, MAX_PULL_LIMIT).optional(),
  /** Download in pull pages only, as from a server without the snapshot stream (for comparison). */
  paged: z.boolean().default(false),
  edits: count(1, 1000).default(30),
  /** Pause between two edits, so each starts from a quiet system (edits by people are far apart). */
  editGapMs: count(0, 10_000).default(200),
  mutations: count(1, 200_000).default(10_000),
  /**
   * The server's JSON_BODY_LIMIT. Its default (100kb) refuses a full push batch (MAX_PUSH_BATCH = 500
   * stock.adjust are ~105 kB), which wedges the outbox; the bench raises it and says so.
   */
  jsonBodyLimit: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 1mb' })
    .default('1mb'),
  /**
   * Products (and orders) per seeding transaction, which decides how pull pages mix tables
   * (sync-seed.ts): 100 is like a catalog made by the services, a huge value like one bulk import.
   */
  seedChunk: count(1, 2_000_000).default(100),
  keep: z.boolean().default(false),
  /** Keep the Postgres database a previous run seeded with the same sizes (skips minutes of seeding). */
  reuse: z.boolean().default(false),
});
export type SyncBenchOptions = z.infer<typeof syncBenchOptions>;

export const SMOKE: Readonly<Record<string, string>> = {
  products: '2000',
  orders: '500',
  edits: '10',
  mutations: '1000',
};

const FLAGS = {
  products: 'products',
  'variants-per': 'variantsPer',
  orders: 'orders',
  db: 'db',
  page: 'page',
  edits: 'edits',
  'edit-gap-ms': 'editGapMs',
  mutations: 'mutations',
  'json-body-limit': 'jsonBodyLimit',
  'seed-chunk': 'seedChunk',
} as const;

export const USAGE =
  'usage: npm run bench:sync -- [--smoke] [--products N] [--variants-per N] [--orders N] [--db pglite|postgres] ' +
  '[--page N] [--paged] [--edits N] [--edit-gap-ms N] [--mutations N] [--json-body-limit 1mb] [--seed-chunk N] [--keep] [--reuse]';

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export function parseSyncOptions(argv: string[]): SyncBenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        smoke: { type: 'boolean' },
        keep: { type: 'boolean' },
        paged: { type: 'boolean' },
        reuse: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new AppError('validation_failed', `${(error as Error).message}\n${USAGE}`, {
      errors: [{ path: 'argv', message: (error as Error).message }],
    });
  }
  const input: Record<string, unknown> = values.smoke ? { ...SMOKE } : {};
  for (const [flag, key] of Object.entries(FLAGS)) if (values[flag] !== undefined) input[key] = values[flag];
  if (values.keep !== undefined) input.keep = values.keep;
  if (values.paged !== undefined) input.paged = values.paged;
  if (values.reuse !== undefined) input.reuse = values.reuse;
  const parsed = syncBenchOptions.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: `--${flagOf(String(i.path[0]))}`, message: i.message }));
    throw new AppError('validation_failed', `${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}\n${USAGE}`, {
      errors,
    });
  }
  return parsed.data;
}

function flagOf(key: string): string {
  return Object.entries(FLAGS).find(([, k]) => k === key)?.[0] ?? key;
}

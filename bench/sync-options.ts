/**
 * Command-line options of `npm run bench:sync` (parsed by lib/options.ts). `--smoke` (or `--quick`,
 * as `npm run bench -- --quick` says it) is the quick preset (a small catalog, fewer edits and
 * mutations, well under a minute); any option given explicitly wins over it.
 */
import { z } from 'zod';
import { MAX_PULL_LIMIT } from '../shared/sync/protocol.js';
import { parseBenchArgs } from './lib/options.js';

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
  'usage: npm run bench:sync -- [--smoke|--quick] [--products N] [--variants-per N] [--orders N] [--db pglite|postgres] ' +
  '[--page N] [--paged] [--edits N] [--edit-gap-ms N] [--mutations N] [--json-body-limit 1mb] [--seed-chunk N] [--keep] [--reuse]';

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export const parseSyncOptions = (argv: string[]): SyncBenchOptions =>
  parseBenchArgs(argv, {
    schema: syncBenchOptions,
    flags: FLAGS,
    switches: ['keep', 'paged', 'reuse'],
    preset: { name: 'smoke', aliases: ['quick'], values: SMOKE },
    usage: USAGE,
  });

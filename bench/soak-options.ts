/**
 * Options of `npm run bench:soak` (parsed by lib/options.ts) and the timings a run derives from
 * them. `--quick` is the suite's preset: about one minute of load.
 */
import { z } from 'zod';
import { parseBenchArgs } from './lib/options.js';

const schema = z.strictObject({
  /** Minutes of load (fractions allowed, for a smoke run by hand). */
  minutes: z.coerce
    .number()
    .min(0.5)
    .max(24 * 60)
    .default(10),
  db: z.enum(['postgres', 'pglite']).default('postgres'),
  /** Shopper visits started per second (browse, cart or checkout; each is several requests). */
  rate: z.coerce.number().min(0.1).max(1000).default(10),
  /** Visits in flight at most: when all are busy, later visits start late rather than pile up. */
  connections: z.coerce.number().int().min(1).max(500).default(20),
  /** Catalog size: enough distinct pages that the response cache keeps turning over. */
  products: z.coerce.number().int().min(100).max(200_000).default(2000),
});
export type SoakOptions = z.output<typeof schema>;

export const USAGE =
  'usage: npm run bench:soak -- [--quick] [--minutes 10] [--db postgres|pglite] [--rate 10] [--connections 20] [--products 2000]';

/** Half a minute: the suite's --quick run of every benchmark must stay under three minutes. */
export const QUICK: Readonly<Record<string, string>> = { minutes: '0.5' };

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export const parseSoakOptions = (argv: string[]): SoakOptions =>
  parseBenchArgs(argv, {
    schema,
    flags: { minutes: 'minutes', db: 'db', rate: 'rate', connections: 'connections', products: 'products' },
    switches: [],
    preset: { name: 'quick', values: QUICK },
    usage: USAGE,
  });

export interface SoakPlan {
  seconds: number;
  /**
   * Memory before this is left out of the trend: JIT, pools, first-time module state and the
   * device's first download settle there. A fifth of the run, and never more than a minute.
   */
  warmupSeconds: number;
  /** Memory samples: each forces a full GC in the server, so not too often (it pauses requests). */
  sampleSeconds: number;
  /** Rows of the over-time table: a minute for long runs, about ten rows for short ones. */
  bucketSeconds: number;
}

export function soakPlan(options: Pick<SoakOptions, 'minutes'>): SoakPlan {
  const seconds = Math.round(options.minutes * 60);
  return {
    seconds,
    warmupSeconds: Math.min(60, Math.round(seconds / 5)),
    sampleSeconds: Math.min(5, Math.max(2, Math.round(seconds / 60))),
    bucketSeconds: seconds >= 300 ? 60 : Math.max(10, Math.round(seconds / 100) * 10),
  };
}

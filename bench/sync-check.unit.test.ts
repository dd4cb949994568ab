import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/domain/errors.js';
import {
  checkStock,
  describeStockCheck,
  type ServerStockRow,
  type StockExpectation,
  summarizeLatency,
} from './sync-check.js';
import { seededRandom } from './sync-host.js';
import { parseSyncOptions, SMOKE } from './sync-options.js';

const A = 'a0000000-0000-7000-8000-000000000001';
const B = 'b0000000-0000-7000-8000-000000000002';

const expected = () =>
  new Map<string, StockExpectation>([
    [A, { initialOnHand: 10, delta: -4, mutations: 3 }],
    [B, { initialOnHand: 0, delta: 7, mutations: 1 }],
  ]);
const row = (variantId: string, over: Partial<ServerStockRow> = {}): ServerStockRow => {
  const want = expected().get(variantId)!;
  const onHand = want.initialOnHand + want.delta;
  return { variantId, onHand, syncDelta: want.delta, syncMovements: want.mutations, ledger: onHand, ...over };
};

describe('checkStock', () => {
  it('is ok when every level moved by exactly its deltas, once per mutation', () => {
    const check = checkStock(expected(), [row(A), row(B)]);
    expect(check).toEqual({ ok: true, expectedDelta: 3, serverDelta: 3, problems: [] });
    expect(describeStockCheck(check)).toBe('ok (moved 3 = sum of deltas)');
  });

  it('flags a mutation applied twice even when the level looks right', () => {
    const check = checkStock(expected(), [row(A, { syncMovements: 4 }), row(B)]);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([`${A}: 4 movements for 3 mutations`]);
  });

  it('flags a lost mutation: a variant the server never moved, and the total', () => {
    const check = checkStock(expected(), [row(A)]);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(['total moved -4, expected 3', `${B}: 1 mutations queued, none applied`]);
  });

  it('flags a wrong level, a wrong delta, a level apart from its ledger, and an unexpected variant', () => {
    const stranger = 'c0000000-0000-7000-8000-000000000003';
    const check = checkStock(expected(), [
      row(A, { onHand: 5, ledger: 5 }),
      row(B, { syncDelta: 6, ledger: 8 }),
      { variantId: stranger, onHand: 2, syncDelta: 2, syncMovements: 1, ledger: 2 },
    ]);
    expect(check.problems).toEqual([
      'total moved 4, expected 3',
      `${A}: level 5, expected 10 + -4`,
      `${B}: moved by 6, expected 7`,
      `${B}: level 7 but ledger sums to 8`,
      `${stranger}: moved by 2 but the host queued nothing for it`,
    ]);
    expect(describeStockCheck(check)).toBe(`MISMATCH: ${check.problems.join('; ')}`);
  });

  it('lists at most five problems and counts the rest', () => {
    const many = new Map<string, StockExpectation>(
      Array.from({ length: 8 }, (_, i) => [`v${i}`, { initialOnHand: 0, delta: 1, mutations: 1 }]),
    );
    const text = describeStockCheck(checkStock(many, []));
    expect(text.startsWith('MISMATCH: total moved 0, expected 8; v0: 1 mutations queued')).toBe(true);
    expect(text.endsWith('… 4 more')).toBe(true);
  });
});

describe('summarizeLatency', () => {
  it('answers p50, p95 and max of unsorted samples', () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i + 0.04);
    expect(summarizeLatency(samples)).toEqual({ samples: 20, p50: 10, p95: 19, max: 20 });
  });

  it('answers NaN figures for no samples (every edit timed out) instead of zeros', () => {
    const s = summarizeLatency([]);
    expect(s.samples).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.max).toBeNaN();
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });
});

describe('parseSyncOptions', () => {
  it('answers the issue defaults without arguments', () => {
    expect(parseSyncOptions([])).toEqual({
      products: 100_000,
      variantsPer: 3,
      orders: 50_000,
      paged: false,
      edits: 30,
      editGapMs: 200,
      mutations: 10_000,
      jsonBodyLimit: '1mb',
      seedChunk: 100,
      keep: false,
      reuse: false,
    });
  });

  it('takes --quick (what npm run bench passes) as the smoke preset', () => {
    expect(parseSyncOptions(['--quick'])).toEqual(parseSyncOptions(['--smoke']));
    expect(parseSyncOptions(['--quick']).products).toBe(Number(SMOKE.products));
  });

  it('takes a page size and the paged comparison mode', () => {
    expect(parseSyncOptions(['--page', '500', '--paged'])).toMatchObject({ page: 500, paged: true });
  });

  it('applies the smoke preset, and explicit options win over it', () => {
    const smoke = parseSyncOptions(['--smoke']);
    expect(smoke).toMatchObject({ products: Number(SMOKE.products), orders: Number(SMOKE.orders), mutations: 1000 });
    expect(parseSyncOptions(['--smoke', '--products', '300', '--db', 'pglite'])).toMatchObject({
      products: 300,
      orders: 500,
      db: 'pglite',
    });
  });

  it.each([
    [['--products', '0'], '--products'],
    [['--products', 'many'], '--products'],
    [['--variants-per', '2.5'], '--variants-per'],
    [['--page', '5001'], '--page'],
    [['--db', 'mysql'], '--db'],
    [['--json-body-limit', 'huge'], '--json-body-limit'],
  ])('refuses %j naming the flag', (argv, flag) => {
    let error: unknown;
    try {
      parseSyncOptions(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    expect((error as AppError).errors?.[0]?.path).toBe(flag);
  });

  it('refuses an unknown flag and a missing value', () => {
    expect(() => parseSyncOptions(['--product', '10'])).toThrow(/Unknown option '--product'/);
    expect(() => parseSyncOptions(['--orders'])).toThrow(/argument missing/);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/domain/errors.js';
import { keystrokes, NOUNS, productName, productWords, searchQueries, skuOf } from './backoffice-catalog.js';
import { figureRow, figures, parseBackofficeOptions, QUICK, verdict } from './backoffice-report.js';

describe('parseBackofficeOptions', () => {
  it('defaults to 100k products, 10 loads and 24 queries', () => {
    expect(parseBackofficeOptions([])).toEqual({
      products: 100_000,
      runs: 10,
      queries: 24,
      hostSamples: 20,
      rebuild: false,
    });
  });

  it('--quick is 10k products with fewer repetitions; an explicit option wins over it', () => {
    const quick = parseBackofficeOptions(['--quick']);
    expect(quick).toMatchObject({ products: Number(QUICK.products), runs: Number(QUICK.runs) });
    expect(quick.products).toBe(10_000);
    expect(parseBackofficeOptions(['--quick', '--products', '2000', '--runs', '7'])).toMatchObject({
      products: 2000,
      runs: 7,
      queries: Number(QUICK.queries),
    });
  });

  it('names the flag that is wrong, and refuses unknown flags', () => {
    const bad = (argv: string[]) => {
      try {
        parseBackofficeOptions(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).message;
      }
      throw new Error('expected a validation error');
    };
    expect(bad(['--products', 'many'])).toMatch(/^--products: /);
    expect(bad(['--host-samples', '0'])).toMatch(/^--host-samples: /);
    expect(bad(['--fast'])).toMatch(/--fast/);
  });
});

describe('keystrokes', () => {
  it('times every key that changes the trimmed query, not a space between words', () => {
    expect(keystrokes('ab c')).toEqual([
      { key: 'a', query: 'a', timed: true },
      { key: 'b', query: 'ab', timed: true },
      { key: ' ', query: 'ab', timed: false },
      { key: 'c', query: 'ab c', timed: true },
    ]);
  });
});

describe('searchQueries', () => {
  it('mixes nouns, colours, brands, names and SKUs of products the catalog has', () => {
    const products = 5000;
    const queries = searchQueries(products, 24);
    expect(queries).toHaveLength(24);
    expect(new Set(queries).size).toBeGreaterThan(18);
    const names = Array.from({ length: products }, (_, i) => productName(i + 1).toLowerCase());
    const skus = new Set(Array.from({ length: products }, (_, i) => [0, 1, 2].map((k) => skuOf(i + 1, k))).flat());
    const brands = new Set(Array.from({ length: products }, (_, i) => productWords(i + 1).brand));
    for (const q of queries) {
      const found = skus.has(q) || names.some((name) => q.split(' ').every((word) => name.split(' ').includes(word)));
      expect(found, q).toBe(true);
    }
    expect(queries.some((q) => skus.has(q))).toBe(true);
    expect(queries.some((q) => brands.has(q))).toBe(true);
    expect(queries.some((q) => NOUNS.includes(q))).toBe(true);
  });
});

describe('figures and verdicts', () => {
  it('takes nearest-rank percentiles and the maximum', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(figures(samples)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(figures([12.345])).toEqual({ n: 1, p50: 12.3, p95: 12.3, p99: 12.3, max: 12.3 });
  });

  it('judges a target on p95: PASS below it, MISS at or above, nothing without a target', () => {
    const f = figures(Array.from({ length: 20 }, (_, i) => i * 5));
    expect(f.p95).toBe(90);
    expect(verdict(f, 91)).toBe('PASS');
    expect(verdict(f, 90)).toBe('MISS');
    expect(verdict(figures([]), 50)).toBe('NO DATA');
    expect(figureRow('x', f)).toMatchObject({ figure: 'x', p95_ms: 90, target: '', result: '' });
    expect(figureRow('x', f, 50)).toMatchObject({ target: 'p95 < 50 ms', result: 'MISS' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  centsToDecimal,
  columnsFor,
  decimalToCents,
  guardFormula,
  joinList,
  minorDigits,
  parseInteger,
  splitList,
} from './csv-format.js';

describe('money cells', () => {
  it('knows each currency’s minor digits', () => {
    expect([minorDigits('USD'), minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 2, 0, 3]);
  });

  it('formats minor units as exact major-unit decimals', () => {
    expect(centsToDecimal(1999, 'USD')).toBe('19.99');
    expect(centsToDecimal(1, 'USD')).toBe('0.01');
    expect(centsToDecimal(0, 'USD')).toBe('0.00');
    expect(centsToDecimal(100_000_000, 'USD')).toBe('1000000.00');
    expect(centsToDecimal(123_456_789, 'USD')).toBe('1234567.89');
    expect(centsToDecimal(-5, 'EUR')).toBe('-0.05');
    expect(centsToDecimal(1_234_567, 'JPY')).toBe('1234567');
    expect(centsToDecimal(1_234_567, 'KWD')).toBe('1234.567');
    expect(centsToDecimal(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
    expect(() => centsToDecimal(1.5, 'USD')).toThrow(RangeError);
  });

  it('parses decimals to minor units without floats', () => {
    const ok = (text: string, currency = 'USD') => {
      const r = decimalToCents(text, currency);
      if (!r.ok) throw new Error(`${text}: ${r.message}`);
      return r.value;
    };
    expect(ok('19.99')).toBe(1999);
    expect(ok('0.01')).toBe(1);
    // 0.29 * 100 is 28.999999999999996 in floating point: the string path must not care.
    expect(ok('0.29')).toBe(29);
    expect(ok('1.005', 'KWD')).toBe(1005);
    expect(ok('1234567.89')).toBe(123_456_789);
    expect(ok('19.9')).toBe(1990);
    expect(ok('19')).toBe(1900);
    expect(ok('19.')).toBe(1900);
    expect(ok('.5')).toBe(50);
    expect(ok(' 7.00 ')).toBe(700);
    expect(ok('007.10')).toBe(710);
    expect(ok('-0.50')).toBe(-50);
    expect(ok('-0.00')).toBe(0);
    expect(ok('1234567', 'JPY')).toBe(1_234_567);
    for (const cents of [0, 1, 9, 10, 99, 100, 1999, 123_456_789, 100_000_000]) {
      expect(ok(centsToDecimal(cents, 'USD'))).toBe(cents);
      expect(ok(centsToDecimal(cents, 'KWD'), 'KWD')).toBe(cents);
    }
  });

  it('refuses ambiguous or over-precise numbers with a hint', () => {
    for (const bad of ['12,5', '1,000.00', '1e3', '', ' ', 'abc', '$5', '5 USD', '1.2.3', '--1', '+1', 'NaN']) {
      const r = decimalToCents(bad, 'USD');
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/must be a number like 12\.50/);
    }
    const tooPrecise = decimalToCents('19.999', 'USD');
    expect(tooPrecise).toEqual({ ok: false, message: 'has more than 2 decimal places (USD)' });
    expect(decimalToCents('5.5', 'JPY')).toEqual({ ok: false, message: 'has more than 0 decimal places (JPY)' });
    expect(decimalToCents('9999999999999999', 'USD')).toEqual({ ok: false, message: 'is too large' });
  });
});

describe('other cells', () => {
  it('parses whole numbers only', () => {
    expect(parseInteger(' 42 ', 0, 100)).toEqual({ ok: true, value: 42 });
    expect(parseInteger('-3', -10, 10)).toEqual({ ok: true, value: -3 });
    expect(parseInteger('12.0', 0, 100).ok).toBe(false);
    expect(parseInteger('12,5', 0, 100).ok).toBe(false);
    expect(parseInteger('1e3', 0, 10_000).ok).toBe(false);
    expect(parseInteger('101', 0, 100)).toEqual({ ok: false, message: 'must be at most 100' });
    expect(parseInteger('-1', 0, 100)).toEqual({ ok: false, message: 'must be at least 0' });
  });

  it('joins and splits lists so that any item survives, pipes and backslashes included', () => {
    const items = ['plain', 'a|b', 'back\\slash', 'both\\|', 'ünï 🎉 中文 עברית', '\\'];
    expect(joinList(items)).toBe('plain|a\\|b|back\\\\slash|both\\\\\\||ünï 🎉 中文 עברית|\\\\');
    expect(splitList(joinList(items))).toEqual(items);
    expect(splitList('')).toEqual([]);
    expect(splitList(' a | b ||c|')).toEqual(['a', 'b', 'c']);
    // A backslash before anything else is kept as typed (a hand-written path, say).
    expect(splitList('C:\\temp|x')).toEqual(['C:\\temp', 'x']);
  });

  it('guards formula-looking cells only', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'].map(guardFormula)).toEqual([
      "'=1+1",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
    ]);
    expect(['plain', 'a=b', '', "'quoted"].map(guardFormula)).toEqual(['plain', 'a=b', '', "'quoted"]);
  });

  it('has a stable header with three option pairs at least and five at most', () => {
    const base = columnsFor(0);
    expect(base).toEqual(columnsFor(3));
    expect(base).toEqual([
      'product_id',
      'handle',
      'name',
      'description',
      'status',
      'categories',
      'tags',
      'option1_name',
      'option1_value',
      'option2_name',
      'option2_value',
      'option3_name',
      'option3_value',
      'variant_id',
      'sku',
      'price',
      'compare_at_price',
      'cost',
      'currency',
      'barcode',
      'weight_grams',
      'low_stock_threshold',
      'stock',
    ]);
    const four = columnsFor(4);
    expect(four.slice(11, 15)).toEqual(['option3_name', 'option3_value', 'option4_name', 'option4_value']);
    expect(columnsFor(9)).toEqual(columnsFor(5));
  });
});

import { describe, expect, it } from 'vitest';
import {
  effectiveSort,
  MAX_WORD_LENGTH,
  MAX_WORDS,
  pageOffset,
  prefixTsQuery,
  searchWords,
  trigramText,
  typoTolerant,
  plainWord,
  wordTsQuery,
} from './search-query.js';

describe('searchWords', () => {
  it('splits on anything that is not a letter, digit or mark, and lower-cases', () => {
    expect(searchWords('Coffee  Beans')).toEqual(['coffee', 'beans']);
    expect(searchWords('TSH-RED-M')).toEqual(['tsh', 'red', 'm']);
    expect(searchWords("O'Brien's mug")).toEqual(['o', 'brien', 's', 'mug']);
    expect(searchWords('ab123 4.5')).toEqual(['ab123', '4', '5']);
  });

  it('turns every operator and quoting character into a separator', () => {
    expect(searchWords("'; DROP TABLE products;--")).toEqual(['drop', 'table', 'products']);
    expect(searchWords('a & b | !c')).toEqual(['a', 'b', 'c']);
    expect(searchWords('roast:* <-> (beans)')).toEqual(['roast', 'beans']);
    for (const junk of ['(((', '\\', '.*+?', ':*', "''", '!!', '%_', '👍', '   ', '']) {
      expect(searchWords(junk), junk).toEqual([]);
    }
  });

  it('keeps accented and non-Latin words whole, whatever their Unicode form', () => {
    expect(searchWords('Café CRÈME')).toEqual(['café', 'crème']);
    expect(searchWords('Cafe\u0301')).toEqual(['café']);
    expect(searchWords('日本 のお茶')).toEqual(['日本', 'のお茶']);
    expect(searchWords('Straße')).toEqual(['straße']);
  });

  it('drops repeats and caps the number and length of words', () => {
    expect(searchWords('mug MUG Mug cup')).toEqual(['mug', 'cup']);
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(searchWords(many)).toHaveLength(MAX_WORDS);
    expect(searchWords('x'.repeat(500))[0]).toHaveLength(MAX_WORD_LENGTH);
  });
});

describe('prefixTsQuery and trigramText', () => {
  it('makes every word a prefix, joined by AND (or OR for ranking)', () => {
    expect(prefixTsQuery(['cof', 'bea'])).toBe('cof:* & bea:*');
    expect(prefixTsQuery(['cof', 'bea'], '|')).toBe('cof:* | bea:*');
    expect(prefixTsQuery([])).toBe('');
    expect(prefixTsQuery(searchWords("it's (a) & !test:*"))).toBe('it:* & s:* & a:* & test:*');
    expect(trigramText(['dark', 'cofee'])).toBe('dark cofee');
  });

  it('applies typo tolerance only to words long enough to judge', () => {
    expect(typoTolerant('red')).toBe(false);
    expect(typoTolerant('cofee')).toBe(true);
    expect(typoTolerant('日本茶')).toBe(false);
    expect(typoTolerant('café')).toBe(true);
  });
});

describe('effectiveSort and pageOffset', () => {
  it('defaults to relevance with text and newest without', () => {
    expect(effectiveSort(undefined, true)).toBe('relevance');
    expect(effectiveSort(undefined, false)).toBe('newest');
    expect(effectiveSort('relevance', false)).toBe('newest');
    expect(effectiveSort('price_asc', true)).toBe('price_asc');
    expect(effectiveSort('rating', false)).toBe('rating');
  });

  it('computes the row offset of a page', () => {
    expect(pageOffset(1, 24)).toBe(0);
    expect(pageOffset(3, 10)).toBe(20);
  });
});

describe('wordTsQuery', () => {
  it('is a prefix for a word as typed, and adds the corrections of a misspelt one', () => {
    expect(wordTsQuery('hood')).toBe('hood:*');
    expect(wordTsQuery('cofee', ['coffee', 'coffees'])).toBe('cofee:* | coffee | coffees');
  });

  it('leaves out corrections that are not plain words, so no dictionary entry can change the query', () => {
    expect(plainWord('café')).toBe(true);
    expect(plainWord('a:b')).toBe(false);
    expect(wordTsQuery('cofee', ['co-fee', "o'clock", 'coffee', 'x|y', '1&2'])).toBe('cofee:* | coffee');
  });
});

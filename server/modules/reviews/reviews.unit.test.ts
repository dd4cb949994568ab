import { describe, expect, it } from 'vitest';
import { moderationInput, reviewInput, reviewListQuery } from '../../../shared/api/reviews.schemas.js';
import { parseEnv } from '../../config.js';
import { displayName, ratingSummary } from './review-view.js';

const valid = { rating: 4, title: 'Good', body: 'Works well.' };
const issues = (input: unknown) => {
  const result = reviewInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('reviewInput: rating', () => {
  it('accepts the whole numbers 1 to 5', () => {
    for (const rating of [1, 2, 3, 4, 5]) expect(reviewInput.parse({ ...valid, rating }).rating).toBe(rating);
  });

  it.each([
    ['6', 6],
    ['0', 0],
    ['3.5', 3.5],
    ['-1', -1],
    ['the string "5"', '5'],
    ['null', null],
    ['true', true],
    ['NaN-like', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s with one clear message', (_label, rating) => {
    expect(issues({ ...valid, rating })).toEqual([{ path: 'rating', message: 'must be a whole number from 1 to 5' }]);
  });

  it('says a missing rating is required', () => {
    expect(issues({ title: 'a', body: 'b' })).toEqual([{ path: 'rating', message: 'is required' }]);
  });
});

describe('reviewInput: plain text', () => {
  it('keeps markup exactly as written: no stripping, no HTML encoding', () => {
    const title = '<script>alert("x")</script> & <b>bold</b>';
    const body = `<img src=x onerror="alert(1)"> 'quotes' & "more" &amp; </textarea>`;
    expect(reviewInput.parse({ ...valid, title, body })).toEqual({ ...valid, title, body });
  });

  it('trims the ends and turns CRLF and CR into LF, keeping tabs and inner blank lines', () => {
    const parsed = reviewInput.parse({
      ...valid,
      title: '  Nice  ',
      body: '\r\n Line 1\r\nLine 2\rLine\t3\n\n\nEnd \n',
    });
    expect(parsed.title).toBe('Nice');
    expect(parsed.body).toBe('Line 1\nLine 2\nLine\t3\n\n\nEnd');
  });

  it('refuses control characters other than newline and tab in the body, and any in the title', () => {
    for (const bad of ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009bb']) {
      expect(issues({ ...valid, body: bad }).map((i) => i.path)).toEqual(['body']);
      expect(issues({ ...valid, title: bad }).map((i) => i.path)).toEqual(['title']);
    }
    expect(issues({ ...valid, title: 'Two\nlines' })[0]).toEqual({
      path: 'title',
      message: 'must be one line without control characters',
    });
    expect(issues({ ...valid, title: 'Tab\there' }).map((i) => i.path)).toEqual(['title']);
  });

  it('refuses lone surrogates, which are not text', () => {
    expect(issues({ ...valid, body: 'broken \ud83d here' }).map((i) => i.path)).toEqual(['body']);
    expect(issues({ ...valid, body: 'whole 😀 emoji' })).toEqual([]);
  });

  it('counts length in characters, so an emoji counts once', () => {
    expect(issues({ ...valid, title: '😀'.repeat(120), body: 'é'.repeat(5000) })).toEqual([]);
    expect(issues({ ...valid, title: 'x'.repeat(121) })).toEqual([
      { path: 'title', message: 'must be at most 120 characters' },
    ]);
    expect(issues({ ...valid, title: '😀'.repeat(121) }).map((i) => i.path)).toEqual(['title']);
    expect(issues({ ...valid, body: 'x'.repeat(5001) })).toEqual([
      { path: 'body', message: 'must be at most 5000 characters' },
    ]);
    // Limits apply after trimming.
    expect(issues({ ...valid, title: `  ${'x'.repeat(120)}  ` })).toEqual([]);
  });

  it('requires title and body, as text with something in it', () => {
    expect(issues({ rating: 3 })).toEqual([
      { path: 'title', message: 'is required' },
      { path: 'body', message: 'is required' },
    ]);
    expect(issues({ ...valid, title: '   ', body: '\r\n\t' })).toEqual([
      { path: 'title', message: 'is required' },
      { path: 'body', message: 'is required' },
    ]);
    expect(issues({ ...valid, title: 42, body: ['x'] })).toEqual([
      { path: 'title', message: 'must be a string' },
      { path: 'body', message: 'must be a string' },
    ]);
  });

  it('refuses fields the client may not set', () => {
    for (const extra of ['verifiedPurchase', 'status', 'userId', 'productId']) {
      expect(reviewInput.safeParse({ ...valid, [extra]: true }).success, extra).toBe(false);
    }
  });
});

describe('moderationInput and list queries', () => {
  it('takes approved or rejected with an optional plain-text note', () => {
    expect(moderationInput.parse({ status: 'approved' })).toEqual({ status: 'approved' });
    expect(moderationInput.parse({ status: 'rejected', note: ' spam\r\n ' })).toEqual({
      status: 'rejected',
      note: 'spam',
    });
    for (const bad of [{ status: 'pending' }, { status: 'deleted' }, {}, { status: 'approved', extra: 1 }]) {
      expect(moderationInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(moderationInput.safeParse({ status: 'rejected', note: 'x'.repeat(1001) }).success).toBe(false);
  });

  it('defaults the public list to the newest first and checks sort, rating and limit', () => {
    expect(reviewListQuery.parse({})).toEqual({ page: 1, limit: 24, sort: 'newest' });
    expect(reviewListQuery.parse({ sort: 'lowest', rating: '2', limit: '5' })).toEqual({
      page: 1,
      limit: 5,
      sort: 'lowest',
      rating: 2,
    });
    for (const bad of [{ sort: 'best' }, { rating: '6' }, { rating: '2.5' }, { limit: '101' }, { page: '0' }]) {
      expect(reviewListQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('displayName', () => {
  it('shows the first name and the initial of the last', () => {
    expect(displayName('Jane Doe')).toBe('Jane D.');
    expect(displayName('  jane   van der berg ')).toBe('jane B.');
    expect(displayName('Zoë Øster')).toBe('Zoë Ø.');
    expect(displayName('Plato')).toBe('Plato');
    expect(displayName('李 小龙')).toBe('李 小.');
    expect(displayName('Jo 😀x')).toBe('Jo 😀.');
  });

  it('never shows an e-mail address', () => {
    expect(displayName('jane.doe@example.com')).toBe('jane.doe');
    expect(displayName('Jane x@y.z')).toBe('Jane X.');
    expect(displayName('@example.com')).toBe('Customer');
    expect(displayName('   ')).toBe('Customer');
  });
});

describe('ratingSummary', () => {
  it('counts per star and averages to two decimals', () => {
    expect(
      ratingSummary([
        { rating: 5, n: 2 },
        { rating: 4, n: 1 },
      ]),
    ).toEqual({ average: 4.67, count: 3, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 2 } });
    expect(ratingSummary([])).toEqual({
      average: 0,
      count: 0,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
  });

  it('rounds half up, as the database rounds the stored average', () => {
    // 33 / 8 = 4.125 → 4.13; 1.005-style floating error must not appear: 201 / 200 = 1.005 → 1.01.
    expect(
      ratingSummary([
        { rating: 5, n: 1 },
        { rating: 4, n: 7 },
      ]).average,
    ).toBe(4.13);
    expect(
      ratingSummary([
        { rating: 2, n: 1 },
        { rating: 1, n: 199 },
      ]).average,
    ).toBe(1.01);
  });
});

describe('REVIEWS_AUTO_APPROVE_VERIFIED', () => {
  it('is on by default and parses like the other switches', () => {
    expect(parseEnv({}).REVIEWS_AUTO_APPROVE_VERIFIED).toBe(true);
    expect(parseEnv({ REVIEWS_AUTO_APPROVE_VERIFIED: 'false' }).REVIEWS_AUTO_APPROVE_VERIFIED).toBe(false);
    expect(parseEnv({ REVIEWS_AUTO_APPROVE_VERIFIED: '0' }).REVIEWS_AUTO_APPROVE_VERIFIED).toBe(false);
    expect(() => parseEnv({ REVIEWS_AUTO_APPROVE_VERIFIED: 'maybe' })).toThrow(/REVIEWS_AUTO_APPROVE_VERIFIED/);
  });
});

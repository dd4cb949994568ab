/**
 * Pure helpers that turn a shopper's search text and options into the pieces the search SQL
 * needs. Nothing here touches the database, so the tricky parts (sanitising free text,
 * choosing the order) have fast unit tests.
 */
import type { ProductSearchQuery } from '../../../shared/api/catalog.schemas.js';

export type SearchSort = NonNullable<ProductSearchQuery['sort']>;

/** More words than this add nothing to a product search and only make the query slower. */
export const MAX_WORDS = 8;
/** No product word is longer; capping keeps a pasted blob from becoming a huge tsquery. */
export const MAX_WORD_LENGTH = 40;

/**
 * The searchable words of free text: runs of letters, digits and combining marks, lower-cased
 * and NFC-normalised, de-duplicated, in order. Everything else (tsquery operators `& | ! ( ) : *`,
 * quotes, backslashes, regex or SQL syntax) is a separator, so user text can never change the
 * meaning of the query we build or make it fail to parse.
 */
export function searchWords(text: string): string[] {
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const unique = [...new Set(words.map((w) => w.slice(0, MAX_WORD_LENGTH)))];
  return unique.slice(0, MAX_WORDS);
}

/**
 * A `to_tsquery` string where every word is a prefix (`word:*`), so "cof bea" finds "Coffee Beans"
 * while the shopper is still typing. Safe because searchWords only lets letters, digits and marks
 * through. `|` (any word) is for ranking partial matches; matching itself needs every word.
 */
export function prefixTsQuery(words: string[], operator: '&' | '|' = '&'): string {
  return words.map((w) => `${w}:*`).join(` ${operator} `);
}

/** A dictionary word can stand in a tsquery as it is only if it is made of the same characters as search words. */
export const plainWord = (term: string): boolean => /^[\p{L}\p{N}\p{M}]+$/u.test(term);

/**
 * What one search word must match: its prefix, or for a misspelt word also the dictionary words
 * it was corrected to ("cofee:* | coffee"). Corrections that are not plain words are left out.
 */
export function wordTsQuery(word: string, corrections: readonly string[] = []): string {
  return [`${word}:*`, ...corrections.filter(plainWord)].join(' | ');
}

/** At most this many corrections per misspelt word, the most similar first. */
export const MAX_CORRECTIONS = 5;

/**
 * Shorter words are matched as prefixes only: their trigram sets are so small that "similar"
 * would mean "shares two letters" ("red" would find "Remote").
 */
export const MIN_TYPO_WORD_LENGTH = 4;
export const typoTolerant = (word: string): boolean => [...word].length >= MIN_TYPO_WORD_LENGTH;

/** Text compared with product names and SKUs by trigram similarity (typo tolerance). */
export function trigramText(words: string[]): string {
  return words.join(' ');
}

/**
 * The order actually used: relevance needs search text, so it is the default with `q` and
 * falls back to newest without one (there is nothing to be relevant to).
 */
export function effectiveSort(sort: SearchSort | undefined, hasText: boolean): SearchSort {
  if (sort === undefined) return hasText ? 'relevance' : 'newest';
  if (sort === 'relevance' && !hasText) return 'newest';
  return sort;
}

export const pageOffset = (page: number, limit: number): number => (page - 1) * limit;

/**
 * Ranking weights for ts_rank, in the order Postgres wants them: {D, C, B, A}. Name and SKU
 * (A) outweigh tags (B) by ~3x and the description (C) by 20x, so a product named after the
 * search words ranks above one that merely mentions them in passing a few times.
 */
export const RANK_WEIGHTS = '{0.01, 0.05, 0.3, 1.0}';

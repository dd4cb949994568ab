import { describe, expect, it } from 'vitest';
import { toSlug } from './slugs.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('toSlug', () => {
  it('lower-cases and joins words with single hyphens', () => {
    expect(toSlug('Blue T-Shirt')).toBe('blue-t-shirt');
    expect(toSlug('  Lots   of    space  ')).toBe('lots-of-space');
    expect(toSlug('Already-a-slug')).toBe('already-a-slug');
  });

  it('turns accented letters into plain ASCII', () => {
    expect(toSlug('Café Crème')).toBe('cafe-creme');
    expect(toSlug('Straße Ärger Øl')).toBe('strasse-arger-ol');
    expect(toSlug('Señor Niño')).toBe('senor-nino');
  });

  it('drops punctuation and quotes so only URL-safe characters remain', () => {
    for (const name of [
      'Ben\'s "Best" (Large)!',
      'Tea, Coffee; & More?',
      '<script>alert(1)</script>',
      "x'; DROP TABLE products; --",
      '100% Cotton / 50% Off #1',
    ]) {
      const slug = toSlug(name);
      expect(slug, name).toMatch(SLUG);
    }
    expect(toSlug('Ben\'s "Best" (Large)!')).toBe('bens-best-large');
  });

  it('never returns an empty slug', () => {
    expect(toSlug('')).toBe('item');
    expect(toSlug('   ')).toBe('item');
    expect(toSlug('!!! ??? ...')).toBe('item');
    expect(toSlug('日本語')).toBe('item');
  });

  it('truncates long names to 100 characters without a trailing hyphen', () => {
    const slug = toSlug('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(100);
    expect(slug).toMatch(SLUG);
    // 'word-' repeated: the cut at 100 lands right after a hyphen, which must go.
    expect(slug).toBe(`${'word-'.repeat(19)}word`);
    const unbroken = toSlug('a'.repeat(250));
    expect(unbroken).toBe('a'.repeat(100));
  });
});

import { describe, expect, it } from 'vitest';
import { CACHE_WINDOW_SECONDS, catalogEtag, normalizedUrl } from './cache.js';

describe('normalizedUrl', () => {
  it('sorts query parameters and keeps the path', () => {
    expect(normalizedUrl('/api/v1/products?sort=price_asc&q=mug')).toBe('/api/v1/products?q=mug&sort=price_asc');
    expect(normalizedUrl('/api/v1/products')).toBe('/api/v1/products');
    expect(normalizedUrl('/api/v1/products?')).toBe('/api/v1/products');
  });

  it('treats equivalent encodings alike and different values apart', () => {
    expect(normalizedUrl('/p?q=dark%20roast')).toBe(normalizedUrl('/p?q=dark+roast'));
    expect(normalizedUrl('/p?q=caf%C3%A9')).toBe(normalizedUrl('/p?q=café'));
    expect(normalizedUrl('/p?q=a&q=b')).not.toBe(normalizedUrl('/p?q=b&q=a'));
    expect(normalizedUrl('/p?q=a')).not.toBe(normalizedUrl('/p?q=A'));
  });
});

describe('catalogEtag', () => {
  const at = Date.UTC(2026, 10, 29, 12, 0, 0);
  it('is a weak validator that changes with the change position, the URL and the audience', () => {
    const base = catalogEtag('10:t:1', '/api/v1/products', 'public', at);
    expect(base).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(catalogEtag('10:t:1', '/api/v1/products', 'public', at)).toBe(base);
    expect(catalogEtag('11:t:1', '/api/v1/products', 'public', at)).not.toBe(base);
    expect(catalogEtag('10:f:1', '/api/v1/products', 'public', at)).not.toBe(base);
    expect(catalogEtag('10:t:1', '/api/v1/categories', 'public', at)).not.toBe(base);
    expect(catalogEtag('10:t:1', '/api/v1/products', 'auth:staff', at)).not.toBe(base);
  });

  it("changes once per window of its own, and the answers' windows turn at different seconds", () => {
    const seconds = (url: string) => {
      const turns: number[] = [];
      let last = catalogEtag('10:t:1', url, 'public', at);
      for (let s = 1; s <= 2 * CACHE_WINDOW_SECONDS; s++) {
        const next = catalogEtag('10:t:1', url, 'public', at + s * 1000);
        if (next !== last) turns.push(s);
        last = next;
      }
      return turns;
    };
    const urls = Array.from({ length: 20 }, (_, i) => `/api/v1/products/product-${i}`);
    const turns = urls.map(seconds);
    // Exactly once a window, a window apart: never stale for longer than one.
    for (const t of turns) {
      expect(t).toHaveLength(2);
      expect(t[1]! - t[0]!).toBe(CACHE_WINDOW_SECONDS);
    }
    // Spread over the minute, not all at one instant.
    expect(new Set(turns.map((t) => t[0])).size).toBeGreaterThan(10);
    // The global window in the state no longer turns every answer at once.
    expect(catalogEtag('10:t:1', urls[0]!, 'public', at)).toBe(catalogEtag('10:t:2', urls[0]!, 'public', at));
  });
});

import { describe, expect, it } from 'vitest';
import { catalogEtag, normalizedUrl } from './cache.js';

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
  it('is a weak validator that changes with the state, the URL and the audience', () => {
    const base = catalogEtag('10:t:1', '/api/v1/products', 'public');
    expect(base).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(catalogEtag('10:t:1', '/api/v1/products', 'public')).toBe(base);
    expect(catalogEtag('11:t:1', '/api/v1/products', 'public')).not.toBe(base);
    expect(catalogEtag('10:t:2', '/api/v1/products', 'public')).not.toBe(base);
    expect(catalogEtag('10:t:1', '/api/v1/categories', 'public')).not.toBe(base);
    expect(catalogEtag('10:t:1', '/api/v1/products', 'auth:staff')).not.toBe(base);
  });
});

import { describe, expect, it } from 'vitest';
import { imageAtWidth, pagination, srcset } from './components.js';
import { storefrontCsp } from './csp.js';
import { html, jsonScript, raw } from './html.js';
import { listingHref, listingQuery, priceBuckets } from './pages/listing.js';

describe('html templates', () => {
  it('escapes interpolated text and attributes, keeps nested templates, drops empty values', () => {
    const name = `<b onclick="x">Tom & 'Jerry'</b>`;
    const out = html`<p title="${name}">${name}${[html`<i>${1}</i>`, null, false, undefined]}${raw('<br>')}</p>`;
    expect(out.value).toBe(
      '<p title="&lt;b onclick=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;">&lt;b onclick=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;<i>1</i><br></p>',
    );
  });

  it('keeps JSON in a script block from closing it', () => {
    const out = jsonScript({ name: '</script><script>alert(1)</script>', sep: '\u2028' }).value;
    expect(out).not.toContain('</script><script>');
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    const json = out.slice(out.indexOf('>') + 1, out.lastIndexOf('</script>'));
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script>', sep: '\u2028' });
  });
});

describe('responsive images', () => {
  it('asks the local store and Cloudinary for other widths, and leaves other URLs alone', () => {
    expect(imageAtWidth('/media/abc.webp?w=1600', 320)).toBe('/media/abc.webp?w=320');
    expect(imageAtWidth('/media/abc.webp?w=1600&fmt=webp', 640)).toBe('/media/abc.webp?w=640&fmt=webp');
    expect(imageAtWidth('https://res.cloudinary.com/demo/image/upload/c_limit,f_auto,q_auto,w_1600/shoe', 320)).toBe(
      'https://res.cloudinary.com/demo/image/upload/c_limit,f_auto,q_auto,w_320/shoe',
    );
    expect(imageAtWidth('https://example.com/a.jpg', 320)).toBe('https://example.com/a.jpg');
    expect(srcset('/media/abc.webp?w=1600', 640)).toBe(
      '/media/abc.webp?w=160 160w, /media/abc.webp?w=320 320w, /media/abc.webp?w=640 640w',
    );
    expect(srcset('https://example.com/a.jpg')).toBeUndefined();
  });
});

describe('listing URLs', () => {
  it('keeps what parses from a shopper URL, caps the page size, and drops the rest', () => {
    const q = listingQuery({
      q: 'tea',
      minPrice: 'abc',
      maxPrice: '2500',
      sort: 'bogus',
      page: '2',
      limit: '100000',
      extra: 'x',
    });
    expect(q).toMatchObject({ q: 'tea', maxPrice: 2500, page: 2, limit: 24 });
    expect(q.minPrice).toBeUndefined();
    expect(q.sort).toBeUndefined();
    expect(listingQuery({ category: 'ignored' }, 'kettles').category).toBe('kettles');
  });

  it('builds links that keep the filters and reset the page', () => {
    const q = listingQuery({ q: 'tea', inStock: 'true', page: '3', sort: 'price_asc' });
    expect(listingHref('/search', q, { minRating: '4' })).toBe('/search?q=tea&inStock=true&minRating=4&sort=price_asc');
    expect(listingHref('/search', q, { page: '4', sort: undefined })).toBe('/search?q=tea&inStock=true&page=4');
    // A category page's own category is in its path, not its query.
    expect(listingHref('/categories/tea', listingQuery({}, 'tea'), {})).toBe('/categories/tea');
  });

  it('splits the price range into a few round buckets, open at both ends', () => {
    expect(priceBuckets(null, null)).toEqual([]);
    expect(priceBuckets(1000, 1000)).toEqual([]);
    expect(priceBuckets(1299, 8999)).toEqual([
      { max: 2500 },
      { min: 2500, max: 5000 },
      { min: 5000, max: 7500 },
      { min: 7500 },
    ]);
  });

  it('numbers pages around the current one, with gaps', () => {
    const out = pagination(5, 10, (n) => `/p${n}`).value;
    expect([...out.matchAll(/>(\d+|…|Previous|Next)</g)].map((m) => m[1])).toEqual([
      'Previous',
      '1',
      '…',
      '3',
      '4',
      '5',
      '6',
      '7',
      '…',
      '10',
      'Next',
    ]);
    expect(out).toContain('aria-current="page" href="/p5"');
    expect(pagination(1, 1, String).value).toBe('');
  });
});

describe('storefront CSP', () => {
  it('allows only our own scripts, and Stripe only when it takes payments', () => {
    const plain = storefrontCsp({ stripe: false });
    expect(plain).toContain("script-src 'self';");
    expect(plain).toContain("frame-src 'none'");
    expect(plain).not.toContain('stripe');
    expect(plain).toContain('https://res.cloudinary.com');
    const stripe = storefrontCsp({ stripe: true });
    expect(stripe).toContain("script-src 'self' https://js.stripe.com https://*.js.stripe.com;");
    expect(stripe).toContain('frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com');
    expect(stripe).toContain("connect-src 'self' https://api.stripe.com");
  });
});

import { describe, expect, it } from 'vitest';
import { loginHref, safeNext } from './nav.js';

describe('safeNext', () => {
  it('keeps a path on this site with its query and fragment', () => {
    expect(safeNext('/account/orders')).toBe('/account/orders');
    expect(safeNext('/products/tee?colour=red#reviews')).toBe('/products/tee?colour=red#reviews');
  });

  it.each([
    ['nothing', null],
    ['an empty string', ''],
    ['an absolute URL', 'https://evil.example/account'],
    ['a protocol-relative URL', '//evil.example/account'],
    ['a backslash trick', '/\\evil.example'],
    ['a backslash later on', '/account\\..\\'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'account'],
    ['a tab before slashes', '/\t/evil.example'],
    ['a newline', '/account\n'],
    ['the sign-in page (a loop)', '/login?next=/account'],
    ['the register page (a loop)', '/register'],
  ])('refuses %s', (_what, next) => {
    expect(safeNext(next)).toBe('/account');
  });

  it('uses the fallback given', () => {
    expect(safeNext('//evil.example', '/')).toBe('/');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeNext('/a/../../account')).toBe('/account');
  });

  it('refuses overly long values', () => {
    expect(safeNext(`/${'a'.repeat(2500)}`)).toBe('/account');
  });
});

describe('loginHref', () => {
  it('comes back to where the shopper was', () => {
    expect(loginHref('/account/orders?page=2')).toBe('/login?next=%2Faccount%2Forders%3Fpage%3D2');
    expect(loginHref('/checkout', '/register')).toBe('/register?next=%2Fcheckout');
  });

  it('needs no next for the home page or a sign-in page', () => {
    expect(loginHref('/')).toBe('/login');
    expect(loginHref('/login?next=/x')).toBe('/login');
  });
});

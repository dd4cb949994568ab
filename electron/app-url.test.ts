import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  contentSecurityPolicy,
  contentTypeFor,
  isAppUrl,
  isExternalLink,
  resolveAppFile,
} from './app-url.js';

const ROOT = path.resolve('/srv/nexus/dist/renderer');

describe('isAppUrl', () => {
  it('accepts our own origin only', () => {
    expect(isAppUrl(APP_ENTRY)).toBe(true);
    expect(isAppUrl('app://nexus/index.html#/products')).toBe(true);
    expect(isAppUrl('app://nexus')).toBe(true);
  });

  it.each([
    undefined,
    '',
    'not a url',
    'app://evil/index.html',
    'https://nexus/index.html',
    'file:///srv/nexus/dist/renderer/index.html',
    'http://127.0.0.1:3000/',
    'about:blank',
  ])('refuses %s', (url) => expect(isAppUrl(url)).toBe(false));
});

describe('isExternalLink', () => {
  it('hands plain web pages to the OS browser', () => {
    expect(isExternalLink('https://shop.example.com/products/tea')).toBe(true);
    expect(isExternalLink('http://127.0.0.1:3000/api/docs')).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://server/share',
    'app://nexus/index.html',
    'https://user:pass@evil.example/',
    'garbage',
  ])('never opens %s', (url) => expect(isExternalLink(url)).toBe(false));
});

describe('resolveAppFile', () => {
  it('maps assets under the renderer folder', () => {
    expect(resolveAppFile('app://nexus/assets/index-abc.js', ROOT)).toBe(path.join(ROOT, 'assets', 'index-abc.js'));
    expect(resolveAppFile('app://nexus/assets/a%20b.css', ROOT)).toBe(path.join(ROOT, 'assets', 'a b.css'));
  });

  it('answers index.html for the root and any extensionless path (a reload keeps working)', () => {
    expect(resolveAppFile('app://nexus/', ROOT)).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppFile('app://nexus/products/42', ROOT)).toBe(path.join(ROOT, 'index.html'));
  });

  it.each([
    'app://nexus/../../etc/passwd.txt',
    'app://nexus/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://nexus/assets/..%2F..%2F..%2Fetc%2Fpasswd.txt',
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppFile(url, ROOT);
    expect(file === null || file.startsWith(ROOT + path.sep)).toBe(true);
    expect(file).not.toBe('/etc/passwd.txt');
  });

  it.each([
    'app://nexus/assets/..%5C..%5Csecret.txt',
    'app://nexus/a%00.js',
    'app://nexus/%E0%A4%A.js',
    'app://other/index.html',
    'https://nexus/index.html',
  ])('refuses %s', (url) => expect(resolveAppFile(url, ROOT)).toBeNull());
});

describe('contentTypeFor', () => {
  it('types what Vite emits and falls back to an inert type', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/a.exe')).toBe('application/octet-stream');
  });
});

describe('contentSecurityPolicy', () => {
  const directives = (policy: string) =>
    Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('allows our own scripts and styles only: nothing inline, no eval, no frames', () => {
    const policy = contentSecurityPolicy(null);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const d = directives(policy);
    expect(d['script-src']).toEqual(["'self'", 'app://nexus']);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-src']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
  });

  it("adds the central server's origin for product images only", () => {
    const d = directives(contentSecurityPolicy('https://shop.example.com'));
    expect(d['img-src']).toContain('https://shop.example.com');
    // Cloudinary delivers the pictures when the server keeps them there: images only too.
    expect(d['img-src']).toContain('https://res.cloudinary.com');
    expect(d['connect-src']).not.toContain('https://res.cloudinary.com');
    expect(d['script-src']).not.toContain('https://shop.example.com');
    expect(d['connect-src']).not.toContain('https://shop.example.com');
  });

  it('never lets a server address inject a directive', () => {
    const policy = contentSecurityPolicy("https://x.example; script-src 'unsafe-inline'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('x.example');
  });
});

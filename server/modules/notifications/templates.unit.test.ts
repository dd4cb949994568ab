import { describe, expect, it } from 'vitest';
import { escapeHtml, renderTemplate, scrubPayload, TemplateError, templates } from './templates.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('leaves other text alone, and escapes an ampersand only once per pass', () => {
    expect(escapeHtml('Zoë — 100% fine')).toBe('Zoë — 100% fine');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('')).toBe('');
  });
});

describe('renderTemplate: welcome', () => {
  const rendered = renderTemplate('welcome', { name: 'Ada', shopUrl: 'https://shop.example.com' });

  it('has the subject, and text and html naming the user and the shop', () => {
    expect(rendered.subject).toBe('Welcome to Nexus');
    expect(rendered.text).toContain('Hello Ada,');
    expect(rendered.text).toContain('https://shop.example.com');
    expect(rendered.html).toMatch(/^<!doctype html>/);
    expect(rendered.html).toContain('<p>Hello Ada,</p>');
    expect(rendered.html).toContain('href="https://shop.example.com"');
    expect(rendered.html).toContain('<title>Welcome to Nexus</title>');
  });

  it('escapes the name and the link in html, but not in the plain text part', () => {
    const evil = renderTemplate('welcome', { name: '<b>Eve</b>', shopUrl: 'https://x.test/?a=1&b="2"' });
    expect(evil.html).toContain('Hello &lt;b&gt;Eve&lt;/b&gt;,');
    expect(evil.html).not.toContain('<b>Eve</b>');
    expect(evil.html).toContain('href="https://x.test/?a=1&amp;b=&quot;2&quot;"');
    expect(evil.text).toContain('Hello <b>Eve</b>,');
  });
});

describe('renderTemplate: password-reset', () => {
  const resetUrl = 'https://shop.example.com/reset-password?token=pr_abc&x=1';
  const rendered = renderTemplate('password-reset', { name: 'Ada', resetUrl, expiresInMinutes: 60 });

  it('has the subject, the link and the expiry in both parts', () => {
    expect(rendered.subject).toBe('Reset your Nexus password');
    expect(rendered.text).toContain(resetUrl);
    expect(rendered.text).toContain('within 60 minutes');
    expect(rendered.html).toContain(`href="${escapeHtml(resetUrl)}"`);
    expect(rendered.html).toContain('within 60 minutes');
    expect(rendered.html).toContain('Choose a new password');
  });
});

describe('renderTemplate: bad input', () => {
  it('throws TemplateError for an unknown template', () => {
    expect(() => renderTemplate('nope', {})).toThrow(TemplateError);
    expect(() => renderTemplate('nope', {})).toThrow(/unknown e-mail template "nope"/);
    // Inherited properties are not templates (a TypeError would be retried as if transient).
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => renderTemplate(name, {}), name).toThrow(TemplateError);
    }
  });

  it.each([
    ['welcome', { name: 'Ada' }],
    ['welcome', { name: 42, shopUrl: 'x' }],
    ['welcome', null],
    ['password-reset', { name: 'Ada', resetUrl: 'x', expiresInMinutes: 1.5 }],
    ['password-reset', { name: 'Ada', resetUrl: 'x', expiresInMinutes: '60' }],
  ])('throws TemplateError for a bad %s payload %j', (name, payload) => {
    let error: unknown;
    try {
      renderTemplate(name, payload);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).name).toBe('TemplateError');
    expect((error as Error).message).toContain(`bad payload for "${name}"`);
  });

  it('every template renders subject, text and html', () => {
    const samples: Record<keyof typeof templates, unknown> = {
      welcome: { name: 'A', shopUrl: 'https://s' },
      'password-reset': { name: 'A', resetUrl: 'https://s/r', expiresInMinutes: 5 },
      'order-confirmation': {
        number: 'NX-100001',
        currency: 'USD',
        items: [{ name: 'A', sku: 'S', quantity: 1, unitPriceCents: 100, lineTotalCents: 100 }],
        subtotalCents: 100,
        shippingCents: 0,
        taxCents: 0,
        totalCents: 100,
        orderUrl: 'https://s/o',
      },
      'order-payment-failed': { number: 'NX-100001', reason: null, orderUrl: 'https://s/o' },
      'order-cancelled': { number: 'NX-100001', reason: 'expired', orderUrl: 'https://s/o' },
    };
    for (const name of Object.keys(templates)) {
      const r = renderTemplate(name, samples[name as keyof typeof templates]);
      expect(r.subject.length, name).toBeGreaterThan(0);
      expect(r.text.length, name).toBeGreaterThan(0);
      expect(r.html, name).toContain('</html>');
    }
  });
});

describe('scrubPayload', () => {
  it('replaces the sensitive keys of a template and keeps the rest, without mutating the input', () => {
    const payload = { name: 'Ada', resetUrl: 'https://s/r?token=secret', expiresInMinutes: 60 };
    const out = scrubPayload('password-reset', payload);
    expect(out).toEqual({ name: 'Ada', resetUrl: '[scrubbed after send]', expiresInMinutes: 60 });
    expect(JSON.stringify(out)).not.toContain('secret');
    expect(payload.resetUrl).toBe('https://s/r?token=secret');
    expect(out).not.toBe(payload);
  });

  it('leaves a template without sensitive keys unchanged', () => {
    expect(scrubPayload('welcome', { name: 'Ada', shopUrl: 'https://s' })).toEqual({
      name: 'Ada',
      shopUrl: 'https://s',
    });
  });

  it('does not add missing keys and tolerates an unknown template', () => {
    expect(scrubPayload('password-reset', { name: 'Ada' })).toEqual({ name: 'Ada' });
    expect(scrubPayload('nope', { a: 1 })).toEqual({ a: 1 });
    expect(scrubPayload('constructor', { a: 1 })).toEqual({ a: 1 });
  });
});

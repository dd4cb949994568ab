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
    expect(rendered.subject).toBe('Welcome to Nexus Store');
    expect(rendered.text).toContain('Hello Ada,');
    expect(rendered.text).toContain('https://shop.example.com');
    expect(rendered.html).toMatch(/^<!doctype html>/);
    expect(rendered.html).toContain('<p>Hello Ada,</p>');
    expect(rendered.html).toContain('href="https://shop.example.com"');
    expect(rendered.html).toContain('<title>Welcome to Nexus Store</title>');
  });

  it('escapes the name and the link in html, but not in the plain text part', () => {
    const evil = renderTemplate('welcome', { name: '<b>Eve</b>', shopUrl: 'https://x.test/?a=1&b="2"' });
    expect(evil.html).toContain('Hello &lt;b&gt;Eve&lt;/b&gt;,');
    expect(evil.html).not.toContain('<b>Eve</b>');
    expect(evil.html).toContain('href="https://x.test/?a=1&amp;b=&quot;2&quot;"');
    expect(evil.text).toContain('Hello <b>Eve</b>,');
  });
});

describe("renderTemplate: the shop's name", () => {
  it('speaks for the configured shop in subject, text and html, escaped in html', () => {
    const shop = { name: 'Ada & Co <Tea>' };
    const welcome = renderTemplate('welcome', { name: 'Ada', shopUrl: 'https://tea.example' }, shop);
    expect(welcome.subject).toBe('Welcome to Ada & Co <Tea>');
    expect(welcome.text).toContain('Your Ada & Co <Tea> account is ready.');
    expect(welcome.text).toContain('The Ada & Co <Tea> team');
    expect(welcome.html).toContain('Ada &amp; Co &lt;Tea&gt;');
    expect(welcome.html).not.toContain('<Tea>');
    expect(welcome.html).not.toContain('Nexus');
    const reset = renderTemplate(
      'password-reset',
      { name: 'Ada', resetUrl: 'https://tea.example/reset?token=x', expiresInMinutes: 30 },
      shop,
    );
    expect(reset.subject).toBe('Reset your Ada & Co <Tea> password');
    expect(`${reset.text}${reset.html}`).not.toContain('Nexus');
  });
});

describe('renderTemplate: password-reset', () => {
  const resetUrl = 'https://shop.example.com/reset-password?token=pr_abc&x=1';
  const rendered = renderTemplate('password-reset', { name: 'Ada', resetUrl, expiresInMinutes: 60 });

  it('has the subject, the link and the expiry in both parts', () => {
    expect(rendered.subject).toBe('Reset your Nexus Store password');
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
      'low-stock-alert': {
        productName: 'P',
        variantTitle: '',
        sku: 'S',
        location: 'Main',
        available: 1,
        threshold: 5,
        productUrl: 'https://s/p',
      },
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
      'order-shipped': {
        number: 'NX-100001',
        carrier: 'UPS',
        trackingNumber: '1Z999',
        trackingUrl: null,
        orderUrl: 'https://s/o',
      },
      'order-refunded': {
        number: 'NX-100001',
        currency: 'USD',
        amountCents: 100,
        refundedCents: 100,
        totalCents: 100,
        orderUrl: 'https://s/o',
      },
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

describe('low-stock-alert template', () => {
  const alert = {
    productName: 'Mug <b>"Tom & Jerry"</b>',
    variantTitle: 'Large',
    sku: 'MUG-L',
    location: 'Main warehouse',
    available: 2,
    threshold: 5,
    productUrl: 'https://shop.example/api/v1/admin/products/p1?a=1&b=2',
  };

  it('names the product, SKU, availability, threshold and link in subject, text and html', () => {
    const r = renderTemplate('low-stock-alert', alert);
    expect(r.subject).toBe('Low stock: Mug <b>"Tom & Jerry"</b> – Large (MUG-L), 2 left');
    expect(r.text).toContain('(SKU MUG-L) is low at Main warehouse: 2 available, alert threshold 5.');
    expect(r.text).toContain(alert.productUrl);
    expect(r.html).toContain('Available: <strong>2</strong> (alert threshold 5)');
    expect(r.html).toContain('href="https://shop.example/api/v1/admin/products/p1?a=1&amp;b=2"');
  });

  it('escapes every interpolated string in the html', () => {
    const r = renderTemplate('low-stock-alert', { ...alert, sku: '<sku>', location: '<loc>' });
    expect(r.html).toContain('Mug &lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt; – Large');
    expect(r.html).toContain('&lt;sku&gt;');
    expect(r.html).toContain('&lt;loc&gt;');
    expect(r.html).not.toMatch(/<b>|<sku>|<loc>/);
  });

  it('says sold out at zero and oversold below it, and leaves out an empty variant title', () => {
    const base = { ...alert, productName: 'Mug', variantTitle: '' };
    expect(renderTemplate('low-stock-alert', { ...base, available: 0 }).subject).toBe(
      'Low stock: Mug (MUG-L), sold out',
    );
    expect(renderTemplate('low-stock-alert', { ...base, available: -3 }).subject).toBe(
      'Low stock: Mug (MUG-L), oversold by 3',
    );
  });

  it('refuses a payload without the figures', () => {
    const { available: _available, ...missing } = alert;
    expect(() => renderTemplate('low-stock-alert', missing)).toThrow(TemplateError);
    expect(() => renderTemplate('low-stock-alert', { ...alert, threshold: '5' })).toThrow(TemplateError);
  });
});

describe('order-shipped, order-refunded and a staff cancellation', () => {
  const shipped = {
    number: 'NX-100007',
    carrier: 'Fast & <Cheap>',
    trackingNumber: 'TR"1"',
    trackingUrl: 'https://track.example/?n=1&x=2',
    orderUrl: 'https://shop.example/orders/o1?token=t',
  };

  it('order-shipped names carrier and tracking number, links the tracking page, escapes the html', () => {
    const r = renderTemplate('order-shipped', shipped);
    expect(r.subject).toBe('Order NX-100007 has shipped');
    expect(r.text).toContain(
      'Carrier: Fast & <Cheap>\nTracking number: TR"1"\nTrack it: https://track.example/?n=1&x=2',
    );
    expect(r.html).toContain('Fast &amp; &lt;Cheap&gt;');
    expect(r.html).toContain('TR&quot;1&quot;');
    expect(r.html).toContain('href="https://track.example/?n=1&amp;x=2"');
    expect(r.html).not.toContain('<Cheap>');
    const noLink = renderTemplate('order-shipped', { ...shipped, trackingUrl: null });
    expect(noLink.text).not.toContain('Track it');
    expect(noLink.html).not.toContain('Track your parcel');
    expect(scrubPayload('order-shipped', shipped).orderUrl).toBe('[scrubbed after send]');
  });

  it('order-refunded tells this refund and the total so far, partial or full', () => {
    const base = { number: 'NX-1', currency: 'EUR', totalCents: 5000, orderUrl: 'https://s/o' };
    const partial = renderTemplate('order-refunded', { ...base, amountCents: 1250, refundedCents: 2000 });
    expect(partial.subject).toBe('Refund of €12.50 for order NX-1');
    expect(partial.text).toContain('We have refunded €12.50 for your order NX-1. €20.00 of the €50.00 you paid');
    const full = renderTemplate('order-refunded', { ...base, amountCents: 3000, refundedCents: 5000 });
    expect(full.text).toContain('refunded in full (€50.00)');
    expect(full.html).toContain('<strong>€30.00</strong>');
    expect(() => renderTemplate('order-refunded', { ...base, amountCents: 0, refundedCents: 0 })).toThrow(
      TemplateError,
    );
  });

  it('order-cancelled says the payment is refunded when staff cancelled a paid order', () => {
    const paid = renderTemplate('order-cancelled', {
      number: 'NX-2',
      reason: 'staff',
      orderUrl: 'https://s/o',
      refundCents: 2499,
      currency: 'USD',
    });
    expect(paid.text).toContain('our staff cancelled it. Your payment of $24.99 is being refunded');
    expect(paid.text).not.toContain('Nothing was charged');
    const unpaid = renderTemplate('order-cancelled', { number: 'NX-2', reason: 'staff', orderUrl: 'https://s/o' });
    expect(unpaid.text).toContain('Nothing was charged');
  });
});

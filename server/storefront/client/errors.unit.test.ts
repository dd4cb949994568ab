import { describe, expect, it } from 'vitest';
import { ApiError, fieldNameOf, fieldSentence, invalid, messageOf, toApiError } from './errors.js';

describe('toApiError', () => {
  it('reads a problem document', () => {
    const error = toApiError(422, {
      type: 'https://nexus.dev/problems/validation-failed',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request has invalid or missing fields',
      code: 'validation_failed',
      errors: [{ path: 'body.shippingAddress.postalCode', message: 'is required' }],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('The request has invalid or missing fields');
    expect(error.errors).toEqual([{ path: 'body.shippingAddress.postalCode', message: 'is required' }]);
  });

  it('falls back to the title, then to a sentence of its own', () => {
    expect(toApiError(404, { title: 'Not Found' }).message).toBe('Not Found');
    expect(toApiError(502, undefined).message).toMatch(/went wrong/);
    expect(toApiError(429, 'Too Many Requests').message).toMatch(/wait a minute/);
    expect(toApiError(500, null).code).toBe('error');
  });

  it('drops malformed entries of errors[]', () => {
    const error = toApiError(422, { errors: [{ path: 'body.a', message: 'bad' }, null, 'x', { path: 'body.b' }] });
    expect(error.errors).toEqual([{ path: 'body.a', message: 'bad' }]);
  });
});

describe('fieldNameOf', () => {
  it('maps a body path to the form field name', () => {
    expect(fieldNameOf('body.email')).toBe('email');
    expect(fieldNameOf('body.shippingAddress.postalCode')).toBe('shippingAddress.postalCode');
  });

  it('names no field for paths outside the body', () => {
    expect(fieldNameOf('query.limit')).toBeUndefined();
    expect(fieldNameOf('headers.Idempotency-Key')).toBeUndefined();
    expect(fieldNameOf('cart.items.0190')).toBeUndefined();
    expect(fieldNameOf('body')).toBeUndefined();
  });
});

describe('fieldSentence', () => {
  it('gives a predicate its label as subject', () => {
    expect(fieldSentence('Postal code', 'is required')).toBe('Postal code is required');
    expect(fieldSentence('Company (optional)', 'must be at most 120 characters')).toBe(
      'Company must be at most 120 characters',
    );
  });

  it('leaves whole sentences alone', () => {
    expect(fieldSentence('Card number', 'Your card was declined.')).toBe('Your card was declined.');
  });

  it('capitalises a predicate without a label', () => {
    expect(fieldSentence('', 'is required')).toBe('Is required');
  });
});

describe('invalid and messageOf', () => {
  it('shapes a local refusal like the server’s', () => {
    const error = invalid('quantity', 'Enter a whole number from 1 to 99');
    expect(error.status).toBe(422);
    expect(error.errors).toEqual([{ path: 'body.quantity', message: 'Enter a whole number from 1 to 99' }]);
    expect(invalid('', 'Choose an option').errors).toEqual([]);
  });

  it('never shows a raw exception to the shopper', () => {
    expect(messageOf(new ApiError(409, 'out_of_stock', 'Only 2 left'))).toBe('Only 2 left');
    expect(messageOf(new TypeError('x is undefined'))).toMatch(/went wrong/);
  });
});

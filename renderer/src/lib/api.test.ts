import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge, type FakeBridge } from '../test/fake-bridge.js';
import { ApiError, call, errorMessage, fieldErrorsOf, isApiError } from './api.js';
import { validate } from './validate.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
});

describe('call', () => {
  it('answers the value of a successful call and sends the input', async () => {
    fake.answer('settings:get', { serverUrl: 'http://x', storeRecovery: null });
    expect(await call('settings:get')).toEqual({ serverUrl: 'http://x', storeRecovery: null });
    await call('settings:get', {});
    expect(fake.calls.map((c) => c.input)).toEqual([undefined, {}]);
  });

  it('throws an ApiError with the code, message and field errors by path (server prefixes dropped)', async () => {
    fake.fail('auth:login', 'validation_failed', 'invalid input', [
      { path: 'email', message: 'Invalid email address' },
      { path: 'body.password', message: 'Too small' },
      { path: 'email', message: 'second message is dropped' },
    ]);
    const error = await call('auth:login', { email: 'x', password: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isApiError(error, 'validation_failed')).toBe(true);
    expect(isApiError(error, 'not_found')).toBe(false);
    expect(errorMessage(error)).toBe('invalid input');
    expect(fieldErrorsOf(error)).toEqual({ email: 'Invalid email address', password: 'Too small' });
  });

  it('has no field errors for other failures', () => {
    expect(fieldErrorsOf(new Error('x'))).toEqual({});
    expect(errorMessage('weird')).toBe('Something went wrong');
  });
});

describe('validate', () => {
  it('checks input against the channel schema before anything is sent', () => {
    expect(validate('auth:login', { email: 'staff@example.com', password: 'pw' })).toBeNull();
    const errors = validate('auth:login', { email: 'not-an-email', password: '', serverUrl: 'ftp://x' });
    expect(Object.keys(errors ?? {}).sort()).toEqual(['email', 'password', 'serverUrl']);
    expect(errors?.serverUrl).toBe('must be an http(s) URL');
    expect(fake.calls).toHaveLength(0);
  });

  it('names nested fields with dotted paths', () => {
    const errors = validate('stock:adjust', { variantId: 'nope', delta: 1.5, reason: 'received' } as never);
    expect(errors).toHaveProperty('variantId');
    expect(errors).toHaveProperty('delta');
  });
});

import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge, type FakeBridge } from '../test/fake-bridge.js';
import { useFormAction } from './use-form-action.js';

const ORDER = '01890000-0000-7000-8000-000000000010';
let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
});

describe('useFormAction', () => {
  it('checks the input with the channel schema and sends nothing invalid', async () => {
    const { result } = renderHook(() => useFormAction('orders:note', { fields: ['note'] }));
    let answer: unknown = 'unset';
    await act(async () => {
      answer = await result.current.submit({ orderId: ORDER, note: '' });
    });
    expect(answer).toBeUndefined();
    expect(result.current.errors.note).toBeTruthy();
    expect(fake.calls).toEqual([]);
    act(() => result.current.clearField('note'));
    expect(result.current.errors).toEqual({});
  });

  it('puts field messages on shown fields, others (and plain failures) in formError', async () => {
    fake.fail('orders:note', 'validation_failed', 'invalid', [
      { path: 'body.note', message: 'too rude' },
      { path: 'orderId', message: 'unknown order' },
    ]);
    const { result } = renderHook(() => useFormAction('orders:note', { fields: ['note'] }));
    await act(async () => {
      await result.current.submit({ orderId: ORDER, note: 'hi' });
    });
    expect(result.current.errors.note).toBe('too rude');
    expect(result.current.formError).toBe('orderId: unknown order');

    fake.fail('orders:note', 'needs_connection', 'offline');
    await act(async () => {
      await result.current.submit({ orderId: ORDER, note: 'hi' });
    });
    expect(result.current).toMatchObject({ errors: {}, formError: 'offline', busy: false });
  });
});

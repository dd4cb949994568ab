import { describe, expect, it } from 'vitest';
import { parseEnv, type ConfigError } from '../../config.js';
import { crossedLow } from './low-stock-alert.js';

describe('crossedLow', () => {
  it('is true only for the move from above the threshold to at or below it', () => {
    expect(crossedLow(5, -1, 5)).toBe(true);
    expect(crossedLow(2, -4, 5)).toBe(true);
    expect(crossedLow(4, -1, 5)).toBe(false);
    expect(crossedLow(6, -1, 5)).toBe(false);
    expect(crossedLow(5, 0, 5)).toBe(false);
    expect(crossedLow(4, 2, 5)).toBe(false);
  });

  it('with threshold 0 fires when the last unit goes, and on a drop straight below zero', () => {
    expect(crossedLow(1, -1, 0)).toBe(false);
    expect(crossedLow(0, -1, 0)).toBe(true);
    expect(crossedLow(-2, -3, 0)).toBe(true);
    expect(crossedLow(-1, -1, 0)).toBe(false);
  });
});

describe('STAFF_ALERT_EMAIL', () => {
  const problems = (value: string) => {
    try {
      parseEnv({ STAFF_ALERT_EMAIL: value });
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };

  it('is a trimmed list of addresses, or undefined when unset or empty', () => {
    expect(parseEnv({ STAFF_ALERT_EMAIL: ' ops@example.com,  buyer@example.com ,' }).STAFF_ALERT_EMAIL).toEqual([
      'ops@example.com',
      'buyer@example.com',
    ]);
    expect(parseEnv({}).STAFF_ALERT_EMAIL).toBeUndefined();
    expect(parseEnv({ STAFF_ALERT_EMAIL: '' }).STAFF_ALERT_EMAIL).toBeUndefined();
  });

  it('names each bad address, and refuses a list of nothing', () => {
    expect(problems('ops@example.com, not-an-address, x@')).toEqual([
      'STAFF_ALERT_EMAIL: not an e-mail address: not-an-address, x@',
    ]);
    expect(problems(' , ')).toEqual(['STAFF_ALERT_EMAIL: must list e-mail addresses separated by commas']);
  });
});

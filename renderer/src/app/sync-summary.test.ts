import { describe, expect, it } from 'vitest';
import { syncStatus } from '../test/fake-bridge.js';
import { plainError, summarizeSync } from './sync-summary.js';

describe('summarizeSync', () => {
  it('before the first status: waiting for the host', () => {
    expect(summarizeSync(null, true)).toMatchObject({ tone: 'neutral', state: 'Waiting for the back-office host' });
  });

  it('idle and nothing pending: up to date', () => {
    expect(summarizeSync(syncStatus(), true)).toMatchObject({
      tone: 'ok',
      connection: 'Online',
      state: 'Up to date',
      pending: 'Nothing waiting',
    });
  });

  it('pending changes show their count and the oldest age, grown since the status arrived', () => {
    const s = summarizeSync(syncStatus({ pending: 3, oldestPendingAgeMs: 4 * 60_000 }), true, 60_000);
    expect(s).toMatchObject({
      tone: 'warning',
      state: 'Changes not yet synced',
      pending: '3 changes waiting · oldest 5 min',
    });
  });

  it('offline keeps changes locally and says so', () => {
    const s = summarizeSync(
      syncStatus({ online: false, state: 'offline', pending: 1, oldestPendingAgeMs: 30_000 }),
      true,
    );
    expect(s).toMatchObject({ tone: 'warning', connection: 'Offline', pending: '1 change waiting · oldest <1 min' });
    expect(s.state).toMatch(/offline/i);
  });

  it('first download shows progress, or an indeterminate bar without a total', () => {
    const known = summarizeSync(syncStatus({ state: 'downloading', progress: { done: 25_000, total: 100_000 } }), true);
    expect(known).toMatchObject({ tone: 'busy', progress: 0.25 });
    expect(known.progressText).toMatch(/25.000 of 100.000 rows \(25%\)/);
    const unknown = summarizeSync(syncStatus({ state: 'downloading', progress: { done: 10, total: null } }), true);
    expect(unknown.progress).toBeNull();
  });

  it('pulling, pushing, error and signed out each have their words', () => {
    expect(summarizeSync(syncStatus({ state: 'pulling' }), true).state).toBe('Receiving changes…');
    expect(summarizeSync(syncStatus({ state: 'pushing', pending: 2 }), true).state).toBe('Sending 2 changes…');
    expect(summarizeSync(syncStatus({ state: 'error', lastError: 'boom' }), true)).toMatchObject({ tone: 'danger' });
    expect(summarizeSync(syncStatus({ state: 'signed_out', user: null }), true).state).toMatch(/Signed out/);
  });

  it('a host that stopped answering outranks everything: the figures may be stale', () => {
    const s = summarizeSync(syncStatus({ state: 'idle' }), false);
    expect(s).toMatchObject({ tone: 'danger', connection: 'Host not answering' });
  });

  it('says network errors plainly and drops the request line from others', () => {
    expect(plainError('Offline: GET /api/v1/sync/pull?clientId=x&cursor=y: ECONNREFUSED')).toBe(
      'Cannot reach the server',
    );
    expect(plainError('POST /api/v1/sync/push: Session expired, sign in again')).toBe('Session expired, sign in again');
    expect(plainError(null)).toBeNull();
    for (const raw of [
      'GET /api/v1/sync/pull?cursor=c: UND_ERR_SOCKET',
      'POST /api/v1/sync/push: UND_ERR_CONNECT_TIMEOUT',
      'event stream broke: terminated',
      'unreadable answer to GET /api/v1/sync/pull: other side closed',
    ])
      expect(plainError(raw), raw).toBe('Cannot reach the server');
    expect(plainError('server answered 502')).toBe('The server had a problem (error 502); retrying');
    expect(summarizeSync(syncStatus({ lastError: 'fetch failed' }), true).error).toBe('Cannot reach the server');
  });
});

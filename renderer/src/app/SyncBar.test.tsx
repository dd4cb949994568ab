import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { SyncStatus } from '../../../shared/contract/backoffice.js';
import { useSyncStore } from '../lib/stores/sync.js';
import { useToastStore } from '../lib/stores/toasts.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../test/fake-bridge.js';
import { SyncBar } from './SyncBar.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useToastStore.setState({ toasts: [] });
});

function show(status: SyncStatus | null, hostConnected = true) {
  useSyncStore.setState({ status, hostConnected, receivedAt: Date.now() });
  render(
    <Router hook={memoryLocation({ path: '/dashboard' }).hook}>
      <SyncBar />
    </Router>,
  );
  return screen.getByRole('region', { name: 'Sync status' });
}

describe('SyncBar', () => {
  it('idle: online, up to date, last sync time', () => {
    const bar = show(syncStatus());
    expect(bar.textContent).toContain('Online');
    expect(bar.textContent).toContain('Up to date');
    expect(bar.textContent).toContain('Nothing waiting');
    expect(bar.textContent).toContain('Last sync 2 min ago');
    expect(within(bar).queryByRole('progressbar')).toBeNull();
  });

  it('offline with pending changes and an error', () => {
    const bar = show(
      syncStatus({
        online: false,
        state: 'offline',
        pending: 4,
        oldestPendingAgeMs: 3 * 3600_000,
        lastError: 'GET /api/v1/sync/pull?x=1: fetch failed',
      }),
    );
    expect(bar.textContent).toContain('Offline');
    expect(bar.textContent).toContain('4 changes waiting · oldest 3 h');
    const error = within(bar).getByTitle('GET /api/v1/sync/pull?x=1: fetch failed');
    expect(error.textContent).toBe('Cannot reach the server');
  });

  it('never synced says so', () => {
    expect(show(syncStatus({ lastSyncAt: null })).textContent).toContain('Last sync never');
  });

  it('first download: a progress bar with rows done of total', () => {
    const bar = show(syncStatus({ state: 'downloading', progress: { done: 40, total: 160 } }));
    const progress = within(bar).getByRole('progressbar');
    expect(progress.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.textContent).toContain('40 of 160 rows (25%)');
    expect(within(bar).getByRole('button', { name: /Sync now/ })).toHaveProperty('disabled', true);
  });

  it('conflicts, rejections and oversells link to their screens; zero ones are hidden', () => {
    const bar = show(syncStatus({ conflicts: 2, rejections: 1, oversells: 0 }));
    expect(within(bar).getByRole('link', { name: '2 conflicts' }).getAttribute('href')).toBe('/conflicts');
    expect(within(bar).getByRole('link', { name: '1 rejected change' }).getAttribute('href')).toBe(
      '/conflicts/rejections',
    );
    expect(within(bar).queryByRole('link', { name: /oversell/ })).toBeNull();
  });

  it('host not answering is shown in place of the connection', () => {
    expect(show(syncStatus(), false).textContent).toContain('Host not answering');
  });

  it('Sync now asks the host and shows the answer; a failure becomes a toast', async () => {
    const user = userEvent.setup();
    fake.answer('sync:now', syncStatus({ pending: 0, lastSyncAt: new Date().toISOString() }));
    const bar = show(syncStatus({ pending: 2, oldestPendingAgeMs: 1000 }));
    await user.click(within(bar).getByRole('button', { name: /Sync now/ }));
    await waitFor(() => expect(bar.textContent).toContain('Last sync just now'));
    expect(fake.calls.map((c) => c.channel)).toContain('sync:now');
    fake.fail('sync:now', 'service_unavailable', 'Cannot reach the server');
    await user.click(within(bar).getByRole('button', { name: /Sync now/ }));
    await waitFor(() =>
      expect(useToastStore.getState().toasts[0]).toMatchObject({
        title: 'Sync did not run',
        body: 'Cannot reach the server',
      }),
    );
  });

  it('signed out: Sync now is disabled', () => {
    const bar = show(syncStatus({ state: 'signed_out', user: null }));
    expect(within(bar).getByRole('button', { name: /Sync now/ })).toHaveProperty('disabled', true);
  });
});

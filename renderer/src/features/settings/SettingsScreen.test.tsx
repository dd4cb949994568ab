import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSessionStore } from '../../lib/stores/session.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { SettingsScreen } from './SettingsScreen.js';

const staff = { email: 'sam@nexus.local', name: 'Sam Staff', role: 'staff' };
let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  fake.answer('settings:get', { serverUrl: 'http://127.0.0.1:3000', storeRecovery: null });
  useSessionStore.setState({ user: staff });
  useSyncStore.setState({ status: syncStatus({ pending: 0 }) });
});

const sent = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);
const errorOf = (label: RegExp) => {
  const ids = screen.getByLabelText(label).getAttribute('aria-describedby')?.split(' ') ?? [];
  const id = ids.find((i) => i.endsWith('-error'));
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
};

async function serverField() {
  const field = await screen.findByLabelText(/Server address/);
  await waitFor(() => expect(field).toHaveProperty('value', 'http://127.0.0.1:3000'));
  return field;
}

describe('SettingsScreen', () => {
  it('checks the server address before saving it', async () => {
    const user = userEvent.setup();
    render(<SettingsScreen />);
    const field = await serverField();
    await user.clear(field);
    await user.type(field, 'ftp://shop{Enter}');
    expect(errorOf(/Server address/)).toBe('must be an http(s) URL');
    await user.clear(field);
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(errorOf(/Server address/)).toMatch(/Enter the central server's address/);
    expect(sent('settings:setServerUrl')).toEqual([]);

    fake.answer('settings:setServerUrl', { serverUrl: 'https://shop.example.com', storeRecovery: null });
    await user.type(field, 'https://shop.example.com{Enter}');
    await waitFor(() => expect(sent('settings:setServerUrl')).toEqual([{ url: 'https://shop.example.com' }]));
  });

  it('shows where a damaged local database was kept', async () => {
    fake.answer('settings:get', {
      serverUrl: 'http://127.0.0.1:3000',
      storeRecovery: { reason: 'file is not a database', backupPath: '/data/nexus.damaged-1.sqlite' },
    });
    render(<SettingsScreen />);
    expect(await screen.findByText('/data/nexus.damaged-1.sqlite')).toBeTruthy();
    expect(screen.getByText(/was damaged and has been replaced/)).toBeTruthy();
  });

  it('shows who is signed in and signs out at once when nothing is waiting', async () => {
    fake.answer('auth:logout', { ok: true });
    const user = userEvent.setup();
    render(<SettingsScreen />);
    expect(screen.getByText('Sam Staff')).toBeTruthy();
    expect(screen.getByText('staff')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(useSessionStore.getState().user).toBeNull());
  });

  it('asks first when changes are still waiting, and staying keeps the session', async () => {
    useSyncStore.setState({ status: syncStatus({ pending: 3 }) });
    fake.answer('auth:logout', { ok: true });
    const user = userEvent.setup();
    render(<SettingsScreen />);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/3 changes have not reached the server yet/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Stay signed in' }));
    expect(sent('auth:logout')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(screen.getByRole('button', { name: 'Sign out anyway' }));
    await waitFor(() => expect(useSessionStore.getState().user).toBeNull());
  });

  it('shows the app version', async () => {
    render(<SettingsScreen />);
    expect(screen.getByText(/^Version \d+\.\d+\.\d+/)).toBeTruthy();
  });
});

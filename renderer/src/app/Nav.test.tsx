import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSessionStore } from '../lib/stores/session.js';
import { useSyncStore } from '../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../test/fake-bridge.js';
import { Nav } from './Nav.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  fake.answer('auth:logout', { ok: true });
  useSessionStore.setState({ user: { email: 'sam@nexus.local', name: 'Sam Staff', role: 'staff' } });
});
const logouts = () => fake.calls.filter((c) => c.channel === 'auth:logout').length;

describe('Nav: sign out', () => {
  it('signs out at once when nothing is waiting', async () => {
    useSyncStore.setState({ status: syncStatus({ pending: 0 }) });
    render(<Nav />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(useSessionStore.getState().user).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('asks first when changes are waiting, as the settings screen does', async () => {
    useSyncStore.setState({ status: syncStatus({ pending: 1 }) });
    const user = userEvent.setup();
    render(<Nav />);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/1 change has not reached the server yet/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Stay signed in' }));
    expect(logouts()).toBe(0);
    expect(useSessionStore.getState().user).not.toBeNull();
  });
});

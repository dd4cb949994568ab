import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSessionStore } from '../lib/stores/session.js';
import { installFakeBridge, type FakeBridge } from '../test/fake-bridge.js';
import { LoginScreen } from './LoginScreen.js';

const staff = { email: 'staff@nexus.local', name: 'Sam', role: 'staff' };
let fake: FakeBridge;

beforeEach(() => {
  fake = installFakeBridge();
  fake.answer('settings:get', { serverUrl: 'http://127.0.0.1:3000', storeRecovery: null });
  useSessionStore.setState({ user: null });
});

async function fill(values: { server?: string; email?: string; password?: string }) {
  const user = userEvent.setup();
  render(<LoginScreen />);
  const server = screen.getByLabelText(/Server address/);
  await waitFor(() => expect(server).toHaveProperty('value', 'http://127.0.0.1:3000'));
  if (values.server !== undefined) {
    await user.clear(server);
    if (values.server) await user.type(server, values.server);
  }
  if (values.email) await user.type(screen.getByLabelText(/E-mail/), values.email);
  if (values.password) await user.type(screen.getByLabelText(/Password/), values.password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return user;
}

/** The error text wired to a field through aria-describedby. */
function errorOf(label: RegExp): string | null {
  const input = screen.getByLabelText(label);
  const id = input.getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

describe('LoginScreen', () => {
  it('prefills the server address from settings and signs in', async () => {
    fake.answer('auth:login', staff);
    await fill({ email: 'staff@nexus.local', password: 'secret-pw' });
    await waitFor(() => expect(useSessionStore.getState().user).toEqual(staff));
    const login = fake.calls.find((c) => c.channel === 'auth:login');
    expect(login?.input).toEqual({
      serverUrl: 'http://127.0.0.1:3000',
      email: 'staff@nexus.local',
      password: 'secret-pw',
    });
  });

  it('shows empty and invalid fields on the field and sends nothing', async () => {
    await fill({ server: 'ftp://shop', email: 'not-an-email' });
    expect(errorOf(/Server address/)).toBe('must be an http(s) URL');
    expect(errorOf(/E-mail/)).toBe('must be a valid e-mail address');
    expect(errorOf(/Password/)).toBe('Enter your password');
    expect(screen.getByLabelText(/E-mail/).getAttribute('aria-invalid')).toBe('true');
    expect(fake.calls.some((c) => c.channel === 'auth:login')).toBe(false);
  });

  it('asks for a server address when there is none', async () => {
    await fill({ server: '', email: 'staff@nexus.local', password: 'pw' });
    expect(errorOf(/Server address/)).toMatch(/Enter the central server's address/);
    expect(fake.calls.some((c) => c.channel === 'auth:login')).toBe(false);
  });

  it('says clearly when the credentials are wrong', async () => {
    fake.fail('auth:login', 'invalid_credentials', 'Invalid email or password');
    await fill({ email: 'staff@nexus.local', password: 'wrong' });
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong e-mail or password.');
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('says clearly when no server answers at the address', async () => {
    fake.fail('auth:login', 'service_unavailable', 'Cannot reach the server: ECONNREFUSED');
    await fill({ server: 'http://127.0.0.1:1', email: 'staff@nexus.local', password: 'pw' });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Cannot reach a server at http://127.0.0.1:1. Check the address and that the server is running.',
    );
  });

  it('says when the address answers but is not a Nexus server', async () => {
    fake.fail('auth:login', 'not_found', 'Not Found');
    await fill({ server: 'http://example.test', email: 'staff@nexus.local', password: 'pw' });
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not answer like a Nexus server/);
  });

  it('shows the errors the host puts on fields', async () => {
    fake.fail('auth:login', 'validation_failed', 'invalid input', [{ path: 'email', message: 'Unknown domain' }]);
    await fill({ email: 'staff@nexus.local', password: 'pw' });
    await waitFor(() => expect(errorOf(/E-mail/)).toBe('Unknown domain'));
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
  });

  it('warns when the local store was damaged and set aside', async () => {
    fake.answer('settings:get', {
      serverUrl: null,
      storeRecovery: { reason: 'corrupt file', backupPath: '/tmp/bo.db.bad' },
    });
    render(<LoginScreen />);
    expect((await screen.findByRole('status')).textContent).toMatch(/set aside at \/tmp\/bo\.db\.bad/);
  });
});

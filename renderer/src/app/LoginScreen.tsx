/**
 * Connect & log in: the central server's address and staff credentials. Fields are checked
 * against the contract before sending; what the host or server refuses is shown on the field it
 * names, or as one clear sentence above the form.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Banner } from '../components/Banner.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/TextField.js';
import { ApiError, call, type FieldErrors } from '../lib/api.js';
import { validate } from '../lib/validate.js';
import { useSessionStore } from '../lib/stores/session.js';

type Recovery = { reason: string; backupPath: string } | null;

/** The sentence for a failed sign-in, by the contract's error code. */
export function loginErrorMessage(error: unknown, serverUrl: string): string {
  if (!(error instanceof ApiError)) return 'Signing in failed. Try again.';
  switch (error.code) {
    case 'validation_failed':
      return 'Check the highlighted fields.';
    case 'invalid_credentials':
    case 'unauthorized':
      return 'Wrong e-mail or password.';
    case 'service_unavailable':
      return `Cannot reach a server at ${serverUrl}. Check the address and that the server is running.`;
    case 'not_found':
    case 'bad_request':
      return `${serverUrl} does not answer like a Nexus server. Check the address.`;
    case 'forbidden':
      return 'This account cannot use the back-office: it needs a staff or admin role.';
    case 'rate_limited':
      return 'Too many attempts. Wait a minute, then try again.';
    default:
      return error.message;
  }
}

export function LoginScreen() {
  const login = useSessionStore((state) => state.login);
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<Recovery>(null);

  useEffect(() => {
    // The saved address fills the field unless the user already typed one.
    call('settings:get').then(
      (settings) => {
        setServerUrl((typed) => typed || settings.serverUrl || '');
        setRecovery(settings.storeRecovery);
      },
      () => undefined,
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { serverUrl: serverUrl.trim(), email: email.trim(), password };
    const errors = validate('auth:login', input) ?? {};
    // An empty field deserves plainer words than the schema's "too small".
    if (!input.serverUrl) errors.serverUrl = "Enter the central server's address, e.g. http://127.0.0.1:3000";
    if (!input.email) errors.email = 'Enter your e-mail address';
    if (!input.password) errors.password = 'Enter your password';
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setMessage(null);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await login(input);
    } catch (error) {
      setFieldErrors(error instanceof ApiError ? error.fieldErrors : {});
      setMessage(loginErrorMessage(error, input.serverUrl));
      setBusy(false);
    }
  };

  return (
    <div className="center-screen login-screen">
      <form
        className="card card-narrow login-card"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-labelledby="login-title"
      >
        <div className="login-brand">
          <span className="nav-logo" aria-hidden>
            N
          </span>
          <div>
            <h1 id="login-title" className="card-title">
              Sign in to Nexus
            </h1>
            <p className="muted">Back-office for staff. Works offline once signed in.</p>
          </div>
        </div>
        {recovery && (
          <Banner tone="warning">
            The local database was damaged ({recovery.reason}) and has been set aside at{' '}
            <code>{recovery.backupPath}</code>. Signing in downloads everything again.
          </Banner>
        )}
        {message && <Banner tone="danger">{message}</Banner>}
        <TextField
          label="Server address"
          name="serverUrl"
          type="url"
          value={serverUrl}
          onChange={setServerUrl}
          error={fieldErrors.serverUrl}
          placeholder="https://shop.example.com"
          autoComplete="url"
          required
        />
        <TextField
          label="E-mail"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
          autoComplete="username"
          autoFocus
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
          autoComplete="current-password"
          required
        />
        <Button type="submit" variant="primary" busy={busy} className="login-submit">
          Sign in
        </Button>
      </form>
    </div>
  );
}

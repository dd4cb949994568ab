/** Signed in → the shell; signed out → connect & log in; until the host answers → a quiet splash. */
import { useEffect, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { Banner } from '../components/Banner.js';
import { Spinner } from '../components/Spinner.js';
import { Toasts } from '../components/Toasts.js';
import { errorMessage } from '../lib/api.js';
import { useSessionStore } from '../lib/stores/session.js';
import { LoginScreen } from './LoginScreen.js';
import { Shell } from './Shell.js';

export function App() {
  const user = useSessionStore((state) => state.user);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    useSessionStore
      .getState()
      .load()
      .catch((error: unknown) => setLoadError(errorMessage(error)));
  }, []);

  let body;
  if (user) body = <Shell />;
  else if (user === null) body = <LoginScreen />;
  else if (loadError)
    body = (
      <div className="center-screen">
        <div className="card card-narrow">
          <Banner tone="danger">{loadError}</Banner>
        </div>
      </div>
    );
  else
    body = (
      <div className="center-screen">
        <Spinner size={20} label="Loading" />
      </div>
    );
  return (
    <Router hook={useHashLocation}>
      {body}
      <Toasts />
    </Router>
  );
}

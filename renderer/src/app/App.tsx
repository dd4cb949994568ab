/** Signed in → the shell; signed out → connect & log in; until the host answers → a quiet splash. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { Banner } from '../components/Banner.js';
import { Spinner } from '../components/Spinner.js';
import { Toasts } from '../components/Toasts.js';
import { errorMessage } from '../lib/api.js';
import { loadSession, useSessionStore } from '../lib/stores/session.js';
import { Shell } from './Shell.js';

// Signed-out only, and its form's checks need the contract's schemas: kept out of the start-up bundle.
const LoginScreen = lazy(() => import('./LoginScreen.js').then((m) => ({ default: m.LoginScreen })));

export function App() {
  const user = useSessionStore((state) => state.user);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    loadSession().catch((error: unknown) => setLoadError(errorMessage(error)));
  }, []);

  let body;
  if (user) body = <Shell />;
  else if (user === null)
    body = (
      <Suspense fallback={<Splash />}>
        <LoginScreen />
      </Suspense>
    );
  else if (loadError)
    body = (
      <div className="center-screen">
        <div className="card card-narrow">
          <Banner tone="danger">{loadError}</Banner>
        </div>
      </div>
    );
  else body = <Splash />;
  return (
    <Router hook={useHashLocation}>
      {body}
      <Toasts />
    </Router>
  );
}

const Splash = () => (
  <div className="center-screen">
    <Spinner size={20} label="Loading" />
  </div>
);

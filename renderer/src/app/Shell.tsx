/** The signed-in frame: navigation on the left, the sync bar always on top, the routed screen below. */
import { Suspense, useEffect } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { EmptyState } from '../components/EmptyState.js';
import { call } from '../lib/api.js';
import { useSyncStore } from '../lib/stores/sync.js';
import { Page } from '../components/Page.js';
import { Nav } from './Nav.js';
import { ROUTES } from './routes.js';
import { useGlobalShortcuts } from './shortcuts.js';
import { SyncBar } from './SyncBar.js';

export function Shell() {
  const [, navigate] = useLocation();
  useGlobalShortcuts(navigate);
  // Signing in changed the host's state: show it now rather than at the next (throttled) status event.
  useEffect(() => {
    call('sync:status').then(
      (status) => useSyncStore.getState().setStatus(status),
      () => undefined,
    );
  }, []);
  return (
    <div className="shell">
      <Nav />
      <div className="shell-main">
        <SyncBar />
        <main className="shell-content" id="content">
          <Suspense fallback={<div className="shell-loading" role="status" aria-label="Loading" />}>
            <Switch>
              {ROUTES.map((route) => (
                <Route key={route.path} path={route.path} component={route.component} />
              ))}
              <Route path="/">
                <Redirect to="/dashboard" replace />
              </Route>
              <Route>
                <Page title="Not found">
                  <EmptyState title="There is no such screen">Pick one on the left.</EmptyState>
                </Page>
              </Route>
            </Switch>
          </Suspense>
        </main>
      </div>
    </div>
  );
}

/** Who is signed in, and signing out (app/use-sign-out.tsx asks first when changes are waiting). */
import { useSignOut } from '../../app/use-sign-out.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { useSessionStore } from '../../lib/stores/session.js';

export function AccountPanel() {
  const user = useSessionStore((s) => s.user);
  const signOut = useSignOut();
  return (
    <section className="panel" aria-labelledby="settings-account-title">
      <header className="panel-header">
        <h2 className="panel-title" id="settings-account-title">
          Signed in
        </h2>
      </header>
      <div className="panel-body row row-wrap settings-account">
        <span className="settings-avatar" aria-hidden>
          {(user?.name || user?.email || '?').slice(0, 1).toUpperCase()}
        </span>
        <div className="cell-stack">
          <span className="strong">{user?.name || user?.email}</span>
          <span className="muted">{user?.email}</span>
        </div>
        {user && <Badge tone="accent">{user.role}</Badge>}
        <span className="toolbar-spacer" />
        <Button busy={signOut.busy} onClick={signOut.request}>
          Sign out
        </Button>
      </div>
      {signOut.dialog}
    </section>
  );
}

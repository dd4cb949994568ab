/**
 * Who is signed in, and signing out (auth:logout). Changes not yet sent stay in this device's
 * outbox and go out after the next sign-in, so signing out with some waiting asks first.
 */
import { useState } from 'react';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { useSessionStore } from '../../lib/stores/session.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { toast } from '../../lib/stores/toasts.js';

export function AccountPanel() {
  const user = useSessionStore((s) => s.user);
  const logout = useSessionStore((s) => s.logout);
  const pending = useSyncStore((s) => s.status?.pending ?? 0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const signOut = async () => {
    setBusy(true);
    try {
      await logout();
    } catch (error) {
      toast({ tone: 'danger', title: 'Could not sign out', body: errorMessage(error) });
      setBusy(false);
      setConfirming(false);
    }
  };

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
        <Button busy={busy && !confirming} onClick={() => (pending > 0 ? setConfirming(true) : void signOut())}>
          Sign out
        </Button>
      </div>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Sign out with changes waiting?"
        size="sm"
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Stay signed in</Button>
            <Button variant="danger" busy={busy} onClick={() => void signOut()}>
              Sign out anyway
            </Button>
          </>
        }
      >
        <p>
          {formatCount(pending)} {pending === 1 ? 'change has' : 'changes have'} not reached the server yet. They stay
          on this device and are sent after the next sign-in; until then nobody else sees them.
        </p>
      </Dialog>
    </section>
  );
}

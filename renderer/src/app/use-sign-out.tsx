/**
 * Signing out, from the side menu or the settings screen. Changes not yet sent stay in this
 * device's outbox and go out after the next sign-in, so signing out with some waiting asks first.
 * `request()` signs out at once or opens the question; render `dialog` wherever the button is.
 */
import { useState } from 'react';
import { Button } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { errorMessage } from '../lib/api.js';
import { formatCount } from '../lib/format.js';
import { useSessionStore } from '../lib/stores/session.js';
import { useSyncStore } from '../lib/stores/sync.js';
import { toast } from '../lib/stores/toasts.js';

export function useSignOut() {
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

  const dialog = (
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
        {formatCount(pending)} {pending === 1 ? 'change has' : 'changes have'} not reached the server yet. They stay on
        this device and are sent after the next sign-in; until then nobody else sees them.
      </p>
    </Dialog>
  );

  return {
    request: () => (pending > 0 ? setConfirming(true) : void signOut()),
    /** True while signing out without a question open (the question has its own busy button). */
    busy: busy && !confirming,
    dialog,
  };
}

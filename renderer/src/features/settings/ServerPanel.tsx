/** The central server's address (settings:get / settings:setServerUrl), checked before it is saved. */
import { useEffect, useState } from 'react';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/TextField.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';

export function ServerPanel({ current, onSaved }: { current: string | null; onSaved: () => void }) {
  const [url, setUrl] = useState(current ?? '');
  const action = useFormAction('settings:setServerUrl', { fields: ['url'] });
  // A reload (another window saved it) replaces an untouched field.
  useEffect(() => setUrl(current ?? ''), [current]);
  const changed = url.trim() !== (current ?? '');

  const submit = async () => {
    const next = url.trim();
    const saved = await action.submit(
      { url: next },
      next ? undefined : { url: "Enter the central server's address, e.g. https://shop.example.com" },
    );
    if (!saved) return;
    toast({ tone: 'success', title: 'Server address saved', body: saved.serverUrl ?? undefined });
    onSaved();
  };

  return (
    <section className="panel" aria-labelledby="settings-server-title">
      <header className="panel-header">
        <h2 className="panel-title" id="settings-server-title">
          Central server
        </h2>
      </header>
      <form
        className="panel-body stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {action.formError && <Banner tone="danger">{action.formError}</Banner>}
        <TextField
          label="Server address"
          type="url"
          value={url}
          onChange={(value) => {
            setUrl(value);
            action.clearField('url');
          }}
          error={action.errors.url}
          hint="Change it only when the shop's server moved. Changes waiting on this device are sent to the new address."
          placeholder="https://shop.example.com"
          autoComplete="url"
          required
        />
        <div className="row">
          <Button type="submit" variant="primary" busy={action.busy} disabled={!changed}>
            Save address
          </Button>
          {changed && (
            <Button variant="ghost" onClick={() => setUrl(current ?? '')}>
              Undo
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

/** Settings: the server address, the signed-in user, the damaged-store notice, and what this app is. */
import { version } from '../../../../package.json';
import { Banner } from '../../components/Banner.js';
import { Page } from '../../components/Page.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Spinner } from '../../components/Spinner.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { useChannel } from '../../lib/use-channel.js';
import '../workspace.css';
import { AccountPanel } from './AccountPanel.js';
import { ServerPanel } from './ServerPanel.js';
import './settings.css';

export function SettingsScreen() {
  const { data, error, reload } = useChannel('settings:get', {});
  return (
    <Page title="Settings">
      <div className="settings-grid">
        <div className="stack">
          {data?.storeRecovery && (
            <Banner tone="warning">
              <div>
                <strong>The local database was damaged and has been replaced.</strong> ({data.storeRecovery.reason}) The
                damaged copy is kept at <code>{data.storeRecovery.backupPath}</code>; nothing was deleted. Everything
                the server has was downloaded again.
              </div>
            </Banner>
          )}
          {error !== undefined && <Banner tone="danger">{errorMessage(error)}</Banner>}
          {data ? (
            <ServerPanel current={data.serverUrl} onSaved={reload} />
          ) : (
            error === undefined && (
              <div className="loading-block">
                <Spinner size={20} label="Loading settings" />
              </div>
            )
          )}
          <AccountPanel />
        </div>
        <div className="stack">
          <AboutPanel />
          <ShortcutsPanel />
        </div>
      </div>
    </Page>
  );
}

function AboutPanel() {
  const status = useSyncStore((s) => s.status);
  return (
    <section className="panel" aria-labelledby="settings-about-title">
      <header className="panel-header">
        <h2 className="panel-title" id="settings-about-title">
          About this app
        </h2>
      </header>
      <div className="panel-body">
        <dl className="kv">
          <dt>Nexus back-office</dt>
          <dd>Version {version}</dd>
          <dt>Running as</dt>
          <dd>{window.nexus ? 'Desktop app' : 'Browser tab served by this computer'}</dd>
          <dt>Last sync</dt>
          <dd>
            <RelativeTime at={status?.lastSyncAt} fallback="never" />
          </dd>
          <dt>Waiting to send</dt>
          <dd>{formatCount(status?.pending ?? 0)} changes</dd>
          {status?.epoch && (
            <>
              <dt>Server data generation</dt>
              <dd className="mono small">{status.epoch}</dd>
            </>
          )}
        </dl>
      </div>
    </section>
  );
}

function ShortcutsPanel() {
  return (
    <section className="panel" aria-labelledby="settings-keys-title">
      <header className="panel-header">
        <h2 className="panel-title" id="settings-keys-title">
          Keyboard
        </h2>
      </header>
      <div className="panel-body">
        <dl className="kv small">
          <div className="settings-key">
            <dt>Open a screen</dt>
            <dd>
              <kbd>g</kbd> then its letter (shown in the menu), or <kbd>Ctrl</kbd>+<kbd>1</kbd>…<kbd>8</kbd>
            </dd>
          </div>
          <div className="settings-key">
            <dt>Move in a table</dt>
            <dd>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>PgUp</kbd> <kbd>PgDn</kbd>, <kbd>Enter</kbd> opens
            </dd>
          </div>
          <div className="settings-key">
            <dt>Search</dt>
            <dd>
              <kbd>/</kbd>
            </dd>
          </div>
          <div className="settings-key">
            <dt>Reviews</dt>
            <dd>
              <kbd>a</kbd> approve, <kbd>r</kbd> reject
            </dd>
          </div>
        </dl>
      </div>
    </section>
  );
}

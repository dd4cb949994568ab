/**
 * Always on screen (SYNC.md rule 10): connection, what sync is doing, what is still waiting and
 * since when, the last successful sync, the last error, and the conflicts, rejections and oversells
 * that need a person, each linking to its screen.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { Button } from '../components/Button.js';
import { RelativeTime, useNow } from '../components/RelativeTime.js';
import { call, errorMessage } from '../lib/api.js';
import { useSyncStore } from '../lib/stores/sync.js';
import { toast } from '../lib/stores/toasts.js';
import { Icon } from './icons.js';
import { summarizeSync } from './sync-summary.js';

export function SyncBar() {
  const { status, hostConnected, receivedAt } = useSyncStore();
  const now = useNow();
  const summary = summarizeSync(status, hostConnected, receivedAt ? Math.max(0, now - receivedAt) : 0);
  const [syncing, setSyncing] = useState(false);
  const busy = syncing || summary.tone === 'busy';

  const syncNow = async () => {
    setSyncing(true);
    try {
      useSyncStore.getState().setStatus(await call('sync:now'));
    } catch (error) {
      toast({ tone: 'danger', title: 'Sync did not run', body: errorMessage(error) });
    } finally {
      setSyncing(false);
    }
  };

  return (
    <div className={`syncbar syncbar-${summary.tone}`} role="region" aria-label="Sync status">
      <div className="syncbar-row">
        <span className="syncbar-connection" data-online={status?.online ?? false}>
          <span className="syncbar-dot" aria-hidden />
          {summary.connection}
        </span>
        <span className="syncbar-state" aria-live="polite">
          {summary.state}
          {summary.progressText && <span className="syncbar-progress-text"> · {summary.progressText}</span>}
        </span>
        {summary.pending && <span className="syncbar-item">{summary.pending}</span>}
        {status && (
          <span className="syncbar-item">
            Last sync <RelativeTime at={status.lastSyncAt} fallback="never" />
          </span>
        )}
        {summary.error && (
          <span className="syncbar-error" title={status?.lastError ?? undefined}>
            {summary.error}
          </span>
        )}
        <span className="syncbar-spacer" />
        {status && <Attention count={status.conflicts} label="conflict" href="/conflicts" />}
        {status && <Attention count={status.rejections} label="rejected change" href="/conflicts/rejections" />}
        {status && <Attention count={status.oversells} label="oversell" href="/inventory/oversells" />}
        <Button
          size="sm"
          variant="ghost"
          icon={<Icon name="sync" size={14} />}
          busy={syncing}
          disabled={busy || !status || status.state === 'signed_out'}
          onClick={() => void syncNow()}
          title="Push and pull now"
        >
          Sync now
        </Button>
      </div>
      {summary.progress !== undefined && (
        <div
          className="syncbar-progress"
          role="progressbar"
          aria-label="First download"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={summary.progress === null ? undefined : Math.floor(summary.progress * 100)}
          aria-valuetext={summary.progressText}
        >
          <div
            className={summary.progress === null ? 'syncbar-progress-fill indeterminate' : 'syncbar-progress-fill'}
            style={summary.progress === null ? undefined : { width: `${summary.progress * 100}%` }}
          />
        </div>
      )}
    </div>
  );
}

/** Hidden at zero: the bar stays calm until something needs a person. */
function Attention({ count, label, href }: { count: number; label: string; href: string }) {
  if (count === 0) return null;
  return (
    <Link href={href} className="syncbar-attention">
      {count} {count === 1 ? label : `${label}s`}
    </Link>
  );
}

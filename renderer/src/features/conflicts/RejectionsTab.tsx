/**
 * Changes the server refused (rejections:list). The host has already taken them back on screen;
 * the person reads why, redoes the change if still wanted, and dismisses the notice.
 */
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Spinner } from '../../components/Spinner.js';
import { call, errorMessage } from '../../lib/api.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useChannel } from '../../lib/use-channel.js';
import { RECORD_TABLES, useRecordsReload } from './ConflictsTab.js';
import { mutationLabel, mutationSummary, rejectionReason } from './describe.js';

type Rejection = ChannelOutput<'rejections:list'>['items'][number];

export function RejectionsTab() {
  const { data, error, reload } = useChannel('rejections:list', {}, { tables: RECORD_TABLES });
  useRecordsReload(reload, 'rejections');
  if (error !== undefined && !data) return <Banner tone="danger">{errorMessage(error)}</Banner>;
  if (!data)
    return (
      <div className="loading-block">
        <Spinner size={20} label="Loading rejected changes" />
      </div>
    );
  return (
    <div className="stack">
      <p className="explain">
        The server said no to these changes made on this device, so they were undone here: what you see in the app is
        the server’s version again. Read why, make the change again if it is still needed, then dismiss the notice.
      </p>
      {data.items.length === 0 ? (
        <EmptyState title="No rejected changes" icon="✓">
          The server accepted every change sent from this device.
        </EmptyState>
      ) : (
        <ul className="panel record-list" aria-label="Rejected changes">
          {data.items.map((item) => (
            <RejectionItem key={item.id} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RejectionItem({ item }: { item: Rejection }) {
  const [busy, setBusy] = useState(false);
  const summary = mutationSummary(item.name, item.args);
  const dismiss = async () => {
    setBusy(true);
    try {
      await call('rejections:dismiss', { id: item.id });
      bumpTables(RECORD_TABLES);
    } catch (error) {
      toast({ tone: 'danger', title: 'Could not dismiss', body: errorMessage(error) });
      setBusy(false);
    }
  };
  return (
    <li className="record-item">
      <div className="record-main">
        <div className="row row-wrap">
          <span className="strong">{mutationLabel(item.name)}</span>
          <Badge tone="danger">Refused</Badge>
          <span className="muted small">
            <RelativeTime at={item.at} />
          </span>
        </div>
        {summary && <div className="record-summary">{summary}</div>}
        <div className="small">
          {rejectionReason(item.code)} <span className="muted">Server: {item.message}</span>
        </div>
      </div>
      <Button size="sm" busy={busy} onClick={() => void dismiss()}>
        Dismiss
      </Button>
    </li>
  );
}

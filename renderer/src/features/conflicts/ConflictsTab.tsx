/**
 * Conflicts (conflicts:list): this device's change won over someone else's edit of the same field
 * (the later push wins). Each field shows both values side by side; the person keeps theirs or
 * restores the other one (conflicts:resolve, queued like any edit).
 */
import { useEffect, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Spinner } from '../../components/Spinner.js';
import { call, errorMessage } from '../../lib/api.js';
import { queuedNote } from '../../lib/saved.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { toast } from '../../lib/stores/toasts.js';
import { useChannel } from '../../lib/use-channel.js';
import { fieldLabel, formatValue, tableLabel } from './describe.js';

type Conflict = ChannelOutput<'conflicts:list'>['items'][number];

/** Local tables the sync records live in: resolving bumps them so the sync bar's screens agree. */
export const RECORD_TABLES = ['sync_conflicts', 'sync_rejections'];

/** Sync passes change the records without a `changed` event (they are not synced rows): follow the status counts. */
export function useRecordsReload(reload: () => void, count: 'conflicts' | 'rejections' | 'oversells') {
  const value = useSyncStore((s) => s.status?.[count]);
  const seen = useRef(value);
  useEffect(() => {
    if (value === seen.current) return;
    seen.current = value;
    reload();
  }, [value, reload]);
}

export function ConflictsTab() {
  const { data, error, loading, reload } = useChannel('conflicts:list', {}, { tables: RECORD_TABLES });
  useRecordsReload(reload, 'conflicts');
  if (error !== undefined && !data) return <Banner tone="danger">{errorMessage(error)}</Banner>;
  if (!data)
    return (
      <div className="loading-block">
        <Spinner size={20} label="Loading conflicts" />
      </div>
    );
  return (
    <div className="stack">
      <p className="explain">
        Someone else changed the same thing while this device had its own change waiting. Yours was sent last, so it is
        what the shop shows now. Their value is kept here so nothing is lost: keep yours, or restore theirs.
      </p>
      {error !== undefined && <Banner tone="danger">{errorMessage(error)}</Banner>}
      {data.items.length === 0 ? (
        <EmptyState title="No conflicts" icon="✓">
          {loading ? 'Checking…' : 'No change made here is waiting for your decision.'}
        </EmptyState>
      ) : (
        groupByRow(data.items).map((group) => <ConflictCard key={group[0]!.table + group[0]!.rowId} items={group} />)
      )}
    </div>
  );
}

function groupByRow(items: Conflict[]): Conflict[][] {
  const groups = new Map<string, Conflict[]>();
  for (const item of items) {
    const key = `${item.table}:${item.rowId}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

function ConflictCard({ items }: { items: Conflict[] }) {
  const first = items[0]!;
  return (
    <section className="panel conflict-card" aria-label={`${tableLabel(first.table)} ${first.label ?? ''}`}>
      <header className="panel-header">
        <div className="cell-stack">
          <span className="panel-title">{first.label ?? `${tableLabel(first.table)} ${first.rowId.slice(0, 8)}`}</span>
          <span className="cell-sub">
            {tableLabel(first.table)} · <RelativeTime at={first.at} />
          </span>
        </div>
      </header>
      <div className="conflict-grid" role="table" aria-label="Values side by side">
        <div role="row" className="conflict-row conflict-head">
          <span role="columnheader">Field</span>
          <span role="columnheader">Their value (overwritten)</span>
          <span role="columnheader">Your value (in the shop now)</span>
          <span role="columnheader">
            <span className="visually-hidden">Actions</span>
          </span>
        </div>
        {items.map((item) => (
          <ConflictRow key={item.id} item={item} />
        ))}
      </div>
    </section>
  );
}

function ConflictRow({ item }: { item: Conflict }) {
  const [busy, setBusy] = useState<'server' | 'mine' | null>(null);
  const resolve = async (keep: 'server' | 'mine') => {
    setBusy(keep);
    try {
      await call('conflicts:resolve', { id: item.id, keep });
      bumpTables([...RECORD_TABLES, item.table]);
      toast({
        tone: 'success',
        title: keep === 'server' ? `Restored their ${fieldLabel(item.field).toLowerCase()}` : 'Kept your value',
        body: keep === 'server' ? queuedNote() : undefined,
      });
    } catch (error) {
      toast({ tone: 'danger', title: 'Could not resolve the conflict', body: errorMessage(error) });
      setBusy(null);
    }
  };
  return (
    <div role="row" className="conflict-row">
      <span role="cell" className="strong">
        {fieldLabel(item.field)}
      </span>
      <span role="cell" className="conflict-value conflict-theirs">
        {formatValue(item.field, item.serverValue)}
      </span>
      <span role="cell" className="conflict-value conflict-mine">
        {formatValue(item.field, item.clientValue)}
      </span>
      <span role="cell" className="row conflict-actions">
        <Button size="sm" busy={busy === 'server'} disabled={busy !== null} onClick={() => void resolve('server')}>
          Restore theirs
        </Button>
        <Button
          size="sm"
          variant="primary"
          busy={busy === 'mine'}
          disabled={busy !== null}
          onClick={() => void resolve('mine')}
        >
          Keep mine
        </Button>
      </span>
    </div>
  );
}

/**
 * The order's history with a note box on top (orders:note, queued offline). The history is the
 * server's, synced down (timeline.ts): notes from every device show with their author; a note
 * written here shows as "not sent yet" until its event has come back.
 */
import { useState } from 'react';
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { TextField } from '../../components/TextField.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useFormAction } from '../../lib/use-form-action.js';
import { queuedNote } from '../../lib/saved.js';
import { buildTimeline } from './timeline.js';

export function OrderTimeline({ order, onChanged }: { order: OrderDetail; onChanged: (order: OrderDetail) => void }) {
  const [note, setNote] = useState('');
  const action = useFormAction('orders:note', { fields: ['note'] });
  const entries = buildTimeline(order);

  const submit = async () => {
    const text = note.trim();
    const updated = await action.submit(
      { orderId: order.id, note: text },
      text ? undefined : { note: 'Write the note first' },
    );
    if (!updated) return;
    setNote('');
    onChanged(updated);
    bumpTables(['orders']);
    const queued = queuedNote();
    if (queued) toast({ tone: 'info', title: 'Note saved', body: queued });
  };

  return (
    <section className="panel" aria-labelledby="order-timeline-title">
      <header className="panel-header">
        <h2 className="panel-title" id="order-timeline-title">
          Timeline
        </h2>
      </header>
      <div className="panel-body">
        <form
          className="note-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
          onKeyDown={(event) => {
            // Enter in the note sends it (Shift+Enter starts a new line), as in a chat box.
            if (event.key === 'Enter' && !event.shiftKey && event.target instanceof HTMLTextAreaElement) {
              event.preventDefault();
              void submit();
            }
          }}
        >
          {action.formError && <Banner tone="danger">{action.formError}</Banner>}
          <TextField
            label="Add a note"
            multiline
            value={note}
            onChange={(value) => {
              setNote(value);
              action.clearField('note');
            }}
            error={action.errors.note}
            placeholder="Only staff see notes"
          />
          <div className="note-form-actions">
            <span className="keys-hint">
              <kbd>Enter</kbd> adds · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line
            </span>
            <Button type="submit" size="sm" busy={action.busy}>
              Add note
            </Button>
          </div>
        </form>
        <ol className="timeline" aria-label="Order history, newest first">
          {entries.map((entry) => (
            <li key={entry.key} className="timeline-entry">
              <span className={`timeline-dot timeline-dot-${entry.tone}`} aria-hidden />
              <div className="cell-stack">
                <span className="row">
                  <span className="strong">{entry.title}</span>
                  {entry.pending && (
                    <Badge tone="warning" title="In this device's outbox: sent with the next sync">
                      Not sent yet
                    </Badge>
                  )}
                </span>
                {entry.detail && <span className="timeline-detail">{entry.detail}</span>}
                {entry.by && <span className="timeline-by">by {entry.by}</span>}
              </div>
              <span className="timeline-time">
                <RelativeTime at={entry.at} fallback="" />
              </span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

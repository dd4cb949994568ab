/**
 * Review moderation (reviews:list, reviews:moderate; decisions queue offline). Pending first; a / r
 * decide the selected review and move on to the next, j / k (or ↑ / ↓) move.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { REVIEW_STATUSES } from '../../../../shared/api/reviews.schemas.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { Spinner } from '../../components/Spinner.js';
import { Tabs } from '../../components/Tabs.js';
import { call, errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { bumpTables } from '../../lib/stores/data-version.js';
import { toast } from '../../lib/stores/toasts.js';
import { useChannel } from '../../lib/use-channel.js';
import '../workspace.css';
import { type Decision, type Review, ReviewCard } from './ReviewCard.js';
import { indexAfterDecision } from './review-keys.js';
import './reviews.css';
import { useReviewKeys } from './use-review-keys.js';

type Filter = (typeof REVIEW_STATUSES)[number] | 'all';
const PAGE = 50;
const TAB_LABELS: Record<Filter, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  all: 'All',
};

export function ReviewsScreen() {
  const [filter, setFilter] = useState<Filter>('pending');
  const [offset, setOffset] = useState(0);
  const input = { ...(filter === 'all' ? {} : { status: filter }), limit: PAGE, offset };
  const { data, error } = useChannel('reviews:list', input, { tables: ['reviews', 'products'] });
  const pending = useChannel('reviews:list', { status: 'pending', limit: 1 }, { tables: ['reviews'] }).data?.total;
  // Decided reviews leave a filtered list at once, before the reload that drops them arrives.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const items = useMemo(() => (data?.items ?? []).filter((r) => !decided.has(r.id)), [data, decided]);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState<{ id: string; decision: Decision } | null>(null);
  const [said, setSaid] = useState('');
  const listId = useId();

  const show = (next: Filter) => {
    setFilter(next);
    setOffset(0);
    setIndex(0);
    setDecided(new Set());
  };

  const decide = useCallback(
    async (review: Review, decision: Decision) => {
      if (busy || review.status === decision) return;
      setBusy({ id: review.id, decision });
      try {
        await call('reviews:moderate', { reviewId: review.id, status: decision });
        const leaves = filter !== 'all';
        if (leaves) setDecided((set) => new Set(set).add(review.id));
        setIndex((i) => indexAfterDecision(i, items.length, leaves));
        setSaid(`${decision === 'approved' ? 'Approved' : 'Rejected'}: ${review.title || 'review'}`);
        bumpTables(['reviews']);
      } catch (failure) {
        toast({ tone: 'danger', title: 'Could not moderate the review', body: errorMessage(failure) });
      } finally {
        setBusy(null);
      }
    },
    [busy, filter, items.length],
  );

  const selected = items[Math.min(index, items.length - 1)];
  useReviewKeys({
    onDecide: (decision) => selected && void decide(selected, decision),
    onMove: (step) => setIndex((i) => Math.max(0, Math.min(items.length - 1, i + step))),
  });
  useEffect(() => {
    if (selected) document.getElementById(`${listId}-${selected.id}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [selected, listId]);

  const total = data?.total ?? 0;
  return (
    <Page
      title="Reviews"
      subtitle={
        <span aria-live="polite">
          {[said, pending === undefined ? '' : `${formatCount(pending)} waiting for a decision`]
            .filter(Boolean)
            .join(' · ') || '\u00a0'}
        </span>
      }
    >
      <Tabs
        label="Review status"
        value={filter}
        onChange={show}
        tabs={(['pending', 'approved', 'rejected', 'all'] as const).map((value) => ({
          value,
          label: TAB_LABELS[value],
          ...(value === 'pending' && pending !== undefined ? { count: pending } : {}),
        }))}
      >
        <p className="keys-hint review-keys">
          <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>j</kbd> / <kbd>k</kbd> next / previous
        </p>
        {error !== undefined && <Banner tone="danger">{errorMessage(error)}</Banner>}
        {!data ? (
          <div className="loading-block">
            <Spinner size={20} label="Loading reviews" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState
            title={filter === 'pending' ? 'All caught up' : 'No reviews here'}
            icon={filter === 'pending' ? '✓' : undefined}
          >
            {filter === 'pending'
              ? 'No review is waiting for a decision.'
              : 'Reviews appear here as customers write them.'}
          </EmptyState>
        ) : (
          <ul className="review-list" aria-label="Reviews">
            {items.map((review, i) => (
              <ReviewCard
                key={review.id}
                id={`${listId}-${review.id}`}
                review={review}
                selected={review === selected}
                busy={busy?.id === review.id ? busy.decision : null}
                onSelect={() => setIndex(i)}
                onDecide={(decision) => void decide(review, decision)}
              />
            ))}
          </ul>
        )}
        {total > PAGE && (
          <div className="row review-pager">
            <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              ‹ Previous
            </Button>
            <span className="muted small">
              {formatCount(offset + 1)}–{formatCount(Math.min(offset + PAGE, total))} of {formatCount(total)}
              {data?.totalCapped ? '+' : ''}
            </span>
            <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Next ›
            </Button>
          </div>
        )}
      </Tabs>
    </Page>
  );
}

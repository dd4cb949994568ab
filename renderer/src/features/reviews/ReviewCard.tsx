/** One review in the moderation list: stars, title, body, product, verified purchase, status and decisions. */
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';

export type Review = ChannelOutput<'reviews:list'>['items'][number];
export type Decision = 'approved' | 'rejected';

const STATUS: Record<Review['status'], [string, BadgeTone]> = {
  pending: ['Pending', 'warning'],
  approved: ['Approved', 'success'],
  rejected: ['Rejected', 'neutral'],
};

export function Stars({ rating }: { rating: number }) {
  return (
    <span className="stars" role="img" aria-label={`${rating} out of 5 stars`}>
      <span className="stars-on">{'★'.repeat(rating)}</span>
      <span className="stars-off">{'★'.repeat(5 - rating)}</span>
    </span>
  );
}

export function ReviewCard({
  review,
  selected,
  busy,
  onSelect,
  onDecide,
  id,
}: {
  review: Review;
  selected: boolean;
  busy: Decision | null;
  onSelect: () => void;
  onDecide: (decision: Decision) => void;
  id: string;
}) {
  const [label, tone] = STATUS[review.status];
  return (
    <li
      id={id}
      aria-current={selected || undefined}
      className={selected ? 'review-card review-card-selected' : 'review-card'}
      onClick={onSelect}
    >
      <div className="review-head">
        <Stars rating={review.rating} />
        <span className="strong review-title">{review.title || <span className="muted">(no title)</span>}</span>
        <span className="toolbar-spacer" />
        <Badge tone={tone}>{label}</Badge>
      </div>
      <p className="review-body">{review.body}</p>
      <div className="review-meta">
        <span>{review.productName ?? 'Unknown product'}</span>
        {review.verifiedPurchase && (
          <Badge tone="success" title="The reviewer bought this product">
            ✓ Verified purchase
          </Badge>
        )}
        <span className="muted">
          <RelativeTime at={review.createdAt} />
        </span>
        <span className="toolbar-spacer" />
        <Button
          size="sm"
          variant={review.status === 'approved' ? 'ghost' : 'secondary'}
          busy={busy === 'approved'}
          disabled={busy !== null || review.status === 'approved'}
          onClick={(event) => {
            event.stopPropagation();
            onDecide('approved');
          }}
          aria-keyshortcuts="a"
        >
          Approve {selected && <kbd>a</kbd>}
        </Button>
        <Button
          size="sm"
          variant={review.status === 'rejected' ? 'ghost' : 'secondary'}
          busy={busy === 'rejected'}
          disabled={busy !== null || review.status === 'rejected'}
          onClick={(event) => {
            event.stopPropagation();
            onDecide('rejected');
          }}
          aria-keyshortcuts="r"
        >
          Reject {selected && <kbd>r</kbd>}
        </Button>
      </div>
    </li>
  );
}

/** The variant a stock dialog acts on, with its level now and what it becomes. */
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { formatCount } from '../../lib/format.js';

export type StockRow = ChannelOutput<'stock:levels'>['items'][number];

/** Tables a stock write changes: every screen showing stock reloads. */
export const STOCK_TABLES = ['variants', 'stock_levels', 'stock_movements', 'products'] as const;

export function VariantSummary({ variant, after }: { variant: StockRow; after: number | null }) {
  return (
    <div className="variant-summary">
      <div className="cell-stack">
        <span className="strong">{variant.productName}</span>
        <span className="muted small">
          <span className="mono">{variant.sku}</span>
          {variant.title && ` · ${variant.title}`}
        </span>
      </div>
      <div className="variant-summary-levels" aria-live="polite">
        <span className="muted small">On hand</span>
        <span className="variant-summary-figure">
          {formatCount(variant.onHand)}
          {after !== null && after !== variant.onHand && (
            <>
              <span className="muted" aria-hidden>
                {' → '}
              </span>
              <span className={after < 0 ? 'negative' : 'strong'} aria-label={`becomes ${after}`}>
                {formatCount(after)}
              </span>
            </>
          )}
        </span>
      </div>
    </div>
  );
}

/**
 * Oversells (oversells:list): sales made offline (or on two tills at once) took more units than
 * there were, so a level went below zero. The sales stand; the fix is on the shelf: recount or
 * receive stock from the inventory screen. Shown under Conflicts and under Inventory.
 */
import { useLocation } from 'wouter';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Spinner } from '../../components/Spinner.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { useChannel } from '../../lib/use-channel.js';
import { useInventoryStore } from '../inventory/inventory-store.js';
import { useRecordsReload } from './ConflictsTab.js';

export function OversellsTab() {
  const { data, error, reload } = useChannel('oversells:list', {}, { tables: ['stock_oversells'] });
  useRecordsReload(reload, 'oversells');
  const [, navigate] = useLocation();
  const showLevels = (sku: string) => {
    useInventoryStore.getState().setSearch(sku);
    navigate('/inventory');
  };
  if (error !== undefined && !data) return <Banner tone="danger">{errorMessage(error)}</Banner>;
  if (!data)
    return (
      <div className="loading-block">
        <Spinner size={20} label="Loading oversells" />
      </div>
    );
  return (
    <div className="stack">
      <p className="explain">
        More was sold than was in stock: sales made while offline, or on two devices at once, took the same units. The
        sales stand and the stock level went below zero. Check the shelf, then record a count or the stock you received
        so the level is right again; an administrator closes the case on the server.
      </p>
      {data.items.length === 0 ? (
        <EmptyState title="No oversells" icon="✓">
          No stock level is below zero.
        </EmptyState>
      ) : (
        <ul className="panel record-list" aria-label="Oversells">
          {data.items.map((item) => (
            <li key={item.id} className="record-item">
              <div className="record-main">
                <div className="row row-wrap">
                  <span className="strong">{item.productName ?? 'Unknown product'}</span>
                  {item.sku && <span className="mono muted">{item.sku}</span>}
                  <Badge tone="danger">{formatCount(item.level)} in stock</Badge>
                </div>
                <div className="muted small">
                  Went below zero <RelativeTime at={item.createdAt} />
                </div>
              </div>
              {item.sku && (
                <Button size="sm" onClick={() => showLevels(item.sku!)}>
                  Fix stock…
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

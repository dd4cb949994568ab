/** Stock: levels per variant, low stock, the movement ledger and oversells, one tab each (#/inventory/:tab). */
import { useLocation, useParams } from 'wouter';
import { Page } from '../../components/Page.js';
import { Tabs } from '../../components/Tabs.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { OversellsTab } from '../conflicts/OversellsTab.js';
import '../workspace.css';
import '../conflicts/conflicts.css';
import './inventory.css';
import { LevelsTab } from './LevelsTab.js';
import { LowStockTab } from './LowStockTab.js';
import { MovementsTab } from './MovementsTab.js';

const TABS = ['levels', 'low-stock', 'movements', 'oversells'] as const;
type Tab = (typeof TABS)[number];

export function InventoryScreen() {
  const params = useParams<{ tab?: string }>();
  const tab: Tab = TABS.find((t) => t === params.tab) ?? 'levels';
  const [, navigate] = useLocation();
  const oversells = useSyncStore((s) => s.status?.oversells);
  return (
    <Page title="Inventory" subtitle="Stock on hand per variant; changes here work offline" fill>
      <Tabs
        label="Inventory views"
        value={tab}
        onChange={(next) => navigate(next === 'levels' ? '/inventory' : `/inventory/${next}`, { replace: true })}
        tabs={[
          { value: 'levels', label: 'Stock levels' },
          { value: 'low-stock', label: 'Low stock' },
          { value: 'movements', label: 'Movements' },
          { value: 'oversells', label: 'Oversells', count: oversells || undefined },
        ]}
      >
        {tab === 'levels' && <LevelsTab />}
        {tab === 'low-stock' && <LowStockTab />}
        {tab === 'movements' && <MovementsTab />}
        {tab === 'oversells' && <OversellsTab />}
      </Tabs>
    </Page>
  );
}

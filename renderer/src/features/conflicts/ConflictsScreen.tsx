/** What sync needs a person for: conflicts, refused changes and oversells, one tab each (#/conflicts/:tab). */
import { useLocation, useParams } from 'wouter';
import { Page } from '../../components/Page.js';
import { Tabs } from '../../components/Tabs.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import '../workspace.css';
import './conflicts.css';
import { ConflictsTab } from './ConflictsTab.js';
import { OversellsTab } from './OversellsTab.js';
import { RejectionsTab } from './RejectionsTab.js';

const TABS = ['conflicts', 'rejections', 'oversells'] as const;
type Tab = (typeof TABS)[number];

export function ConflictsScreen() {
  const params = useParams<{ tab?: string }>();
  const tab: Tab = TABS.find((t) => t === params.tab) ?? 'conflicts';
  const [, navigate] = useLocation();
  const status = useSyncStore((s) => s.status);
  return (
    <Page title="Conflicts" subtitle="Changes that need a person to decide">
      <Tabs
        label="Kinds of sync problem"
        value={tab}
        onChange={(next) => navigate(next === 'conflicts' ? '/conflicts' : `/conflicts/${next}`, { replace: true })}
        tabs={[
          { value: 'conflicts', label: 'Conflicts', count: status?.conflicts },
          { value: 'rejections', label: 'Rejected changes', count: status?.rejections },
          { value: 'oversells', label: 'Oversells', count: status?.oversells },
        ]}
      >
        {tab === 'conflicts' && <ConflictsTab />}
        {tab === 'rejections' && <RejectionsTab />}
        {tab === 'oversells' && <OversellsTab />}
      </Tabs>
    </Page>
  );
}

/**
 * Reports (#/reports): one tab per report, each computed by the host from this device's local
 * store, so they work offline and show what this device has synced. Export writes the same report
 * as CSV, XLSX or PDF.
 */
import { Page } from '../../components/Page.js';
import { Tabs } from '../../components/Tabs.js';
import { REPORT_TABS } from './report-params.js';
import { ReportView } from './ReportView.js';
import { useReportsStore } from './reports-store.js';
import './reports.css';

export function ReportsScreen() {
  const tab = useReportsStore((state) => state.tab);
  const setTab = useReportsStore((state) => state.setTab);
  return (
    <Page title="Reports" subtitle="Computed on this device from its synced data — available offline.">
      <Tabs label="Reports" tabs={REPORT_TABS} value={tab} onChange={setTab}>
        {/* A fresh view per report: each keeps its own last answer and timers. */}
        <ReportView key={tab} report={tab} />
      </Tabs>
    </Page>
  );
}

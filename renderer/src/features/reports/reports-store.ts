/**
 * The reports screen's memory: which report is open and each report's parameters, kept while the
 * user visits other screens so coming back shows the same report, not the defaults again.
 */
import { create } from 'zustand';
import { REPORT_NAMES, type ReportName } from '../../../../shared/contract/reports.js';
import { defaultForm, localTimeZone, patchForm, type ReportForm, todayIn } from './report-params.js';

interface ReportsState {
  tab: ReportName;
  forms: Record<ReportName, ReportForm>;
  setTab: (tab: ReportName) => void;
  update: (report: ReportName, patch: Partial<ReportForm>) => void;
  reset: () => void;
}

const initialForms = (): Record<ReportName, ReportForm> => {
  const today = todayIn(localTimeZone());
  return Object.fromEntries(REPORT_NAMES.map((name) => [name, defaultForm(name, today)])) as Record<
    ReportName,
    ReportForm
  >;
};

export const useReportsStore = create<ReportsState>()((set) => ({
  tab: 'sales',
  forms: initialForms(),
  setTab: (tab) => set({ tab }),
  update: (report, patch) =>
    set((state) => ({
      // A preset is re-read against today's date at the moment it is picked.
      forms: { ...state.forms, [report]: patchForm(state.forms[report], patch, todayIn(localTimeZone())) },
    })),
  reset: () => set({ tab: 'sales', forms: initialForms() }),
}));

/**
 * Runs one report from its form: builds the channel input, checks it against the contract (errors
 * go on the fields, an invalid input is never sent), and runs it a moment after the last change so
 * typing a date or toggling filters does not fire a query per keystroke. `runNow` skips the pause
 * (Enter, Refresh). The report re-runs when the host says a table it reads changed.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReportName, ReportOutput } from '../../../../shared/contract/reports.js';
import type { FieldErrors } from '../../lib/api.js';
import { useChannel } from '../../lib/use-channel.js';
import {
  checkInput,
  localTimeZone,
  type ReportForm,
  type ReportInput,
  reportChannel,
  toInput,
} from './report-params.js';

/** The synced tables each report reads (electron/host/reports/reports.queries.ts). */
export const REPORT_TABLES: Record<ReportName, readonly string[]> = {
  sales: ['orders'],
  topProducts: ['orders', 'order_items', 'products'],
  inventoryValuation: ['products', 'variants', 'stock_levels'],
  lowStock: ['products', 'variants', 'stock_levels'],
  movements: ['stock_movements', 'stock_locations', 'variants', 'products'],
  orders: ['orders', 'order_items', 'customers'],
};

export const SETTLE_MS = 300;

export interface ReportQuery<N extends ReportName> {
  /** The input for the current form, or null while it is invalid. */
  input: ReportInput<N> | null;
  errors: FieldErrors;
  data: ReportOutput<N> | undefined;
  error: unknown;
  loading: boolean;
  runNow: () => void;
  timeZone: string;
}

export function useReport<N extends ReportName>(report: N, form: ReportForm): ReportQuery<N> {
  const timeZone = useMemo(localTimeZone, []);
  const input = useMemo(() => toInput(report, form, timeZone), [report, form, timeZone]);
  const errors = useMemo(() => checkInput(report, input), [report, input]);
  const valid = errors === null;
  const [applied, setApplied] = useState<ReportInput<N> | null>(valid ? input : null);

  useEffect(() => {
    if (!valid) return;
    const timer = setTimeout(() => setApplied(input), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [input, valid]);

  const query = useChannel(reportChannel(report), (applied ?? {}) as never, {
    tables: REPORT_TABLES[report],
    enabled: applied !== null,
  });
  const { reload } = query;
  const runNow = useCallback(() => {
    if (!valid) return;
    // The same parameters again still mean "run it again".
    if (JSON.stringify(applied) === JSON.stringify(input)) reload();
    else setApplied(input);
  }, [valid, applied, input, reload]);

  return {
    input: valid ? input : null,
    errors: errors ?? {},
    data: query.data as ReportOutput<N> | undefined,
    error: query.error,
    loading: query.loading || (valid && JSON.stringify(applied) !== JSON.stringify(input)),
    runNow,
    timeZone,
  };
}

/** True once `flag` has stayed true for `ms`: a quick refresh shows no spinner at all. */
export function useDelayedFlag(flag: boolean, ms = 250): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!flag) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), ms);
    return () => clearTimeout(timer);
  }, [flag, ms]);
  return shown;
}

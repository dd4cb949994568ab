/** A report ready to write: what every export format needs, independent of which report it is. */
import type { ReportName, ReportOutput, ReportParams } from '../../../shared/contract/reports.js';
import { type Column, REPORTS } from './definitions.js';

export interface ReportTable {
  title: string;
  /** Parameter lines, e.g. "Period: 2026-01-01 to 2026-01-31 (UTC)". */
  parameters: string[];
  generatedAt: string;
  columns: Column<Record<string, unknown>>[];
  rows: Record<string, unknown>[];
  /** Totals as sentences (one per currency where money is involved). */
  summary: string[];
  notes: string[];
}

export function toTable<N extends ReportName>(name: N, params: ReportParams<N>, output: ReportOutput<N>): ReportTable {
  const def = REPORTS[name];
  return {
    title: def.title,
    parameters: def.describe(params),
    generatedAt: output.generatedAt,
    columns: def.columns as unknown as Column<Record<string, unknown>>[],
    rows: output.rows,
    summary: def.summary(output),
    notes: output.notes,
  };
}

export const generatedLine = (t: ReportTable) => `Generated at ${t.generatedAt.slice(0, 19).replace('T', ' ')} UTC`;

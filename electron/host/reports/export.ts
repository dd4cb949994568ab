/** Runs a report and writes it as CSV, XLSX or PDF, answered as base64 (see shared/contract/reports.ts ReportFile). */
import type {
  ExportFormat,
  ReportExportInput,
  ReportFile,
  ReportName,
  ReportParams,
} from '../../../shared/contract/reports.js';
import type { Store } from '../db/store.js';
import { toCsv } from './csv.js';
import { REPORTS } from './definitions.js';
import { toPdf } from './pdf.js';
import { runReport } from './reports.service.js';
import { type ReportTable, toTable } from './table.js';
import { toXlsx } from './xlsx.js';

const WRITERS: Record<ExportFormat, { mimeType: string; write: (t: ReportTable) => Buffer | Promise<Buffer> }> = {
  csv: { mimeType: 'text/csv; charset=utf-8', write: toCsv },
  xlsx: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', write: toXlsx },
  pdf: { mimeType: 'application/pdf', write: toPdf },
};

/** e.g. `sales-summary_2026-01-01_2026-01-31.csv`; reports without a range carry the day they were made. */
export function fileNameOf(name: ReportName, params: object, generatedAt: string, format: ExportFormat): string {
  const range =
    'from' in params && 'to' in params ? `${String(params.from)}_${String(params.to)}` : generatedAt.slice(0, 10);
  return `${REPORTS[name].fileStem}_${range}.${format}`;
}

export async function exportReport(
  store: Store,
  input: ReportExportInput,
  now: Date = new Date(),
): Promise<ReportFile> {
  const params = input.params as ReportParams<ReportName>;
  const output = runReport(store, input.report, params, now);
  const table = toTable(input.report, params, output);
  const writer = WRITERS[input.format];
  const bytes = await writer.write(table);
  return {
    fileName: fileNameOf(input.report, params, output.generatedAt, input.format),
    mimeType: writer.mimeType,
    base64: bytes.toString('base64'),
  };
}

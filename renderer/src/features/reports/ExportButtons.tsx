/**
 * Export the report on screen, with the same parameters, as CSV, XLSX or PDF. The host writes the
 * file from its local store, so this works offline too. One export at a time per report: the
 * button that runs shows a spinner, the others wait.
 */
import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type ReportName } from '../../../../shared/contract/reports.js';
import { Button } from '../../components/Button.js';
import { call, errorMessage } from '../../lib/api.js';
import { toast } from '../../lib/stores/toasts.js';
import { saveReportFile } from './download.js';
import type { ReportInput } from './report-params.js';

const LABELS: Record<ExportFormat, { label: string; title: string }> = {
  csv: { label: 'CSV', title: 'Comma-separated values: opens in any spreadsheet' },
  xlsx: { label: 'XLSX', title: 'Excel workbook (.xlsx) with a sheet describing the report' },
  pdf: { label: 'PDF', title: 'A printable PDF document' },
};

export function ExportButtons<N extends ReportName>({
  report,
  input,
  disabled,
}: {
  report: N;
  /** Null while the parameters are invalid: nothing to export. */
  input: ReportInput<N> | null;
  disabled?: boolean;
}) {
  const [running, setRunning] = useState<ExportFormat | null>(null);
  const run = async (format: ExportFormat) => {
    if (!input) return;
    setRunning(format);
    try {
      const file = await call('reports:export', { report, params: input, format } as never);
      saveReportFile(file);
      toast({ tone: 'success', title: `Exported ${file.fileName}` });
    } catch (error) {
      toast({ tone: 'danger', title: 'Export failed', body: errorMessage(error) });
    } finally {
      setRunning(null);
    }
  };
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <span className="export-label">Export</span>
      {EXPORT_FORMATS.map((format) => (
        <Button
          key={format}
          size="sm"
          title={LABELS[format].title}
          aria-label={`Export as ${format.toUpperCase()}`}
          data-format={format}
          busy={running === format}
          disabled={disabled || !input || (running !== null && running !== format)}
          onClick={() => void run(format)}
        >
          {LABELS[format].label}
        </Button>
      ))}
    </div>
  );
}

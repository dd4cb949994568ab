/**
 * One report: its parameters and export buttons, headline figures, a chart where one helps, and
 * every row in a table. While a new run loads, the last answer stays on screen (dimmed after a
 * moment), so changing a parameter never flashes an empty page.
 */
import { type ReactNode, useId } from 'react';
import type { ReportName, ReportOutput } from '../../../../shared/contract/reports.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Spinner } from '../../components/Spinner.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { ExportButtons } from './ExportButtons.js';
import {
  lowStockColumns,
  movementColumns,
  orderColumns,
  salesColumns,
  topProductColumns,
  valuationColumns,
} from './report-columns.js';
import { type ReportForm, reportLabel } from './report-params.js';
import { SalesChart, TopProductsChart } from './ReportCharts.js';
import { KpiRow, kpisOf } from './ReportKpis.js';
import { ReportParamsBar } from './ReportParamsBar.js';
import { useReportsStore } from './reports-store.js';
import { useDelayedFlag, useReport } from './use-report.js';

const EMPTY: Record<ReportName, { title: string; body: string }> = {
  sales: { title: 'No sales in this period', body: 'Paid orders placed in the chosen dates appear here.' },
  topProducts: { title: 'Nothing sold in this period', body: 'Pick a longer date range to rank products.' },
  inventoryValuation: { title: 'No stock on hand', body: 'Variants with stock on hand are valued here.' },
  lowStock: { title: 'Nothing is running low', body: 'Every variant is above its low-stock threshold.' },
  movements: {
    title: 'No stock movements in this period',
    body: 'Receipts, sales, counts and adjustments appear here.',
  },
  orders: { title: 'No orders match', body: 'Try a longer date range or another status.' },
};

const ROW_HEIGHT = 32;
const TABLE_CHROME = 36;
const MAX_TABLE_HEIGHT = 560;
const LOADING_ROWS = 8;

export function ReportView({ report }: { report: ReportName }) {
  const formId = useId();
  const form = useReportsStore((state) => state.forms[report]);
  const update = useReportsStore((state) => state.update);
  const query = useReport(report, form);
  const slow = useDelayedFlag(query.loading);
  const data = query.data;

  return (
    <div className="report" data-report={report}>
      <div className="report-toolbar">
        <ReportParamsBar
          id={formId}
          report={report}
          form={form}
          errors={query.errors}
          onChange={(patch) => update(report, patch)}
          onSubmit={query.runNow}
        />
        <div className="report-actions">
          <Button type="submit" form={formId} busy={slow} title="Run the report again (Enter)">
            Refresh
          </Button>
          <ExportButtons report={report} input={query.input} />
        </div>
      </div>
      {query.error !== undefined && (
        <Banner tone="danger">
          <span>The report could not be computed: {errorMessage(query.error)}</span>
          <Button size="sm" onClick={query.runNow}>
            Try again
          </Button>
        </Banner>
      )}
      <div className={slow && data ? 'report-body report-body-stale' : 'report-body'} aria-busy={query.loading}>
        <KpiRow kpis={data ? kpisOf(report, data) : undefined} placeholders={report === 'lowStock' ? 2 : 4} />
        {data && <Chart report={report} output={data} form={form} />}
        <section className="card report-table-card" aria-label="Rows">
          <header className="report-table-header">
            <h2 className="report-table-title">{data ? rowsTitle(data) : 'Loading…'}</h2>
            <span className="report-meta">
              {slow && <Spinner size={12} label="Updating" />}
              {data && (
                <>
                  Computed on this device <RelativeTime at={data.generatedAt} />
                  {'from' in (query.input ?? {}) && <> · days in {query.timeZone}</>}
                </>
              )}
            </span>
          </header>
          {data?.truncated && (
            <Banner tone="warning">
              Showing the first {formatCount(data.rows.length)} rows; the figures above count every match. Narrow the
              parameters to see the rest.
            </Banner>
          )}
          <ReportTable report={report} output={data} form={form} />
          {data && data.notes.length > 0 && (
            <ul className="report-notes" aria-label="About these figures">
              {data.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

const rowsTitle = (data: { rows: unknown[] }) =>
  `${formatCount(data.rows.length)} ${data.rows.length === 1 ? 'row' : 'rows'}`;

function Chart({ report, output, form }: { report: ReportName; output: ReportOutput<ReportName>; form: ReportForm }) {
  if (output.rows.length === 0) return null;
  let chart: ReactNode = null;
  if (report === 'sales') chart = <SalesChart output={output as ReportOutput<'sales'>} groupBy={form.groupBy} />;
  if (report === 'topProducts')
    chart = <TopProductsChart output={output as ReportOutput<'topProducts'>} by={form.by} />;
  return chart && <section className="card report-chart-card">{chart}</section>;
}

function columnsOf(report: ReportName, form: ReportForm): Column<unknown>[] {
  const columns = {
    sales: salesColumns(form.groupBy),
    topProducts: topProductColumns,
    inventoryValuation: valuationColumns,
    lowStock: lowStockColumns,
    movements: movementColumns,
    orders: orderColumns,
  }[report];
  // Each list is typed by its report's row; the table only hands rows of that report back to it.
  return columns as unknown as Column<unknown>[];
}

function ReportTable({
  report,
  output,
  form,
}: {
  report: ReportName;
  output: ReportOutput<ReportName> | undefined;
  form: ReportForm;
}) {
  const rows = output?.rows as unknown[] | undefined;
  const count = rows?.length ?? LOADING_ROWS;
  if (rows && rows.length === 0)
    return (
      <EmptyState title={EMPTY[report].title} icon={report === 'lowStock' ? '✓' : undefined}>
        {EMPTY[report].body}
      </EmptyState>
    );
  const height = Math.min(MAX_TABLE_HEIGHT, TABLE_CHROME + count * ROW_HEIGHT);
  return (
    <div className="report-table" style={{ height }}>
      <DataTable
        label={reportLabel(report)}
        columns={columnsOf(report, form)}
        rowCount={count}
        getRow={(index) => rows?.[index]}
        rowHeight={ROW_HEIGHT}
      />
    </div>
  );
}

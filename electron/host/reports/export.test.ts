import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReportName, reportParams } from '../../../shared/contract/reports.js';
import type { Store } from '../db/store.js';
import { reportsHandlers } from '../handlers/reports.handlers.js';
import { csvCell, formatAmount, pdfCell, safeText, textOf } from './cells.js';
import { REPORTS } from './definitions.js';
import { exportReport } from './export.js';
import { reportStore } from './fixture.js';
import { runReport } from './reports.service.js';

const JAN = { from: '2026-01-01', to: '2026-01-31' };
const NOW = new Date('2026-01-20T08:30:00.000Z');
const PARAMS: Record<ReportName, object> = {
  sales: JAN,
  topProducts: JAN,
  inventoryValuation: {},
  lowStock: {},
  movements: JAN,
  orders: JAN,
};
let store: Store;
beforeEach(() => {
  store = reportStore();
});
afterEach(() => store.close());

async function exported(report: ReportName, format: 'csv' | 'xlsx' | 'pdf', params = PARAMS[report]) {
  const parsed = reportParams[report].parse(params);
  const file = await exportReport(store, { report, params: parsed, format } as never, NOW);
  const expected = runReport(store, report, parsed as never, NOW);
  const columns = REPORTS[report].columns as { key: string; header: string; kind: 'text' | 'int' | 'money' }[];
  return { file, bytes: Buffer.from(file.base64, 'base64'), rows: expected.rows as Record<string, unknown>[], columns };
}

const names = Object.keys(PARAMS) as ReportName[];

describe('CSV export', () => {
  it.each(names)('%s: the header, then exactly the report rows', async (report) => {
    const { file, bytes, rows, columns } = await exported(report, 'csv');
    expect(file.mimeType).toBe('text/csv; charset=utf-8');
    expect(file.fileName).toMatch(new RegExp(`^${REPORTS[report].fileStem}_\\d{4}-\\d{2}-\\d{2}.*\\.csv$`));
    const records: string[][] = parse(bytes, { bom: true });
    expect(records[0]).toEqual(columns.map((c) => c.header));
    expect(records.slice(1)).toEqual(rows.map((r) => columns.map((c) => String(csvCell(r, c.key, c.kind)))));
    expect(records.length).toBe(rows.length + 1);
  });

  it('writes money as exact decimals', async () => {
    const { bytes } = await exported('inventoryValuation', 'csv');
    const records = parse<Record<string, string>>(bytes, { bom: true, columns: true });
    expect(records.find((r) => r.SKU === 'SKU-2-0')).toMatchObject({
      'Unit value': '10.02',
      Value: '30.06',
      'Valued at': 'price',
    });
  });
});

describe('XLSX export', () => {
  it.each(names)('%s: cells equal the report rows, and an About sheet', async (report) => {
    const { file, bytes, rows, columns } = await exported(report, 'xlsx');
    expect(file.fileName.endsWith('.xlsx')).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const sheet = book.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(columns.map((c) => c.header));
    expect(sheet.rowCount).toBe(rows.length + 1);
    rows.forEach((row, i) => {
      const want = columns.map((c) =>
        c.kind === 'money'
          ? Number(formatAmount(row[c.key] as number, String(row.currency)))
          : c.kind === 'int'
            ? row[c.key]
            : textOf(row[c.key]),
      );
      // ExcelJS leaves empty strings out of a row's values.
      expect(values(i + 2).map((v) => v ?? '')).toEqual(want);
    });
    const about = book.getWorksheet('About')!;
    expect(about.getCell('A1').value).toBe(REPORTS[report].title);
  });

  it('puts totals and notes on the About sheet', async () => {
    const { bytes } = await exported('sales', 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const lines = book.getWorksheet('About')!.getColumn(1).values.map(String);
    expect(lines).toContain('Period: 2026-01-01 to 2026-01-31 (UTC)');
    expect(lines).toContain('Generated at 2026-01-20 08:30:00 UTC');
    expect(lines.some((l) => l.includes('revenue 80.00 USD'))).toBe(true);
  });
});

async function pdfText(bytes: Buffer) {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return await parser.getText();
  } finally {
    await parser.destroy();
  }
}

describe('PDF export', () => {
  it.each(names)('%s: title, parameters, generated-at and figures', async (report) => {
    const { file, bytes, rows, columns } = await exported(report, 'pdf');
    expect(file.mimeType).toBe('application/pdf');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await pdfText(bytes);
    expect(text).toContain(REPORTS[report].title);
    expect(text).toContain('Generated at 2026-01-20 08:30:00 UTC');
    const firstNumber = columns.find((c) => c.kind !== 'text')!;
    if (rows[0]) expect(text).toContain(pdfCell(rows[0], firstNumber.key, firstNumber.kind));
  });

  it('shows the sales figures and totals', async () => {
    const { text } = await pdfText((await exported('sales', 'pdf')).bytes);
    expect(text).toContain('Period: 2026-01-01 to 2026-01-31 (UTC)');
    expect(text).toContain('revenue 80.00 USD, refunds 25.00 USD, net 55.00 USD');
    expect(text).toMatch(/2026-01-06\s+USD\s+1\s+40\.00\s+10\.00\s+30\.00/);
  });

  it('paginates a long report, repeating the header', async () => {
    // A two-year daily sales report: 731 days x 2 currencies.
    const { bytes } = await exported('sales', 'pdf', { from: '2024-02-01', to: '2026-01-31' });
    const { text, total } = await pdfText(bytes);
    expect(total).toBeGreaterThan(10);
    expect(text).toContain(`page ${total} of ${total}`);
    // Every page but possibly the last (totals and notes only) starts with the table header.
    expect(countHeaders(text)).toBeGreaterThanOrEqual(total - 1);
    expect(text).toContain('2026-01-31');
  });
});

/** Header rows drawn ("Net revenue" appears only in the table header). */
const countHeaders = (text: string) => text.split('Net revenue').length - 1;

describe('cells', () => {
  it('formats minor units exactly, by the currency’s digits', () => {
    expect(formatAmount(123456, 'USD')).toBe('1234.56');
    expect(formatAmount(-5, 'USD')).toBe('-0.05');
    expect(formatAmount(1500, 'JPY')).toBe('1500');
    expect(pdfCell({ v: 123456789, currency: 'USD' }, 'v', 'money')).toBe('1,234,567.89');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(safeText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(safeText('+1 555')).toBe("'+1 555");
    expect(safeText('Ada')).toBe('Ada');
    expect(csvCell({ n: -3 }, 'n', 'int')).toBe(-3);
  });
});

describe('reports:export channel', () => {
  it('answers a file whose name carries the range', async () => {
    const file = await reportsHandlers(store)['reports:export']({ report: 'orders', params: JAN, format: 'csv' });
    expect(file.fileName).toBe('orders_2026-01-01_2026-01-31.csv');
    expect(Buffer.from(file.base64, 'base64').toString('utf8')).toContain('NX-100002');
  });
});

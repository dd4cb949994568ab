/**
 * XLSX: the first sheet is the table (a header row, then one row per report row, typed cells); the
 * second, "About", holds the title, parameters, generated-at time, totals and notes.
 */
import ExcelJS from 'exceljs';
import { currencyDigits, xlsxCell } from './cells.js';
import { generatedLine, type ReportTable } from './table.js';

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string) => title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

const moneyFormat = (digits: number) => (digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`);

function addTable(book: ExcelJS.Workbook, table: ReportTable): void {
  const sheet = book.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(10, c.header.length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(table.columns.map((c) => xlsxCell(row, c.key, c.kind)));
    table.columns.forEach((c, i) => {
      if (c.kind === 'money') added.getCell(i + 1).numFmt = moneyFormat(currencyDigits(String(row.currency)));
    });
  }
}

function addAbout(book: ExcelJS.Workbook, table: ReportTable): void {
  const sheet = book.addWorksheet('About');
  sheet.getColumn(1).width = 100;
  sheet.addRow([table.title]).font = { bold: true, size: 14 };
  for (const line of [
    ...table.parameters,
    generatedLine(table),
    '',
    'Totals',
    ...table.summary,
    '',
    'Notes',
    ...table.notes,
  ])
    sheet.addRow([line]);
}

export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Nexus back-office';
  book.created = book.modified = new Date(table.generatedAt);
  addTable(book, table);
  addAbout(book, table);
  return Buffer.from(await book.xlsx.writeBuffer());
}

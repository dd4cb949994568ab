/** Reading the files a test downloaded: CSV with csv-parse, XLSX with exceljs, a PDF's text with pdf-parse. */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';

/** Every record as an array of strings (a BOM, if any, is dropped). */
export function csvRecords(bytes: Buffer): string[][] {
  const records: string[][] = parse(bytes, { bom: true });
  return records;
}

/** The first sheet's rows as arrays of cell values (ExcelJS numbers rows from 1, with a hole at 0). */
export async function xlsxRows(bytes: Buffer): Promise<{ sheets: string[]; rows: unknown[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return { sheets: book.worksheets.map((s) => s.name), rows };
}

export async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

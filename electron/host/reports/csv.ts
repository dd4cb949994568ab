/**
 * CSV: one header row, then exactly the report's rows (no totals or notes, so the file loads as a
 * plain table). A UTF-8 byte-order mark makes Excel read non-ASCII names correctly.
 */
import { stringify } from 'csv-stringify/sync';
import { csvCell } from './cells.js';
import type { ReportTable } from './table.js';

export function toCsv(table: ReportTable): Buffer {
  const header = table.columns.map((c) => c.header);
  const rows = table.rows.map((row) => table.columns.map((c) => csvCell(row, c.key, c.kind)));
  return Buffer.from(stringify([header, ...rows], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

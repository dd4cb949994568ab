/**
 * PDF: a title, the parameters and a generated-at line, then the rows as a table that repeats its
 * header on every page, then totals and notes; each page is numbered. Built on pdfkit's standard
 * Helvetica, which covers Latin-1 text only (names in other scripts would need an embedded font).
 */
import PDFDocument from 'pdfkit';
import { pdfCell } from './cells.js';
import type { ColumnKind } from './definitions.js';
import { generatedLine, type ReportTable } from './table.js';

const MARGIN = 36;
const ROW_HEIGHT = 12;
const FONT_SIZE = 7.5;
/** Text columns get more room than numbers. */
const WEIGHT: Record<ColumnKind, number> = { text: 2, int: 1, money: 1.3 };

type Doc = PDFKit.PDFDocument;
interface Layout {
  x: number[];
  widths: number[];
}

function layout(doc: Doc, table: ReportTable): Layout {
  const usable = doc.page.width - 2 * MARGIN;
  const total = table.columns.reduce((sum, c) => sum + WEIGHT[c.kind], 0);
  const widths = table.columns.map((c) => (usable * WEIGHT[c.kind]) / total);
  const x = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
  return { x, widths };
}

/** Cuts text to the cell's width with an ellipsis, so one long e-mail never wraps into the next row. */
function fit(doc: Doc, value: string, width: number): string {
  if (doc.widthOfString(value) <= width) return value;
  let cut = value;
  while (cut.length > 0 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function drawRow(doc: Doc, table: ReportTable, lay: Layout, cells: string[], y: number): void {
  cells.forEach((cell, i) => {
    const width = lay.widths[i]! - 4;
    const align = table.columns[i]!.kind === 'text' ? 'left' : 'right';
    doc.text(fit(doc, cell, width), lay.x[i]! + 2, y, { width, align, lineBreak: false });
  });
}

function drawHeader(doc: Doc, table: ReportTable, lay: Layout, y: number): number {
  doc.font('Helvetica-Bold').fontSize(FONT_SIZE);
  drawRow(
    doc,
    table,
    lay,
    table.columns.map((c) => c.header),
    y,
  );
  const line = y + ROW_HEIGHT - 2;
  doc
    .moveTo(MARGIN, line)
    .lineTo(doc.page.width - MARGIN, line)
    .lineWidth(0.5)
    .stroke();
  doc.font('Helvetica').fontSize(FONT_SIZE);
  return y + ROW_HEIGHT + 2;
}

function drawTable(doc: Doc, table: ReportTable): void {
  const lay = layout(doc, table);
  const bottom = () => doc.page.height - MARGIN - ROW_HEIGHT * 2;
  let y = drawHeader(doc, table, lay, doc.y);
  for (const row of table.rows) {
    if (y > bottom()) {
      doc.addPage();
      y = drawHeader(doc, table, lay, MARGIN);
    }
    drawRow(
      doc,
      table,
      lay,
      table.columns.map((c) => pdfCell(row, c.key, c.kind)),
      y,
    );
    y += ROW_HEIGHT;
  }
  if (table.rows.length === 0) {
    doc.text('No rows match these parameters.', MARGIN, y);
    y += ROW_HEIGHT;
  }
  doc.x = MARGIN;
  doc.y = y + ROW_HEIGHT;
}

function drawLines(doc: Doc, heading: string, lines: string[]): void {
  if (lines.length === 0) return;
  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(9).text(heading, MARGIN, doc.y, { width });
  doc.font('Helvetica').fontSize(8);
  for (const line of lines) doc.text(line, MARGIN, doc.y, { width });
  doc.moveDown(0.5);
}

/** "Title, page i of n" on every page; the bottom margin is lifted so writing there adds no page. */
function numberPages(doc: Doc, title: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    doc.font('Helvetica').fontSize(7);
    doc.text(`${title}, page ${i - start + 1} of ${count}`, MARGIN, doc.page.height - MARGIN / 2 - 7, {
      width: doc.page.width - 2 * MARGIN,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
}

export function toPdf(table: ReportTable): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: table.columns.length > 6 ? 'landscape' : 'portrait',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: table.title, Creator: 'Nexus back-office', CreationDate: new Date(table.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(table.title);
  doc.font('Helvetica').fontSize(9);
  for (const line of [...table.parameters, generatedLine(table)]) doc.text(line);
  doc.moveDown();
  drawTable(doc, table);
  drawLines(doc, 'Totals', table.summary);
  drawLines(doc, 'Notes', table.notes);
  numberPages(doc, table.title);
  doc.end();
  return done;
}

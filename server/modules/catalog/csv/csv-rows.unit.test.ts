import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../../../shared/domain/errors.js';
import { columnsFor } from './csv-format.js';
import { groupRows, locate } from './csv-group.js';
import { pathKeys } from './csv-plan.js';
import { readCsv } from './csv-read.js';
import { parseHeader, parseRow, type CsvIssue, type Header } from './csv-rows.js';

const COLUMNS = columnsFor(3);
type Cells = Partial<Record<string, string>>;
const cells = (c: Cells) => COLUMNS.map((name) => c[name] ?? '');
const base: Cells = { handle: 'tee', name: 'Tee', status: 'active', sku: 'T-1', price: '19.99', currency: 'USD' };
const header = (): Header => parseHeader([...COLUMNS]).header!;

function parseAll(rows: Cells[]) {
  const issues: CsvIssue[] = [];
  const parsed = rows.flatMap((r, i) => parseRow(header(), i + 2, cells(r), issues) ?? []);
  return { parsed, issues };
}

describe('header', () => {
  it('accepts the columns in any order and case, and option4/5 pairs', () => {
    expect(parseHeader([...COLUMNS].reverse().map((c) => c.toUpperCase())).issues).toEqual([]);
    const five = parseHeader(columnsFor(5)).header!;
    expect(five.optionCount).toBe(5);
  });

  it('names missing, unknown, repeated and unpaired columns on line 1', () => {
    const { header: h, issues } = parseHeader([
      ...COLUMNS.filter((c) => c !== 'price'),
      'colour',
      'sku',
      'option4_name',
    ]);
    expect(h).toBeUndefined();
    expect(issues).toEqual(
      expect.arrayContaining([
        { line: 1, column: 'colour', message: 'is not a known column' },
        { line: 1, column: 'sku', message: 'appears more than once' },
        { line: 1, column: 'price', message: 'is missing from the header' },
        { line: 1, column: 'option4_name', message: 'option columns must come in name/value pairs, in order' },
      ]),
    );
  });
});

describe('rows', () => {
  it('parses money with the row’s currency and keeps text exactly', () => {
    const description = ' line one,\r\n"two" 🎉 中文 עברית ';
    const { parsed, issues } = parseAll([
      { ...base, description, price: '1234567', currency: 'jpy', cost: '', compare_at_price: '2000000', stock: '-2' },
    ]);
    expect(issues).toEqual([]);
    expect(parsed[0]).toMatchObject({
      line: 2,
      description,
      priceCents: 1_234_567,
      compareAtPriceCents: 2_000_000,
      costCents: null,
      currency: 'JPY',
      stock: -2,
      lowStockThreshold: undefined,
    });
  });

  it('reports each bad cell with its line and column, and skips blank rows', () => {
    const { parsed, issues } = parseAll([
      { ...base, price: '12,5', weight_grams: '1.5', product_id: 'nope', currency: 'USD' },
      {},
      { ...base, sku: 'T-2', currency: 'US', price: '1' },
    ]);
    expect(parsed).toHaveLength(2);
    expect(issues).toEqual([
      { line: 2, column: 'product_id', message: 'must be a UUID or blank' },
      { line: 2, column: 'price', message: expect.stringMatching(/must be a number like 12\.50/) },
      { line: 2, column: 'weight_grams', message: 'must be a whole number' },
      { line: 4, column: 'currency', message: 'must be an ISO 4217 code like USD' },
    ]);
  });

  it('refuses a row with the wrong number of cells and text that is not UTF-8', () => {
    const issues: CsvIssue[] = [];
    expect(parseRow(header(), 7, ['a', 'b'], issues)).toBeNull();
    expect(parseRow(header(), 8, cells({ ...base, name: 'Caf\uFFFD' }), issues)).toBeNull();
    expect(issues.map((i) => i.line)).toEqual([7, 8]);
    expect(issues[1]!.message).toMatch(/UTF-8/);
  });
});

describe('grouping rows into products', () => {
  it('groups by product_id, else handle, and derives options in order of appearance', () => {
    const id = '0190f0a0-0000-7000-8000-000000000001';
    const size = (value: string, colour: string, sku: string): Cells => ({
      ...base,
      option1_name: 'Size',
      option1_value: value,
      option2_name: 'Colour',
      option2_value: colour,
      sku,
    });
    const { parsed } = parseAll([
      { ...size('S', 'Red', 'A'), product_id: id },
      { ...base, handle: 'other', sku: 'B' },
      { ...size('M', 'Red', 'C'), name: '', handle: '' },
      { ...size('S', 'Blue', 'D'), product_id: id, name: 'Tee' },
    ]);
    // Line 4 has neither id nor handle: it cannot join anything.
    const { products, issues } = groupRows(parsed);
    expect(issues).toEqual([{ line: 4, column: 'handle', message: 'a row needs a handle or a product_id' }]);
    expect(products.map((p) => p.variants.map((v) => v.sku))).toEqual([['A', 'D'], ['B']]);
    expect(products[0]!.options).toEqual([
      { name: 'Size', values: ['S'] },
      { name: 'Colour', values: ['Red', 'Blue'] },
    ]);
  });

  it('catches conflicting product fields, option mismatches and repeats across the file', () => {
    const { parsed } = parseAll([
      { ...base, option1_name: 'Size', option1_value: 'S' },
      { ...base, name: 'Other name', option1_name: 'Colour', option1_value: 'Red', sku: 'T-2' },
      { ...base, option1_name: 'Size', option1_value: '', sku: 'T-1' },
      { ...base, option1_name: 'Size', option1_value: 'L', option2_value: 'x', sku: 'T-3' },
    ]);
    const { issues } = groupRows(parsed);
    expect(issues).toEqual([
      { line: 3, column: 'name', message: "differs from the product's first row (line 2)" },
      { line: 3, column: 'option1_name', message: 'must be "Size" like the product\'s first row' },
      { line: 4, column: 'option1_value', message: 'is required: the product has option "Size"' },
      { line: 5, column: 'option2_value', message: 'the product has no such option (see its first row)' },
      { line: 4, column: 'sku', message: 'repeats the SKU on line 2' },
    ]);
  });

  it('maps validation paths back to lines and columns', () => {
    const { parsed } = parseAll([
      { ...base, option1_name: 'Size.EU', option1_value: '42' },
      { ...base, option1_name: 'Size.EU', option1_value: '43', sku: 'T-2' },
    ]);
    const [draft] = groupRows(parsed).products;
    expect(locate(draft!, ['variants', 1, 'priceCents'])).toEqual({ line: 3, column: 'price' });
    expect(locate(draft!, ['name'])).toEqual({ line: 2, column: 'name' });
    expect(locate(draft!, ['categoryIds', 0])).toEqual({ line: 2, column: 'categories' });
    expect(locate(draft!, ['options', 0, 'values'])).toEqual({ line: 2, column: 'option1_value' });
    expect(locate(draft!, pathKeys('csv.variants.1.optionValues.Size.EU'))).toEqual({
      line: 3,
      column: 'option1_value',
    });
    expect(locate(draft!, ['variants'])).toEqual({ line: 2 });
  });
});

const streamOf = (text: string | Buffer, chunkSize = 1) => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
};
const limits = { maxBytes: 1_000_000, maxRows: 100 };

describe('reading a CSV stream', () => {
  it('round-trips tricky text through csv-stringify and csv-parse, one byte at a time, with the BOM', async () => {
    const tricky = [
      'a, b',
      'say "hi"',
      'multi\nline\r\nCRLF\rCR',
      '  padded  ',
      'Ünïcødé 🎉👩‍👩‍👧 中文 עברית العربية',
      '=1+1',
    ];
    const csv = stringify([COLUMNS, ...tricky.map((t, i) => cells({ ...base, sku: `S-${i}`, description: t }))], {
      bom: true,
      record_delimiter: 'windows',
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const read = await readCsv(streamOf(csv), limits);
    expect(read.issues).toEqual([]);
    expect(read.rows.map((r) => r.description)).toEqual(tricky);
    expect(read.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7]);
    // Without a BOM, in big chunks, the same.
    const again = await readCsv(streamOf(csv.slice(1), 64 * 1024), limits);
    expect(again.rows.map((r) => r.description)).toEqual(tricky);
  });

  it('says when the file is empty, and reads a header-only file as no rows', async () => {
    expect((await readCsv(streamOf(''), limits)).issues).toEqual([
      { line: 1, message: 'The file is empty: expected a header row' },
    ]);
    const headerOnly = await readCsv(streamOf(`${COLUMNS.join(',')}\r\n`), limits);
    expect(headerOnly.issues).toEqual([]);
    expect(headerOnly.rows).toEqual([]);
  });

  it('stops at the byte and row limits with the matching errors', async () => {
    const row = cells(base).join(',');
    const text = [COLUMNS.join(','), row, row, row].join('\n');
    await expect(readCsv(streamOf(text, 16), { maxBytes: 100, maxRows: 100 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    const tooMany = readCsv(streamOf(text, 16), { maxBytes: 1_000_000, maxRows: 2 });
    await expect(tooMany).rejects.toBeInstanceOf(AppError);
    await expect(tooMany).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/more than 2 rows/),
    });
  });

  it('reports malformed CSV (an unclosed quote) as one issue', async () => {
    const text = `${COLUMNS.join(',')}\n${cells(base).join(',')}\n"unclosed,${cells(base).slice(1).join(',')}`;
    const read = await readCsv(streamOf(text, 7), limits);
    expect(read.issues).toEqual([{ line: 3, message: expect.stringMatching(/cannot be read.*quote/i) }]);
  });
});

import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../../../shared/domain/errors.js';
import { parseHeader, parseRow, type CsvIssue, type Header, type ParsedRow } from './csv-rows.js';

export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
}

export interface ReadResult {
  header?: Header;
  rows: ParsedRow[];
  issues: CsvIssue[];
  /** Data records seen (blank ones included), for "the file has no rows" answers. */
  records: number;
}

function byteLimit(maxBytes: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback(
          new AppError('payload_too_large', `The CSV is larger than ${maxBytes} bytes: split it into several files`),
        );
      } else callback(null, chunk);
    },
  });
}

/**
 * Parses a CSV stream record by record (csv-parse), with a byte and a row limit. The source is
 * never destroyed here: on an early stop the rest of it is drained, so an HTTP request can
 * still be answered. Malformed CSV (an unclosed quote, say) ends reading with one issue.
 */
export async function readCsv(source: Readable, limits: ReadLimits): Promise<ReadResult> {
  const result: ReadResult = { rows: [], issues: [], records: 0 };
  let headerSeen = false;
  const input = new PassThrough();
  const forwardError = (err: Error) => input.destroy(err);
  source.once('error', forwardError);
  source.pipe(input);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: 4_000_000,
  });
  try {
    await pipeline(input, byteLimit(limits.maxBytes), parser, async (records: AsyncIterable<string[]>) => {
      for await (const cells of records) {
        if (!headerSeen) {
          headerSeen = true;
          const { header, issues } = parseHeader(cells);
          result.issues.push(...issues);
          if (header) result.header = header;
          continue;
        }
        result.records++;
        if (result.records > limits.maxRows) {
          throw new AppError(
            'validation_failed',
            `The CSV has more than ${limits.maxRows} rows: split it into several files`,
          );
        }
        // Rows are parsed only under a good header; otherwise the file is just counted.
        if (!result.header) continue;
        const row = parseRow(result.header, result.records + 1, cells, result.issues);
        if (row) result.rows.push(row);
      }
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The parser counts the records it finished; the broken one is the next (header = line 1).
    const line = typeof err.records === 'number' ? err.records + 1 : result.records + 2;
    result.issues.push({ line, message: `The CSV cannot be read here: ${err.message}` });
  } finally {
    source.off('error', forwardError);
    source.unpipe(input);
    source.resume();
  }
  if (!headerSeen && result.issues.length === 0)
    result.issues.push({ line: 1, message: 'The file is empty: expected a header row' });
  return result;
}

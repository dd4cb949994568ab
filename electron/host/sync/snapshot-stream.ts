/**
 * Reads a snapshot stream's body (shared/sync/protocol.ts "snapshot") into events: its begin line,
 * each batch of rows with the resume token that follows it, and its end.
 *
 * Hot path: a change line as the server writes it is not parsed here. A fixed-shape prefix names
 * its table, id and version, and the rest of the line is the row's JSON text, handed on as text
 * (db/snapshot-apply.ts parses it once). The slice is the row exactly or no JSON object at all
 * (the row is the line's last member), so a line written differently can only be refused, never
 * misread; lines that do not match the prefix are parsed whole and held to the contract.
 *
 * Anything off is a NetworkError (as a cut or garbled answer is everywhere in the client): a line
 * that is not the contract's, rows without a resume token after them, a stream that ends without
 * its end line or goes quiet for `idleMs`. The caller resumes from its last applied token.
 */
import {
  MAX_SNAPSHOT_BATCH,
  SYNCED_TABLES,
  snapshotLine,
  type SnapshotBegin,
  type SnapshotResume,
} from '../../../shared/sync/protocol.js';
import type { SnapshotRow } from '../db/snapshot-apply.js';
import { NetworkError } from './client.js';

export type SnapshotEvent =
  | { kind: 'begin'; begin: SnapshotBegin }
  | { kind: 'batch'; rows: SnapshotRow[]; resume: SnapshotResume }
  | { kind: 'end' };

type Line =
  | { kind: 'row'; row: SnapshotRow }
  | { kind: 'begin'; begin: SnapshotBegin }
  | { kind: 'resume'; resume: SnapshotResume }
  | { kind: 'end'; rows: number };

const CHANGE_HEAD = /^\{"table":"([a-z_]+)","op":"upsert","id":"([^"\\]+)","version":(\d{1,16}),"row":\{/;
const TABLES: ReadonlySet<string> = new Set(SYNCED_TABLES);

function parseLine(line: string): Line {
  const head = CHANGE_HEAD.exec(line);
  if (head && TABLES.has(head[1]!) && line.endsWith('}')) {
    const row = line.slice(head[0].length - 1, -1);
    return {
      kind: 'row',
      row: { table: head[1] as SnapshotRow['table'], id: head[2]!, version: Number(head[3]), row },
    };
  }
  let value;
  try {
    value = snapshotLine.parse(JSON.parse(line));
  } catch {
    throw new NetworkError(`unexpected line in the snapshot stream: ${line.slice(0, 80)}`);
  }
  if ('begin' in value) return { kind: 'begin', begin: value.begin };
  if ('resume' in value) return { kind: 'resume', resume: value.resume };
  if ('end' in value) return { kind: 'end', rows: value.end.rows };
  if (value.op !== 'upsert' || !value.row) throw new NetworkError('a snapshot carries upserts with rows only');
  const row = JSON.stringify(value.row);
  return { kind: 'row', row: { table: value.table, id: value.id, version: value.version, row } };
}

/** The body's lines as they arrive, a chunk at a time; aborts through `stop` after `idleMs` of silence. */
async function* linesOf(body: ReadableStream<Uint8Array>, idleMs: number, stop: () => void): AsyncGenerator<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let idle = setTimeout(stop, idleMs);
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new NetworkError(`the snapshot stream broke: ${(error as Error).message}`);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
      if (chunk.done) break;
      const text = rest + decoder.decode(chunk.value, { stream: true });
      const lines = text.split('\n');
      rest = lines.pop()!;
      if (lines.length > 0) yield lines;
    }
    if (rest !== '') throw new NetworkError('the snapshot stream was cut mid-line');
  } finally {
    clearTimeout(idle);
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

/** The stream's events in order; throws NetworkError on anything but a whole, well-formed stream. */
export async function* readSnapshot(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  stop: () => void,
): AsyncGenerator<SnapshotEvent> {
  let rows: SnapshotRow[] = [];
  let count = 0;
  let state: 'start' | 'rows' | 'ended' = 'start';
  for await (const lines of linesOf(body, idleMs, stop)) {
    for (const text of lines) {
      const line = parseLine(text);
      if (state === 'ended' || (state === 'start') !== (line.kind === 'begin'))
        throw new NetworkError(`a snapshot line out of place: ${line.kind}`);
      state = 'rows';
      if (line.kind === 'row') {
        if (rows.length >= MAX_SNAPSHOT_BATCH) throw new NetworkError('a snapshot batch without its resume token');
        rows.push(line.row);
      } else if (line.kind === 'resume') {
        count += rows.length;
        yield { kind: 'batch', rows, resume: line.resume };
        rows = [];
      } else if (line.kind === 'end') {
        if (rows.length > 0) throw new NetworkError('snapshot rows without their resume token');
        if (line.rows !== count) throw new NetworkError(`the snapshot sent ${count} rows, not ${line.rows}`);
        state = 'ended';
      } else yield line;
    }
  }
  if (state !== 'ended') throw new NetworkError('the snapshot stream was cut');
  yield { kind: 'end' };
}

/**
 * Wire rows rendered as JSON text by Postgres itself, so the pull and the snapshot pass rows
 * through Node as text: no per-row driver parsing, drizzle mapping, zod or JSON.stringify (on a
 * first download of 875k rows those cost more than the queries).
 *
 * The text must decode to the very object the drizzle loaders used to send: keys in the schema's
 * order (rows.ts), timestamps as Date#toISOString writes them (UTC, milliseconds: to_char's MS
 * truncates microseconds as the drivers' Date did), numeric(mode number) as a JSON number, jsonb and
 * arrays as JSON values. row-json.test.ts checks this for every synced table against drizzle's own
 * select. One difference in the text alone: nested jsonb keeps Postgres's spacing and number
 * spelling (`1.50` stays `1.50`), which JSON.parse reads as the same value.
 *
 * Built by concatenation rather than row_to_json: uuids, numbers and booleans need no escaping,
 * and skipping it halves the cost on rows made mostly of them (stock levels); strings go through
 * to_json, which escapes as JSON.stringify does.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { SOURCES } from './rows.js';

/** Date#toISOString's shape. */
const ISO_UTC = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);

/** Column types whose text form is already their JSON form (no quotes, nothing to escape). */
const BARE = new Set(['PgInteger', 'PgSmallInt', 'PgBigInt53', 'PgBoolean', 'PgJsonb']);
/** Column types that need to_json's quoting and escaping. */
const ESCAPED = new Set(['PgText', 'PgEnumColumn', 'PgArray']);

/** A jsonb object with only the keys in `keys` (rows.ts Source.pick). */
const picked = (ref: SQL, keys: readonly string[]) =>
  sql`coalesce((select jsonb_object_agg(k.key, k.value) from jsonb_each(${ref}) k
    where k.key in (${sql.join(
      keys.map((key) => sql`${key}`),
      sql`, `,
    )})), '{}'::jsonb)::text`;

/** The JSON text of one column's value; never NULL (a NULL is the text `null`). */
function valueJson(alias: string, column: PgColumn, keys?: readonly string[]): SQL {
  const ref = sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;
  const type = column.columnType;
  let json: SQL;
  if (keys && type === 'PgJsonb') json = picked(ref, keys);
  else if (keys) throw new Error(`sync: only jsonb columns can be picked (${column.name})`);
  else if (BARE.has(type)) json = sql`${ref}::text`;
  else if (ESCAPED.has(type)) json = sql`to_json(${ref})::text`;
  else if (type === 'PgUUID') json = sql`'"' || ${ref}::text || '"'`;
  else if (type === 'PgNumericNumber') json = sql`to_json(${ref}::float8)::text`;
  // PgTimestamp is drizzle's Date mode (strings are PgTimestampString); without a time zone it reads UTC.
  else if (type === 'PgTimestamp')
    json = (column as PgColumn & { withTimezone: boolean }).withTimezone
      ? sql`'"' || to_char(${ref} at time zone 'UTC', ${ISO_UTC}) || '"'`
      : sql`'"' || to_char(${ref}, ${ISO_UTC}) || '"'`;
  // A new column type needs its JSON form decided here (and row-json.test.ts shows which).
  else throw new Error(`sync: no JSON form for ${column.name} (${type})`);
  return column.notNull ? json : sql`coalesce(${json}, 'null')`;
}

/** The wire row of `wire` whose table row is in scope as `alias`, as JSON text. */
export function rowJsonOf(wire: SyncedTable, alias: string): SQL {
  const { columns, pick, extra = [] } = SOURCES[wire];
  const fields: [string, SQL][] = [
    ...columns.map(([key, column]): [string, SQL] => [key, valueJson(alias, column, pick?.[key])]),
    ...extra.map(([key, json]): [string, SQL] => [key, json(alias)]),
  ];
  const parts = fields.map(([key, json], i) => {
    // Keys are the schema's camelCase names: plain words, spliced in as they are.
    if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`sync: not a plain field name: ${key}`);
    return sql`${sql.raw(`'${i === 0 ? '{' : ','}"${key}":'`)} || ${json}`;
  });
  return sql`(${sql.join(parts, sql` || `)} || '}')`;
}

/** The wire row of `wire` with id `id` (an SQL expression), as JSON text; NULL when there is none. */
export function rowJsonById(wire: SyncedTable, id: SQL): SQL {
  const { table } = SOURCES[wire];
  return sql`(select ${rowJsonOf(wire, 't')} from ${table} t where t.id = ${id})`;
}

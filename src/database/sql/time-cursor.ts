import { decodeCursor } from '../../common/pagination.js';
import type { SqlFilter } from './sql-filter.js';

/**
 * Keyset paging on (timestamptz, id), newest first, exact to the microsecond. A JS Date keeps
 * milliseconds only, so a cursor made from one would skip the rows written later in the same
 * millisecond as a page's last row (PostgreSQL keeps microseconds): the key is read as text by
 * `microsecondKey` and compared as a timestamptz again.
 */
export type TimeCursor = [key: string, id: string | number];

/** SQL for `column` as ISO text with its microseconds, e.g. `2026-12-02T09:28:09.123456Z`. */
export const microsecondKey = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const isTimeCursor = (value: unknown): value is TimeCursor =>
  Array.isArray(value) &&
  value.length === 2 &&
  typeof value[0] === 'string' &&
  !Number.isNaN(Date.parse(value[0])) &&
  (typeof value[1] === 'string' || Number.isInteger(value[1]));

/** Decodes a client's cursor (a 400 problem when it is not one of ours). */
export const decodeTimeCursor = (cursor: string | undefined): TimeCursor | undefined => decodeCursor(cursor, isTimeCursor);

/**
 * Adds "strictly past the cursor row" to the filter, for `ORDER BY column DESC, id DESC`
 * (`newestFirst`, the default) or `ORDER BY column, id`. `idType` is the id column's SQL type.
 */
export function pastCursor(
  filter: SqlFilter,
  cursor: TimeCursor | undefined,
  on: { column: string; id: string; idType: 'uuid' | 'bigint' | 'integer'; order?: 'newestFirst' | 'oldestFirst' },
): SqlFilter {
  if (cursor === undefined) return filter;
  const comparison = on.order === 'oldestFirst' ? '>' : '<';
  return filter.where(`(${on.column}, ${on.id}) ${comparison} (?::timestamptz, ?::${on.idType})`, cursor[0], cursor[1]);
}

import { parse } from 'csv-parse/sync';
import type { FieldError } from '../common/problem.js';

export const USAGE_COLUMNS = ['account', 'metric', 'day', 'value'] as const;
export type UsageColumn = (typeof USAGE_COLUMNS)[number];

export type HeaderParse = { columns: UsageColumn[]; errors?: undefined } | { columns?: undefined; errors: FieldError[] };

const EXPECTED = USAGE_COLUMNS.join(',');

/**
 * Reads the CSV header line so the four columns may come in any order: the result is the
 * column list for COPY, in file order. Names are trimmed and case-insensitive because
 * spreadsheets and warehouse exports disagree on both; anything else is an error naming the column.
 */
export function parseUsageCsvHeader(line: string): HeaderParse {
  const text = line.replace(/^\uFEFF/, '').replace(/\r?\n?$/, '');
  if (text.trim() === '') return { errors: [{ path: 'line 1', message: `the header line is empty; expected ${EXPECTED}` }] };
  let cells: string[];
  try {
    cells = (parse(text, { relax_column_count: true }) as string[][])[0] ?? [];
  } catch (error) {
    return { errors: [{ path: 'line 1', message: `the header line is not valid CSV (${(error as Error).message}); expected ${EXPECTED}` }] };
  }
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!(USAGE_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ path: 'line 1', message: `unknown column '${name}'; the columns are ${EXPECTED} (any order)` });
    } else if (seen.has(name)) {
      errors.push({ path: 'line 1', message: `column '${name}' appears twice` });
    }
    seen.add(name);
  }
  for (const column of USAGE_COLUMNS) {
    if (!seen.has(column)) errors.push({ path: 'line 1', message: `missing column '${column}'; the columns are ${EXPECTED} (any order)` });
  }
  return errors.length > 0 ? { errors } : { columns: names as UsageColumn[] };
}

import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';

/** Rows per chunk of COPY text handed to the stream: keeps what is built in memory at a few MB whatever the row count. */
const CHUNK_ROWS = 1000;

/**
 * Inserts rows (objects keyed by column name) with COPY, inside the caller's transaction: several
 * times faster than INSERT … SELECT over JSON for thousands of rows, as nothing is parsed twice.
 * Values: null/undefined → NULL, strings as they are, booleans as t/f, numbers in JavaScript's
 * notation, objects and arrays as JSON (for json/jsonb columns).
 */
export async function copyRows<T extends object>(
  tx: EntityManager,
  table: string,
  columns: ReadonlyArray<keyof T & string>,
  rows: Iterable<T> | AsyncIterable<T>,
): Promise<number> {
  return copyText(tx, table, columns, copyTextChunks(columns, rows));
}

/**
 * As copyRows, for rows already in COPY's text format (copyTextOf), as strings or UTF-8 bytes:
 * a run's scores are encoded on the threads that score them (run-part.ts).
 */
export async function copyText(tx: EntityManager, table: string, columns: readonly string[], chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  if (!tx.queryRunner) throw new Error('COPY needs a transactional entity manager');
  const client = (await tx.queryRunner.connect()) as pg.PoolClient;
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks), copy);
  return copy.rowCount;
}

async function* copyTextChunks<T extends object>(columns: ReadonlyArray<keyof T & string>, rows: Iterable<T> | AsyncIterable<T>): AsyncGenerator<string> {
  let chunk: T[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length === CHUNK_ROWS) {
      yield copyTextOf(columns, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield copyTextOf(columns, chunk);
}

/** Rows in COPY's text format, one line each (see copyTextField). */
export function copyTextOf<T extends object>(columns: ReadonlyArray<keyof T & string>, rows: Iterable<T>): string {
  let text = '';
  for (const row of rows) text += columns.map((column) => copyTextField(row[column])).join('\t') + '\n';
  return text;
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPABLE = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One value in COPY's text format (PostgreSQL manual, "COPY", File Formats → Text Format): `\N`
 * is NULL, and backslash, newline, carriage return and tab are backslash-escaped. Written here
 * rather than through csv-stringify, whose per-cell casting and quoting took 2.4 s of CPU for a
 * run's 18,000 score rows (39 columns); this takes a small fraction of that.
 */
export function copyTextField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (c) => ESCAPES[c]!) : value;
  // JSON text holds no raw newline, carriage return or tab (JSON.stringify escapes every control
  // character), only backslashes; a run writes about 25 MB of it, so the search is the cheap one.
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

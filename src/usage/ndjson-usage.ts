import { StringDecoder } from 'node:string_decoder';
import type { FieldError } from '../common/problem.js';
import { USAGE_COLUMNS } from './usage-csv-header.js';
import type { UsageLineCheck } from './usage-line-check.js';
import type { UsageRow } from './usage.types.js';

export type NdjsonLineParse = { row: UsageRow; errors?: undefined } | { row?: undefined; errors: FieldError[] };

/**
 * Checks one NDJSON line's shape (an object with exactly the four fields, strings and a number).
 * What a value must look like (metric pattern, real day, value ≥ 0) and whether the account
 * exists is checked in SQL for every line at once, the same way for CSV and NDJSON.
 */
export function parseNdjsonUsageLine(text: string, line: number): NdjsonLineParse {
  const path = `line ${line}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { errors: [{ path, message: `not valid JSON (${(error as Error).message})` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { errors: [{ path, message: 'must be a JSON object {"account","metric","day","value"}' }] };
  }
  const record = parsed as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(record)) {
    if (!(USAGE_COLUMNS as readonly string[]).includes(key)) errors.push({ path, message: `unknown field '${key}'` });
  }
  const { account, metric, day, value } = record;
  if (typeof account !== 'string' || account === '') errors.push({ path, message: 'account must be a non-empty string (the account externalId)' });
  if (typeof metric !== 'string') errors.push({ path, message: 'metric must be a string' });
  if (typeof day !== 'string') errors.push({ path, message: 'day must be a string written YYYY-MM-DD' });
  if (typeof value !== 'number') errors.push({ path, message: 'value must be a number' });
  // PostgreSQL text cannot hold NUL; caught here so the error names the line rather than a COPY record.
  for (const [name, field] of [['account', account], ['metric', metric], ['day', day]] as const) {
    if (typeof field === 'string' && field.includes('\u0000')) errors.push({ path, message: `${name} must not contain NUL characters` });
  }
  if (errors.length > 0) return { errors };
  return { row: { account: account as string, metric: metric as string, day: day as string, value: value as number } };
}

/** Every field quoted: an empty account stays an empty string instead of becoming NULL, and commas or quotes in ids survive. */
const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** One record for `COPY … (line, account, metric, day, value) FROM STDIN (FORMAT csv)`. */
export function toCopyCsvRecord(line: number, row: UsageRow): string {
  // JSON numbers are finite except overflow such as 1e400, which becomes 'Infinity' here and is rejected in SQL.
  return `${line},${quote(row.account)},${quote(row.metric)},${quote(row.day)},${String(row.value)}\n`;
}

/**
 * Turns NDJSON lines into COPY input, keeping file line numbers (1-based, blank lines counted
 * and skipped). Lines with a wrong shape are left out and remembered, the rest still go to
 * COPY so SQL can report their errors too: one answer lists every kind of problem.
 */
export class NdjsonUsageConverter {
  private lineNumber = 0;
  private readonly listed: FieldError[] = [];
  /** Lines with at least one shape error. */
  badLines = 0;
  /** Lines that held a row (well-formed or not). */
  rowsSeen = 0;

  constructor(
    private readonly maxListed: number,
    private readonly check?: UsageLineCheck,
  ) {}

  get errors(): FieldError[] {
    return this.listed;
  }

  convert(lines: string[]): string {
    let out = '';
    for (const raw of lines) {
      this.lineNumber += 1;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim() === '') continue;
      this.rowsSeen += 1;
      const parsed = parseNdjsonUsageLine(text, this.lineNumber);
      if (parsed.errors) {
        this.badLines += 1;
        for (const error of parsed.errors) if (this.listed.length < this.maxListed) this.listed.push(error);
        continue;
      }
      this.check?.row(parsed.row.account, parsed.row.metric, parsed.row.day, parsed.row.value, this.lineNumber);
      out += toCopyCsvRecord(this.lineNumber, parsed.row);
    }
    return out;
  }

  /** The line number a line being read now would get (for a line that is too long). */
  get nextLine(): number {
    return this.lineNumber + 1;
  }
}

export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(readonly afterLines: number, readonly maxChars: number) {
    super(`a line longer than ${maxChars} characters`);
  }
}

/**
 * Splits a byte stream into text lines, one batch per chunk, without holding more than one
 * line beyond the current chunk: memory stays flat however large the file. UTF-8 sequences cut
 * between chunks are kept whole by the decoder.
 */
export async function* readLineBatches(chunks: AsyncIterable<Buffer>, maxLineChars = 1 << 20): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let complete = 0;
  for await (const chunk of chunks) {
    const parts = (rest + decoder.write(chunk)).split('\n');
    rest = parts.pop() ?? '';
    complete += parts.length;
    if (rest.length > maxLineChars) throw new LineTooLongError(complete, maxLineChars);
    if (parts.length > 0) yield parts;
  }
  const tail = rest + decoder.end();
  if (tail !== '') yield [tail];
}

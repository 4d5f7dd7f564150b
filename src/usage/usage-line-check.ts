import { StringDecoder } from 'node:string_decoder';
import { METRIC_NAME_PATTERN } from '../common/metric-name.js';
import { USAGE_VALUE } from '../common/value-ranges.js';
import type { UsageColumn } from './usage-csv-header.js';

/**
 * A quick look at every line on its way to COPY, in Node, while PostgreSQL stores the bytes: is
 * each line *surely* valid (account given, metric name, real day, value a JSON number within the
 * accepted range), and which accounts does the file name? When every line is surely valid, the
 * import skips the per-line SQL check and only asks which of these accounts do not exist. Any
 * doubt (a quoted field, an exponent, a year before 1000, too many distinct accounts…) sends the
 * import through the SQL check, which stays the one authority on what is wrong with a line and
 * words every error (usage-sql.ts): this check may only ever say "sure" or "not sure".
 */
export class UsageLineCheck {
  /** False as soon as one line is not surely valid. */
  sure = true;
  /** Data lines seen (for CSV, compared with COPY's own count). */
  rows = 0;
  /** Each account named, with the first line (record) naming it. */
  readonly accounts = new Map<string, number>();

  private lastAccount: string | null = null;
  private lastMetric: string | null = null;
  private readonly days = new Map<string, boolean>();

  constructor(private readonly maxAccounts = MAX_ACCOUNTS) {}

  /** One row whose fields are already separated (NDJSON); `line` is its file line. */
  row(account: string, metric: string, day: string, value: string | number, line: number): void {
    this.rows += 1;
    if (!this.sure) return;
    if (!(this.accountOk(account, line) && this.metricOk(metric) && this.dayOk(day) && (typeof value === 'number' ? numberSurelyOk(value) : valueSurelyOk(value)))) {
      this.sure = false;
    }
  }

  private accountOk(account: string, line: number): boolean {
    if (account === this.lastAccount) return true;
    if (account === '') return false;
    this.lastAccount = account;
    if (!this.accounts.has(account)) {
      if (this.accounts.size >= this.maxAccounts) return false;
      this.accounts.set(account, line);
    }
    return true;
  }

  private metricOk(metric: string): boolean {
    if (metric === this.lastMetric) return true;
    if (!METRIC_NAME_PATTERN.test(metric)) return false;
    this.lastMetric = metric;
    return true;
  }

  private dayOk(day: string): boolean {
    let ok = this.days.get(day);
    if (ok === undefined) {
      if (this.days.size >= MAX_DAYS_REMEMBERED) this.days.clear();
      ok = daySurelyOk(day);
      this.days.set(day, ok);
    }
    return ok;
  }
}

/**
 * The CSV side: follows the file's bytes after the header line (unquoted CSV only; a quote
 * anywhere makes it unsure), with the columns in the header's order.
 */
export class CsvLineCheck extends UsageLineCheck {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private record = 1;
  private readonly at: Record<UsageColumn, number>;

  constructor(columns: readonly UsageColumn[], maxAccounts?: number) {
    super(maxAccounts);
    this.at = { account: columns.indexOf('account'), metric: columns.indexOf('metric'), day: columns.indexOf('day'), value: columns.indexOf('value') };
  }

  /** Bytes after the header line, in any chunking. */
  feed(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.line(text, start, end);
      start = end + 1;
    }
    this.rest = text.slice(start);
  }

  end(): void {
    const tail = this.rest + this.decoder.end();
    this.rest = '';
    if (tail !== '') this.line(tail, 0, tail.length);
  }

  /** Passes chunks through unchanged, checking them; `skipHeader`: the first line is the header. */
  async *track(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let header = true;
    for await (const chunk of chunks) {
      if (header) {
        const lf = chunk.indexOf(0x0a);
        if (lf === -1) {
          yield chunk;
          continue;
        }
        header = false;
        this.feed(chunk.subarray(lf + 1));
      } else {
        this.feed(chunk);
      }
      yield chunk;
    }
    this.end();
  }

  private line(text: string, start: number, end: number): void {
    this.record += 1;
    if (!this.sure) {
      this.rows += 1;
      return;
    }
    if (end > start && text.charCodeAt(end - 1) === CR) end -= 1;
    const line = text.slice(start, end);
    // Quotes, a CR left inside, a backslash (COPY's end-of-data marker `\.`): leave it to SQL.
    if (line.includes('"') || line.includes('\r') || line.includes('\\')) {
      this.rows += 1;
      this.sure = false;
      return;
    }
    const cells = line.split(',');
    if (cells.length !== 4) {
      this.rows += 1;
      this.sure = false;
      return;
    }
    this.row(cells[this.at.account]!, cells[this.at.metric]!, cells[this.at.day]!, cells[this.at.value]!, this.record);
  }
}

/** Beyond this many distinct accounts the names are not kept in memory: the SQL check takes over. */
const MAX_ACCOUNTS = 200_000;
const MAX_DAYS_REMEMBERED = 10_000;
const CR = 0x0d;

// The same shape the SQL check asks of a value (a JSON number, usage-sql.ts).
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** A value written in the file: surely a JSON number PostgreSQL reads as the same double within the range. */
export function valueSurelyOk(text: string): boolean {
  if (text.charCodeAt(0) === 0x2d /* - */ || !JSON_NUMBER.test(text)) return false;
  const value = Number(text);
  if (!(value >= USAGE_VALUE.min && value <= USAGE_VALUE.max)) return false;
  // PostgreSQL refuses a value that underflows to 0 or below the normal range; leave those to SQL.
  if (value < SMALLEST_NORMAL && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return false;
  return true;
}

/** An NDJSON number: it goes to COPY as String(value). */
export function numberSurelyOk(value: number): boolean {
  return Number.isFinite(value) && value >= USAGE_VALUE.min && value <= USAGE_VALUE.max && (value === 0 || value >= SMALLEST_NORMAL);
}

/** YYYY-MM-DD of a real calendar day in the years 1000–9999 (anything else is left to SQL). */
export function daySurelyOk(day: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) return false;
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  if (year < 1000 || month < 1 || month > 12 || date < 1) return false;
  return date <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

import { StringDecoder } from 'node:string_decoder';
import { METRIC_NAME_MAX_LENGTH, METRIC_NAME_PATTERN, RESERVED_METRIC_NAMES } from '../common/metric-name.js';
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

  protected accountOk(account: string, line: number): boolean {
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

  protected dayOk(day: string): boolean {
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
 * The CSV side: follows the file's bytes after the header line (unquoted CSV only; a quote or a
 * backslash anywhere makes it unsure), with the columns in the header's order. It runs on the
 * thread that streams the request to COPY, so it reads each line by character codes and cuts
 * out only what it must remember (a new account, a new day).
 */
export class CsvLineCheck extends UsageLineCheck {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private record = 1;
  /** Column index of account, metric, day and value. */
  private readonly order: [number, number, number, number];
  private readonly cut = [0, 0, 0, 0, 0];
  private lastLineAccount = '';
  private lastLineDay = '';

  constructor(columns: readonly UsageColumn[], maxAccounts?: number) {
    super(maxAccounts);
    this.order = [columns.indexOf('account'), columns.indexOf('metric'), columns.indexOf('day'), columns.indexOf('value')];
  }

  /** Bytes after the header line, in any chunking. */
  feed(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    // Quotes (fields that may hold commas or line breaks) and backslashes (COPY's end-of-data
    // marker `\.`) are left to the SQL check: their lines may not be what a split on commas says.
    if (this.sure && (text.includes('"') || text.includes('\\'))) this.sure = false;
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

  /** Passes chunks through unchanged, checking every line after the header. */
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
    this.rows += 1;
    if (!this.sure) return;
    if (end > start && text.charCodeAt(end - 1) === CR) end -= 1;
    // The four cells: cut[i] … cut[i + 1] - 1 is column i.
    const cut = this.cut;
    cut[0] = start;
    let at = start;
    for (let column = 1; column < 4; column += 1) {
      const comma = text.indexOf(',', at);
      if (comma === -1 || comma >= end) return this.unsure();
      cut[column] = comma + 1;
      at = comma + 1;
    }
    const extra = text.indexOf(',', at);
    if (extra !== -1 && extra < end) return this.unsure();
    cut[4] = end + 1;
    const [a, m, d, v] = this.order;
    if (!this.accountCell(text, cut[a]!, cut[a + 1]! - 1)) return this.unsure();
    if (!metricCellOk(text, cut[m]!, cut[m + 1]! - 1)) return this.unsure();
    if (!this.dayCell(text, cut[d]!, cut[d + 1]! - 1)) return this.unsure();
    if (!valueCellOk(text, cut[v]!, cut[v + 1]! - 1)) return this.unsure();
  }

  private unsure(): void {
    this.sure = false;
  }

  /** Same as the line before (feeds come sorted) costs a comparison; a new name is remembered. */
  private accountCell(text: string, start: number, end: number): boolean {
    const last = this.lastLineAccount;
    if (end - start === last.length && last.length > 0 && text.startsWith(last, start)) return true;
    const account = text.slice(start, end);
    this.lastLineAccount = account;
    return this.accountOk(account, this.record);
  }

  private dayCell(text: string, start: number, end: number): boolean {
    const last = this.lastLineDay;
    if (end - start === 10 && last.length === 10 && text.startsWith(last, start)) return true;
    const day = text.slice(start, end);
    if (!this.dayOk(day)) return false;
    this.lastLineDay = day;
    return true;
  }
}

/** 1–64 characters of a–z, 0–9, `_` and `.`, not a reserved name (common/metric-name.ts), read in place. */
function metricCellOk(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > METRIC_NAME_MAX_LENGTH) return false;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e)) return false;
  }
  return !RESERVED_METRIC_NAMES.some((reserved) => reserved.length === end - start && text.startsWith(reserved, start));
}

/**
 * A JSON number without sign or exponent and at most 15 digits before the point is below 10^15
 * whatever its fraction: that is nearly every value a feed sends, checked in place. Anything
 * else takes the exact check on the text.
 */
function valueCellOk(text: string, start: number, end: number): boolean {
  let i = start;
  const first = text.charCodeAt(i);
  if (!(first >= 0x30 && first <= 0x39)) return valueSurelyOk(text.slice(start, end));
  i += 1;
  if (first !== 0x30) while (i < end && isDigit(text.charCodeAt(i))) i += 1;
  const intDigits = i - start;
  if (i < end && text.charCodeAt(i) === 0x2e) {
    i += 1;
    const fraction = i;
    while (i < end && isDigit(text.charCodeAt(i))) i += 1;
    if (i === fraction) return false;
  }
  if (i !== end || intDigits > 15) return valueSurelyOk(text.slice(start, end));
  return true;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

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

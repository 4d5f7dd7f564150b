import { USAGE_VALUE } from '../common/value-ranges.js';
import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { ProblemException, unprocessable, type FieldError } from '../common/problem.js';
import { withPgTransaction } from '../database/pg-client.js';
import { rowsIngested } from '../observability/metrics.js';
import type { ImportFormat } from './import-format.js';
import { CsvRecordLines } from './csv-record-lines.js';
import { LineTooLongError, NdjsonUsageConverter, readLineBatches } from './ndjson-usage.js';
import { prependChunk, readFirstLine } from './stream-head.js';
import { parseUsageCsvHeader, USAGE_COLUMNS } from './usage-csv-header.js';
import { copyFailureProblem, fileProblem, isNumericOverflow, lineErrorsProblem, unknownAccountsProblem } from './usage-problems.js';
import {
  ANALYZE_STAGING_SQL,
  COPY_NDJSON_SQL,
  copyCsvSql,
  CREATE_GROUPS_SQL,
  CREATE_PAIRS_SQL,
  CREATE_STAGING_SQL,
  GROUPS_SUMMARY_SQL,
  insertNewStagedSql,
  LINE_ERRORS_SQL,
  mergeStagedSql,
  PAIRS_PLAN_SQL,
  UNKNOWN_STAGED_ACCOUNTS_SQL,
  UPSERT_STAGED_METRICS_SQL,
} from './usage-sql.js';
import { USAGE_WRITE_LOCK } from './usage-rollups.js';
import { MAX_LISTED_ACCOUNTS, MAX_LISTED_ERRORS, type UsageMode, type UsageWriteResult } from './usage.types.js';

/** The header must show up within this many bytes; a file without line breaks is not CSV. */
const MAX_HEADER_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 10_000;
// The merge sorts every staged row by primary key; in memory that is several times faster than
// an external sort. Per transaction only, so other sessions keep the server default.
const IMPORT_WORK_MEM = '256MB';
const UNIQUE_VIOLATION = '23505';

export interface UsageImportRequest {
  body: IncomingMessage;
  format: ImportFormat;
  mode: UsageMode;
  /** Aborted when the client goes away; the transaction is then rolled back, not committed. */
  signal: AbortSignal;
}

interface Summary {
  lines: string;
  /** Not a line count: > 0 means at least one line is bad (the exact count comes with the errors). */
  problems: string;
  from_day: string | null;
  to_day: string | null;
  accounts: number;
  metrics: number;
}

interface Timings {
  copy: number;
  check: number;
  merge: number;
}

/** Where the COPY input comes from and what Node learnt while producing it. */
interface CopySource {
  sql: string;
  chunks: AsyncIterable<Buffer | string>;
  ndjson?: NdjsonUsageConverter;
  /** CSV: the file line of each staged record (records and lines differ after a quoted line break). */
  lines?: CsvRecordLines;
}

/**
 * Streamed bulk import (CSV or NDJSON) of usage rows. The body goes through COPY into a temp
 * staging table without being held in memory, SQL checks every line at once, then a plain
 * INSERT appends days after the stored ones and an upsert merges the rest into usage_daily,
 * all in one transaction: a file with one bad line writes nothing.
 */
@Injectable()
export class UsageImportService {
  private readonly logger = new Logger(UsageImportService.name);

  constructor(private readonly dataSource: DataSource) {}

  async import({ body, format, mode, signal }: UsageImportRequest): Promise<UsageWriteResult> {
    const started = performance.now();
    // destroyOnReturn: false so that stopping early (a bad header, a failed COPY) leaves the
    // request open; it is drained below and the client still gets the error response.
    const chunks = body.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Buffer>;
    let bytes = 0;
    const counted = countBytes(chunks, (n) => (bytes += n));
    const progress = setInterval(() => this.logger.log({ bytes, seconds: secondsSince(started) }, 'usage import receiving'), PROGRESS_EVERY_MS);
    try {
      const source = format === 'csv' ? await this.csvSource(counted) : this.ndjsonSource(counted);
      const { result, timings } = await withPgTransaction(this.dataSource, (client) => this.load(client, source, mode, signal));
      rowsIngested.inc(result.rowsWritten);
      const seconds = secondsSince(started);
      this.logger.log(
        {
          format,
          mode,
          bytes,
          ...result,
          seconds,
          rowsPerSecond: Math.round(result.rowsReceived / Math.max(seconds, 1e-3)),
          phasesMs: timings,
        },
        `usage import committed: ${result.rowsReceived} rows in ${seconds.toFixed(2)} s`,
      );
      return result;
    } catch (error) {
      if (signal.aborted) {
        this.logger.warn({ bytes, seconds: secondsSince(started) }, 'usage import abandoned by the client; rolled back');
        throw new ProblemException(400, 'The client disconnected before the import finished; nothing was written.');
      }
      throw error;
    } finally {
      clearInterval(progress);
      await chunks.return?.();
      // Read and drop whatever the client is still sending, so it gets the answer on a live connection.
      if (!body.readableEnded && !body.destroyed) body.resume();
    }
  }

  /** Reads the header to learn the column order, then passes the raw bytes, header included, on to COPY. */
  private async csvSource(chunks: AsyncIterableIterator<Buffer>): Promise<CopySource> {
    const head = await readFirstLine(chunks, MAX_HEADER_BYTES);
    if (head.head.length === 0) throw fileProblem(`The file is empty; expected a header line ${USAGE_COLUMNS.join(',')} and data lines.`);
    if (head.firstLine === null) throw fileProblem(`No line break in the first ${MAX_HEADER_BYTES} bytes; expected a header line ${USAGE_COLUMNS.join(',')}.`);
    const header = parseUsageCsvHeader(head.firstLine);
    if (header.errors) throw fileProblem('The header line does not name the columns account, metric, day, value.', header.errors);
    const lines = new CsvRecordLines();
    return { sql: copyCsvSql(header.columns), chunks: lines.track(prependChunk(head.head, chunks)), lines };
  }

  private ndjsonSource(chunks: AsyncIterableIterator<Buffer>): CopySource {
    const ndjson = new NdjsonUsageConverter(MAX_LISTED_ERRORS);
    async function* records(): AsyncGenerator<string> {
      for await (const lines of readLineBatches(chunks)) {
        const text = ndjson.convert(lines);
        if (text !== '') yield text;
      }
    }
    return { sql: COPY_NDJSON_SQL, chunks: records(), ndjson };
  }

  private async load(client: pg.PoolClient, source: CopySource, mode: UsageMode, signal: AbortSignal): Promise<{ result: UsageWriteResult; timings: Timings }> {
    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };
    await client.query(`SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`);
    await client.query(CREATE_STAGING_SQL);
    const copy = client.query(copyFrom(source.sql));
    try {
      await pipeline(source.chunks, copy);
    } catch (error) {
      if (error instanceof LineTooLongError) {
        throw fileProblem(`Line ${error.afterLines + 1} is longer than ${error.maxChars} characters.`, [
          { path: `line ${error.afterLines + 1}`, message: `longer than ${error.maxChars} characters; each line holds one JSON object` },
        ]);
      }
      throw copyFailureProblem(error) ?? error;
    }
    const rowsReceived = source.ndjson ? source.ndjson.rowsSeen : copy.rowCount;
    if (rowsReceived === 0) throw fileProblem(source.ndjson ? 'The file holds no rows.' : 'The file has a header but no data lines.');
    const copyMs = lap();

    await client.query(CREATE_GROUPS_SQL);
    const summary = (await client.query<Summary>(GROUPS_SUMMARY_SQL)).rows[0]!;
    if (Number(summary.problems) > 0 || (source.ndjson?.badLines ?? 0) > 0) {
      const { errors, badLines, outOfRangeOnly } = await this.lineErrors(client, source);
      throw lineErrorsProblem(errors, badLines, outOfRangeOnly);
    }

    const unknown = (await client.query<{ account: string; first_line: string; total: number }>(UNKNOWN_STAGED_ACCOUNTS_SQL, [MAX_LISTED_ACCOUNTS])).rows;
    if (unknown.length > 0) {
      throw unknownAccountsProblem(
        unknown.map((row) => ({ account: row.account, path: `line ${fileLine(source, Number(row.first_line))}` })),
        unknown[0]!.total,
      );
    }
    await client.query(UPSERT_STAGED_METRICS_SQL);
    await client.query(CREATE_PAIRS_SQL);
    // A 3,000-row sample is plenty to pick hash joins; the default 30,000 costs ~0.3 s per million lines.
    await client.query('SET LOCAL default_statistics_target = 10');
    await client.query(ANALYZE_STAGING_SQL);
    const checkMs = lap();

    let rowsWritten: number;
    try {
      // From here to commit one usage writer at a time: the weekly rollups are rebuilt from
      // usage_daily by its triggers and must see every committed write (see usage-rollups.ts).
      await client.query('SELECT pg_advisory_xact_lock($1)', [USAGE_WRITE_LOCK]);
      rowsWritten = await this.merge(client, mode, summary.from_day!, summary.to_day!);
    } catch (error) {
      if (isNumericOverflow(error)) throw unprocessable(`Adding these values to the stored ones exceeds the largest usage value (${USAGE_VALUE.max}); nothing was written.`, [{ path: 'value', message: `a stored value may be at most ${USAGE_VALUE.max}` }]);
      throw error;
    }
    const mergeMs = lap();
    // The last moment to notice a client that left: it cannot learn the outcome, so do not commit.
    if (signal.aborted) throw new Error('client disconnected');
    return {
      result: {
        rowsReceived,
        rowsWritten,
        accounts: summary.accounts,
        metrics: summary.metrics,
        fromDay: summary.from_day,
        toDay: summary.to_day,
      },
      timings: { copy: copyMs, check: checkMs, merge: mergeMs },
    };
  }

  /**
   * Appends lines past the last stored day of their pair with a plain INSERT and upserts the
   * rest. If a concurrent writer slipped the same keys in meanwhile, the append fails on the
   * primary key; it is then undone to the savepoint and everything goes through the upsert.
   */
  private async merge(client: pg.PoolClient, mode: UsageMode, fromDay: string, toDay: string): Promise<number> {
    const plan = (await client.query<{ has_new: boolean; has_overlap: boolean }>(PAIRS_PLAN_SQL, [fromDay, toDay])).rows[0]!;
    let written = 0;
    if (plan.has_new) {
      await client.query('SAVEPOINT usage_append');
      try {
        written += (await client.query(insertNewStagedSql(mode))).rowCount ?? 0;
        await client.query('RELEASE SAVEPOINT usage_append');
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await client.query('ROLLBACK TO SAVEPOINT usage_append');
        this.logger.log('usage import met rows written concurrently; merging every line with ON CONFLICT');
        return (await client.query(mergeStagedSql('all', mode))).rowCount ?? 0;
      }
    }
    if (plan.has_overlap) written += (await client.query(mergeStagedSql('overlap', mode))).rowCount ?? 0;
    return written;
  }

  /** SQL-found problems and (NDJSON) shape problems found in Node, merged in file order. */
  private async lineErrors(client: pg.PoolClient, source: CopySource): Promise<{ errors: FieldError[]; badLines: number; outOfRangeOnly: boolean }> {
    const { ndjson } = source;
    const rows = (await client.query<{ line: string; message: string; bad_lines: string; malformed_lines: string }>(LINE_ERRORS_SQL, [MAX_LISTED_ERRORS])).rows;
    const fromSql = rows.map((row) => ({ path: `line ${fileLine(source, Number(row.line))}`, message: row.message }));
    const lineOf = (error: FieldError) => Number(error.path.slice('line '.length));
    return {
      errors: [...(ndjson?.errors ?? []), ...fromSql].sort((a, b) => lineOf(a) - lineOf(b)).slice(0, MAX_LISTED_ERRORS),
      badLines: Number(rows[0]?.bad_lines ?? 0) + (ndjson?.badLines ?? 0),
      // Every bad line is well formed and only out of range: the file is understood, its values refused.
      outOfRangeOnly: rows.length > 0 && Number(rows[0]!.malformed_lines) === 0 && (ndjson?.badLines ?? 0) === 0,
    };
  }
}

async function* countBytes(chunks: AsyncIterator<Buffer>, add: (n: number) => void): AsyncIterableIterator<Buffer> {
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    add(next.value.length);
    yield next.value;
  }
}

/** A staged row's number (the record number for CSV, the line for NDJSON) as the file's line. */
const fileLine = (source: CopySource, staged: number) => source.lines?.lineOf(staged) ?? staged;

const secondsSince = (start: number) => (performance.now() - start) / 1000;

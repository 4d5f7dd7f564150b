import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { notFound, ProblemException, type FieldError } from '../common/problem.js';
import { withPgTransaction } from '../database/pg-client.js';
import type { ImportFormat } from './import-format.js';
import { CsvRecordLines } from './csv-record-lines.js';
import { LineTooLongError, NdjsonUsageConverter, readLineBatches } from './ndjson-usage.js';
import { prependChunk, readFirstLine } from './stream-head.js';
import { parseUsageCsvHeader, USAGE_COLUMNS } from './usage-csv-header.js';
import { CsvLineCheck, UsageLineCheck } from './usage-line-check.js';
import { toBatchView, UsageImportBatchesRepository } from './usage-import-batches.repository.js';
import { UsageImportMerger } from './usage-import-merger.js';
import { copyFailureProblem, fileProblem, lineErrorsProblem, unknownAccountsProblem } from './usage-problems.js';
import {
  copyCsvSql,
  copyNdjsonSql,
  createGroupsSql,
  createLandingSql,
  GROUPS_SUMMARY_SQL,
  landingTable,
  lineErrorsSql,
  UNKNOWN_LISTED_ACCOUNTS_SQL,
  UNKNOWN_STAGED_ACCOUNTS_SQL,
} from './usage-sql.js';
import { MAX_LISTED_ACCOUNTS, MAX_LISTED_ERRORS, type UsageImportBatchView, type UsageMode } from './usage.types.js';

/** The header must show up within this many bytes; a file without line breaks is not CSV. */
const MAX_HEADER_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 10_000;
// The check hashes every line's (account, metric) and day; in memory that is several times faster
// than spilling. Per transaction only, so other sessions keep the server default.
const IMPORT_WORK_MEM = '256MB';

export interface UsageImportRequest {
  body: IncomingMessage;
  format: ImportFormat;
  mode: UsageMode;
  /** Aborted when the client goes away; the transaction is then rolled back, not committed. */
  signal: AbortSignal;
  /** The calling key's name, recorded on the batch. */
  requestedBy: string | null;
}

interface Summary {
  /** Not a line count: > 0 means at least one line is bad (the exact count comes with the errors). */
  problems: string;
}

interface UnknownAccountRow {
  account: string;
  first_line: string;
  total: number;
}

/** Where the COPY input comes from and what Node learnt while producing it. */
interface CopySource {
  /** The COPY statement into a given landing table. */
  sql: (table: string) => string;
  chunks: AsyncIterable<Buffer | string>;
  ndjson?: NdjsonUsageConverter;
  /** CSV: the file line of each staged record (records and lines differ after a quoted line break). */
  lines?: CsvRecordLines;
  /** Node's look at every line on its way (usage-line-check.ts). */
  check: UsageLineCheck;
}

/**
 * Streamed bulk import (CSV or NDJSON) of usage rows, accepted durably and merged later
 * (README "Usage imports", docs/scaling.md). In one transaction the body goes through COPY,
 * without being held in memory, into a landing table of its own (the durable write) while Node
 * looks at every line (usage-line-check.ts; SQL checks every line when Node is not sure), the
 * accounts are looked up, and the batch gets its place in the merge order; a file with one bad
 * line writes nothing. UsageImportMerger then folds it into usage_daily, and every reader of
 * usage drains first.
 */
@Injectable()
export class UsageImportService {
  private readonly logger = new Logger(UsageImportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: UsageImportBatchesRepository,
    private readonly merger: UsageImportMerger,
  ) {}

  async import({ body, format, mode, signal, requestedBy }: UsageImportRequest): Promise<UsageImportBatchView> {
    const started = performance.now();
    // destroyOnReturn: false so that stopping early (a bad header, a failed COPY) leaves the
    // request open; it is drained below and the client still gets the error response.
    const chunks = body.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Buffer>;
    let bytes = 0;
    const counted = countBytes(chunks, (n) => (bytes += n));
    const progress = setInterval(() => this.logger.log({ bytes, seconds: secondsSince(started) }, 'usage import receiving'), PROGRESS_EVERY_MS);
    try {
      const source = format === 'csv' ? await this.csvSource(counted) : this.ndjsonSource(counted);
      const batch = toBatchView(
        await withPgTransaction(this.dataSource, async (client) => {
          const id = await this.batches.create(client, mode, format, requestedBy);
          return this.land(client, id, source, signal, () => bytes);
        }),
      );
      this.merger.kick();
      const seconds = secondsSince(started);
      this.logger.log(
        {
          batch: batch.id,
          format,
          mode,
          bytes,
          rowsReceived: batch.rowsReceived,
          seconds,
          rowsPerSecond: Math.round(batch.rowsReceived / Math.max(seconds, 1e-3)),
          phasesMs: batch.timings,
        },
        `usage import ${batch.id} accepted: ${batch.rowsReceived} rows in ${seconds.toFixed(2)} s; merging in the background`,
      );
      return batch;
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

  /** With wait=merged: the batch once merged (every batch accepted before it is merged first), or its merge's problem. */
  async waitMerged(accepted: UsageImportBatchView): Promise<UsageImportBatchView> {
    const row = await this.batches.find(accepted.id);
    if (row?.seq) await this.merger.drainUpTo(row.seq);
    const batch = await this.batch(accepted.id);
    if (batch.status === 'failed' && batch.error) {
      throw new ProblemException(batch.error.status, batch.error.detail, { type: batch.error.type, errors: batch.error.errors, extra: { batch: batch.id } });
    }
    return batch;
  }

  async batch(id: string): Promise<UsageImportBatchView> {
    const row = await this.batches.find(id);
    if (!row) throw notFound(`No accepted usage import ${id}`);
    return toBatchView(row);
  }

  /** Reads the header to learn the column order, then passes the raw bytes, header included, on to COPY. */
  private async csvSource(chunks: AsyncIterableIterator<Buffer>): Promise<CopySource> {
    const head = await readFirstLine(chunks, MAX_HEADER_BYTES);
    if (head.head.length === 0) throw fileProblem(`The file is empty; expected a header line ${USAGE_COLUMNS.join(',')} and data lines.`);
    if (head.firstLine === null) throw fileProblem(`No line break in the first ${MAX_HEADER_BYTES} bytes; expected a header line ${USAGE_COLUMNS.join(',')}.`);
    const header = parseUsageCsvHeader(head.firstLine);
    if (header.errors) throw fileProblem('The header line does not name the columns account, metric, day, value.', header.errors);
    const lines = new CsvRecordLines();
    const check = new CsvLineCheck(header.columns);
    return { sql: (table) => copyCsvSql(table, header.columns), chunks: check.track(lines.track(prependChunk(head.head, chunks))), lines, check };
  }

  private ndjsonSource(chunks: AsyncIterableIterator<Buffer>): CopySource {
    const check = new UsageLineCheck();
    const ndjson = new NdjsonUsageConverter(MAX_LISTED_ERRORS, check);
    async function* records(): AsyncGenerator<string> {
      for await (const lines of readLineBatches(chunks)) {
        const text = ndjson.convert(lines);
        if (text !== '') yield text;
      }
    }
    return { sql: copyNdjsonSql, chunks: records(), ndjson, check };
  }

  /** COPY into the batch's landing table, every check, then the batch's place in the merge order. */
  private async land(client: pg.PoolClient, batchId: string, source: CopySource, signal: AbortSignal, bytes: () => number) {
    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };
    const table = landingTable(batchId);
    await client.query(`SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`);
    await client.query(createLandingSql(table));
    const copy = client.query(copyFrom(source.sql(table)));
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

    // Every line surely valid (Node looked at each on its way): only the accounts are left to
    // check. Otherwise SQL checks every line and words what is wrong.
    const quick = source.check.sure && source.check.rows === rowsReceived && (source.ndjson?.badLines ?? 0) === 0;
    const unknown = quick ? await this.unknownListedAccounts(client, source.check) : await this.checkInSql(client, table, source);
    if (unknown.length > 0) {
      throw unknownAccountsProblem(
        unknown.map((row) => ({ account: row.account, path: `line ${fileLine(source, Number(row.first_line))}` })),
        unknown[0]!.total,
      );
    }
    const checkMs = lap();
    // The last moment to notice a client that left: it cannot learn the outcome, so do not commit.
    if (signal.aborted) throw new Error('client disconnected');
    return this.batches.accept(client, batchId, {
      rowsReceived,
      bytes: bytes(),
      copyMs,
      checkMs,
    });
  }

  /** The accounts the file names that do not exist, from the names Node collected. */
  private async unknownListedAccounts(client: pg.PoolClient, check: UsageLineCheck): Promise<UnknownAccountRow[]> {
    const names = [...check.accounts.keys()];
    const lines = [...check.accounts.values()];
    return (await client.query<UnknownAccountRow>(UNKNOWN_LISTED_ACCOUNTS_SQL, [names, lines, MAX_LISTED_ACCOUNTS])).rows;
  }

  /** Every line checked in SQL (one grouped pass); a bad line ends the import here with every problem listed. */
  private async checkInSql(client: pg.PoolClient, table: string, source: CopySource): Promise<UnknownAccountRow[]> {
    await client.query(createGroupsSql(table));
    const summary = (await client.query<Summary>(GROUPS_SUMMARY_SQL)).rows[0]!;
    if (Number(summary.problems) > 0 || (source.ndjson?.badLines ?? 0) > 0) {
      const { errors, badLines, outOfRangeOnly } = await this.lineErrors(client, table, source);
      throw lineErrorsProblem(errors, badLines, outOfRangeOnly);
    }
    return (await client.query<UnknownAccountRow>(UNKNOWN_STAGED_ACCOUNTS_SQL, [MAX_LISTED_ACCOUNTS])).rows;
  }

  /** SQL-found problems and (NDJSON) shape problems found in Node, merged in file order. */
  private async lineErrors(client: pg.PoolClient, table: string, source: CopySource): Promise<{ errors: FieldError[]; badLines: number; outOfRangeOnly: boolean }> {
    const { ndjson } = source;
    const rows = (await client.query<{ line: string; message: string; bad_lines: string; malformed_lines: string }>(lineErrorsSql(table), [MAX_LISTED_ERRORS])).rows;
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

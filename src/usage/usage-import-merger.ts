import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { USAGE_VALUE } from '../common/value-ranges.js';
import { SingleFlightLoop } from '../common/single-flight-loop.js';
import { withPgTransaction } from '../database/pg-client.js';
import { rowsIngested } from '../observability/metrics.js';
import { UsageImportBatchesRepository, type BatchRow } from './usage-import-batches.repository.js';
import { isNumericOverflow } from './usage-problems.js';
import { importGauges } from './usage.metrics.js';
import { USAGE_WRITE_LOCK } from './usage-rollups.js';
import {
  analyzeStagingSql,
  createMergeGroupsSql,
  CREATE_PAIRS_SQL,
  MERGE_GROUPS_SUMMARY_SQL,
  insertNewStagedSql,
  landingTable,
  mergeStagedSql,
  PAIRS_PLAN_SQL,
  UPSERT_STAGED_METRICS_SQL,
} from './usage-sql.js';
import type { ImportBatchError, UsageMode } from './usage.types.js';

/** Batches accepted by other processes are merged within about this long when nothing kicks sooner. */
const POLL_MS = 1_000;
/** Batches of at least this many lines log each phase of their merge. */
const LOG_PHASES_FROM_ROWS = 100_000;
// The merge sorts every landed line by primary key; in memory that is several times faster than
// an external sort. Per transaction only, so other sessions keep the server default.
const MERGE_WORK_MEM = '256MB';
const UNIQUE_VIOLATION = '23505';

interface Summary {
  from_day: string | null;
  to_day: string | null;
  accounts: number;
  metrics: number;
}

/**
 * Folds accepted imports into usage_daily (README "Usage imports"): one batch per transaction,
 * in the order they were accepted, each transaction merging the batch's landed lines (the
 * weekly rollups follow through usage_daily's triggers), dropping its landing table and marking
 * it merged. A batch is merged once whoever merges it (the background loop of any process, or a
 * reader's drain), and a crash at any point leaves it pending for the next pass.
 */
@Injectable()
export class UsageImportMerger implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('UsageImportMerger');
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'usage import merge failed; retrying on the next poll'),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: UsageImportBatchesRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(POLL_MS, this.env);
    // /metrics reads these when scraped, from the database, so every process reports the same.
    importGauges.readWith(() => this.batches.pending());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  onModuleDestroy(): void {
    importGauges.readWith(null);
  }

  /** Asks for a merge pass now (after an import was accepted). */
  kick(): void {
    this.loop.kick();
  }

  /**
   * THE drain of the usage module: when it resolves, every import accepted before the call is
   * in usage_daily and usage_weekly. Everything that reads usage calls it first (runs, previews,
   * backtests, fits, the usage series, usage writes); with nothing pending it costs one query.
   */
  async drain(): Promise<void> {
    const upTo = await this.batches.lastPendingSeq();
    if (upTo !== null) await this.drainUpTo(upTo);
  }

  /** Merges pending batches in order up to and including `seq`. */
  async drainUpTo(seq: string): Promise<void> {
    while (await this.mergeNext(seq));
  }

  /** Merges the oldest pending batch up to `upTo`; false when there is none. */
  private async mergeNext(upTo: string): Promise<boolean> {
    return withPgTransaction(this.dataSource, async (client) => {
      await client.query(`SET LOCAL work_mem = '${MERGE_WORK_MEM}'`);
      // One usage writer at a time, from here to the commit: the weekly rollups are rebuilt from
      // usage_daily by its triggers and must see every committed write (usage-rollups.ts).
      await client.query('SELECT pg_advisory_xact_lock($1)', [USAGE_WRITE_LOCK]);
      const batch = await this.batches.nextPending(client, upTo);
      if (!batch) return false;
      await this.mergeBatch(client, batch);
      return true;
    });
  }

  private async mergeBatch(client: pg.PoolClient, batch: BatchRow): Promise<void> {
    const started = performance.now();
    const rows = Number(batch.rows_received);
    const verbose = rows >= LOG_PHASES_FROM_ROWS;
    let mark = started;
    const phase = (name: string) => {
      const now = performance.now();
      if (verbose) this.logger.log({ batch: batch.id, rows, phase: name, ms: Math.round(now - mark) }, `usage import ${batch.id}: ${name} in ${Math.round(now - mark)} ms`);
      mark = now;
    };
    if (verbose) this.logger.log({ batch: batch.id, rows, mode: batch.mode }, `usage import ${batch.id}: merging ${rows} lines`);
    const table = landingTable(batch.id);
    await client.query('SAVEPOINT usage_merge');
    let written: number;
    let summary: Summary;
    try {
      await client.query(createMergeGroupsSql(table));
      summary = (await client.query<Summary>(MERGE_GROUPS_SUMMARY_SQL)).rows[0]!;
      await client.query(UPSERT_STAGED_METRICS_SQL);
      await client.query(CREATE_PAIRS_SQL);
      // A 3,000-row sample is plenty to pick hash joins; the default 30,000 costs ~0.3 s per million lines.
      await client.query('SET LOCAL default_statistics_target = 10');
      await client.query(analyzeStagingSql(table));
      phase('grouped by account and metric');
      written = await this.merge(client, table, batch.mode, summary.from_day!, summary.to_day!);
      phase('merged into usage_daily');
    } catch (error) {
      if (!isNumericOverflow(error)) throw error;
      // The one way accepted lines can be refused: add-mode sums beyond the accepted range.
      await client.query('ROLLBACK TO SAVEPOINT usage_merge');
      await client.query(`DROP TABLE ${table}`);
      await this.batches.markFailed(client, batch.id, OVERFLOW);
      this.logger.warn({ batch: batch.id }, `usage import ${batch.id} failed to merge: ${OVERFLOW.detail}`);
      return;
    }
    await client.query(`DROP TABLE ${table}`);
    const mergeMs = Math.round(performance.now() - started);
    await this.batches.markMerged(client, batch.id, { rowsWritten: written, accounts: summary.accounts, metrics: summary.metrics, fromDay: summary.from_day, toDay: summary.to_day, mergeMs });
    rowsIngested.inc(written);
    this.logger.log(
      { batch: batch.id, rows, rowsWritten: written, mergeMs, rowsPerSecond: Math.round(rows / Math.max(mergeMs / 1000, 1e-3)) },
      `usage import ${batch.id} merged: ${rows} lines, ${written} rows written in ${mergeMs} ms`,
    );
  }

  /**
   * Appends lines past the last stored day of their pair with a plain INSERT and upserts the
   * rest. If another writer slipped the same keys in meanwhile, the append fails on the
   * primary key; it is then undone to the savepoint and everything goes through the upsert.
   */
  private async merge(client: pg.PoolClient, table: string, mode: UsageMode, fromDay: string, toDay: string): Promise<number> {
    const plan = (await client.query<{ has_new: boolean; has_overlap: boolean }>(PAIRS_PLAN_SQL, [fromDay, toDay])).rows[0]!;
    let written = 0;
    if (plan.has_new) {
      await client.query('SAVEPOINT usage_append');
      try {
        written += (await client.query(insertNewStagedSql(table, mode))).rowCount ?? 0;
        await client.query('RELEASE SAVEPOINT usage_append');
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await client.query('ROLLBACK TO SAVEPOINT usage_append');
        this.logger.log('usage import met rows written concurrently; merging every line with ON CONFLICT');
        return (await client.query(mergeStagedSql(table, 'all', mode))).rowCount ?? 0;
      }
    }
    if (plan.has_overlap) written += (await client.query(mergeStagedSql(table, 'overlap', mode))).rowCount ?? 0;
    return written;
  }
}

const OVERFLOW: ImportBatchError = {
  status: 422,
  type: '/problems/unprocessable',
  detail: `Adding these values to the stored ones exceeds the largest usage value (${USAGE_VALUE.max}); nothing was written.`,
  errors: [{ path: 'value', message: `a stored value may be at most ${USAGE_VALUE.max}` }],
};

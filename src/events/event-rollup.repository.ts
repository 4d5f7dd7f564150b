import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { acquirePgClient } from '../database/pg-client.js';
import type { EventRules } from './domain/event-rules.js';
import { INTAKE_BARRIER_LOCK } from './event-intake.repository.js';
import * as SQL from './event-rollup.sql.js';

/** One process rolls up at a time; the others' passes return at once. */
const ROLLUP_LOCK = 7_421_141;
/** Events per transaction: bounds the work lost to a crash and the locks held. */
export const CHUNK_EVENTS = 50_000;
/** Cells written to usage_daily per transaction. */
const WRITE_BATCH = 20_000;

/** One derived daily value to write to usage_daily (account = externalId). */
export interface CellRow {
  account: string;
  metric: string;
  day: string;
  value: number;
}

/** Writes cells to usage_daily with replace semantics (the usage module's write path). */
export type CellWriter = (rows: CellRow[]) => Promise<void>;

export interface RollupProgress {
  /** Events rolled up by this pass. */
  events: number;
  /** Usage cells written (inserted or changed) by this pass. */
  cellsWritten: number;
  /** Everything stored before the pass began is now in usage_daily (false when another process holds the roll-up). */
  caughtUp: boolean;
  rebuilt: boolean;
}

interface RollupState {
  watermark: string;
  rules_checksum: string | null;
}

@Injectable()
export class EventRollupRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Rolls up every event stored before the call. With `wait`, waits for a pass running in another
   * process instead of returning (what a scoring run needs: all events accepted before it started).
   */
  async rollUp(rules: EventRules, write: CellWriter, options: { wait: boolean; onChunk?: (events: number) => void }): Promise<RollupProgress> {
    const { client, release } = await acquirePgClient(this.db);
    let discard = false;
    try {
      if (options.wait) await client.query('SELECT pg_advisory_lock($1)', [ROLLUP_LOCK]);
      else {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ROLLUP_LOCK]);
        if (!rows[0]!.locked) return { events: 0, cellsWritten: 0, caughtUp: false, rebuilt: false };
      }
      try {
        return await this.pass(client, rules, write, options.onChunk);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [ROLLUP_LOCK]);
      }
    } catch (error) {
      // A failed statement inside a transaction leaves the connection unusable until rollback.
      discard = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      release(discard);
    }
  }

  private async pass(client: pg.PoolClient, rules: EventRules, write: CellWriter, onChunk?: (events: number) => void): Promise<RollupProgress> {
    const hi = await this.committedHigh(client);
    let state = (await client.query<RollupState>('SELECT watermark::text, rules_checksum FROM product_event_rollup')).rows[0]!;
    let rebuilt = false;
    if (state.rules_checksum !== null && state.rules_checksum !== rules.checksum) {
      await this.transaction(client, async () => {
        await client.query(SQL.RESET_ALL_SQL[0]!);
        await client.query(SQL.RESET_ALL_SQL[1]!);
        await client.query(SQL.RESET_ALL_SQL[2]!, [rules.checksum]);
      });
      state = { watermark: '0', rules_checksum: rules.checksum };
      rebuilt = true;
    }
    let watermark = BigInt(state.watermark);
    const high = BigInt(hi);
    if (watermark < high) await this.refreshStatistics(client);
    let events = 0;
    while (watermark < high) {
      const next = watermark + BigInt(CHUNK_EVENTS) < high ? watermark + BigInt(CHUNK_EVENTS) : high;
      const rolled = await this.transaction(client, () => this.chunk(client, rules, watermark.toString(), next.toString()));
      events += rolled;
      watermark = next;
      onChunk?.(rolled);
    }
    const cellsWritten = await this.writeCells(client, write);
    return { events, cellsWritten, caughtUp: true, rebuilt };
  }

  private async refreshStatistics(client: pg.PoolClient): Promise<void> {
    const { rows } = await client.query<{ relname: string }>(SQL.STALE_STATISTICS_SQL);
    // Names from a fixed list in the query, never from input.
    for (const { relname } of rows) await client.query(`ANALYZE ${relname}`);
  }

  /** The highest seq below which every event is committed (see INTAKE_BARRIER_LOCK). */
  private async committedHigh(client: pg.PoolClient): Promise<string> {
    await client.query('SELECT pg_advisory_lock($1)', [INTAKE_BARRIER_LOCK]);
    try {
      const { rows } = await client.query<{ hi: string }>('SELECT coalesce(max(seq), 0)::text AS hi FROM product_events');
      return rows[0]!.hi;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [INTAKE_BARRIER_LOCK]);
    }
  }

  private async chunk(client: pg.PoolClient, rules: EventRules, lo: string, hi: string): Promise<number> {
    const tz = rules.timezone;
    const { rowCount } = await client.query(SQL.CHUNK_SQL, [lo, hi, tz]);
    // Statistics matter for the joins of a large chunk (a backlog or a rebuild); for a live
    // stream's chunks the ANALYZE costs more than any plan it could improve.
    if ((rowCount ?? 0) > 20_000) await client.query('ANALYZE ru_new');
    await client.query(SQL.NEW_IDENTITIES_SQL);
    await client.query(SQL.LINKS_SQL);
    await client.query(SQL.TOUCHED_SQL);
    await client.query(SQL.APPLY_LINKS_SQL);
    await client.query(SQL.CLUSTER_ACCOUNTS_SQL);
    await client.query(SQL.MOVED_SQL);
    await client.query(SQL.RECOMPUTE_CELLS_SQL, [hi, tz]);
    await client.query(SQL.SOURCE_SQL, [hi, tz]);
    for (const statement of SQL.RESET_RECOMPUTED_SQL) await client.query(statement);
    await client.query(SQL.ADD_COUNTS_SQL, [rules.named.map((r) => r.event), rules.named.map((r) => r.metric)]);
    for (const statement of SQL.ADD_USERS_AND_EVENTS_SQL) await client.query(statement);
    await client.query(SQL.ACTIVE_USERS_SQL, [rules.activeUsersMetric]);
    const msEvents = rules.milestones.map((m) => m.event);
    const msMetrics = rules.milestones.map((m) => m.metric);
    await client.query(SQL.MILESTONE_SQL[0]!, [msEvents, msMetrics]);
    await client.query(SQL.MILESTONE_SQL[1]!, [msMetrics]);
    await client.query(SQL.MILESTONE_SQL[2]!, [msEvents, msMetrics]);
    await client.query(SQL.MILESTONE_HISTORY_SQL, [msEvents, msMetrics, hi, tz]);
    for (const statement of SQL.MILESTONE_APPLY_SQL) await client.query(statement);
    await client.query(SQL.IDENTITY_STATS_SQL);
    await client.query(SQL.ADVANCE_SQL, [hi, rules.checksum]);
    return rowCount ?? 0;
  }

  /**
   * Brings usage_daily in line with the cells of existing accounts through the usage module's
   * write path (replace), then records what was written. A crash in between only means the same
   * values are written again on the next pass; a cell that changed meanwhile differs from what is
   * recorded and is written again too. Cells of accounts created later are written on the first
   * pass after.
   */
  private async writeCells(client: pg.PoolClient, write: CellWriter): Promise<number> {
    let written = 0;
    for (;;) {
      const { rows } = await client.query<CellRow>(SQL.UNWRITTEN_CELLS_SQL, [WRITE_BATCH]);
      if (rows.length === 0) return written;
      await write(rows);
      await client.query(SQL.MARK_WRITTEN_SQL, [rows.map((r) => r.account), rows.map((r) => r.metric), rows.map((r) => r.day), rows.map((r) => r.value)]);
      written += rows.length;
      if (rows.length < WRITE_BATCH) return written;
    }
  }

  private async transaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    const result = await work();
    await client.query('COMMIT');
    return result;
  }

  async lag(): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = await this.db.query<Array<{ pending: string; lag_seconds: number | null }>>(SQL.LAG_SQL);
    return { pending: Number(row!.pending), lagSeconds: Math.max(0, row!.lag_seconds ?? 0) };
  }

  async unattributedTotal(): Promise<number> {
    const [row] = await this.db.query<Array<{ events: string }>>(SQL.UNATTRIBUTED_TOTAL_SQL);
    return Number(row!.events);
  }
}

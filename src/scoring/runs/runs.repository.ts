import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { toPage, type Page } from '../../common/pagination.js';
import { queryRows } from '../../database/sql/query-rows.js';
import { SqlFilter } from '../../database/sql/sql-filter.js';
import { pastCursor, microsecondKey, type TimeCursor } from '../../database/sql/time-cursor.js';
import { toRunView, type RunRow, type RunTrigger, type RunView } from './run-view.js';

const RUN_SELECT = `SELECT r.*, ${microsecondKey('r.created_at')} AS created_key FROM scoring_runs r`;

/** The SQL of `scoring_runs`: the queue, its claims and each run's record. */
@Injectable()
export class RunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Null when the run's cron tick was already queued (by this or another process). */
  async enqueue(asOf: string, trigger: RunTrigger, requestedBy: string | null, tick: Date | null): Promise<RunView | null> {
    const [row] = await queryRows<RunRow>(
      this.db,
      `INSERT INTO scoring_runs (as_of, status, trigger, requested_by, tick) VALUES ($1, 'queued', $2, $3, $4)
       ON CONFLICT (tick) WHERE tick IS NOT NULL DO NOTHING RETURNING *`,
      [asOf, trigger, requestedBy, tick],
    );
    return row ? toRunView(row) : null;
  }

  async get(id: string): Promise<RunView | null> {
    const [row] = await queryRows<RunRow>(this.db, `${RUN_SELECT} WHERE r.id = $1`, [id]);
    return row ? toRunView(row) : null;
  }

  /** Runs waiting to be taken, and how long the oldest has waited (for /metrics). */
  async queue(): Promise<{ queued: number; oldestSeconds: number }> {
    const [row] = await queryRows<{ queued: number; oldest_seconds: number }>(
      this.db,
      `SELECT count(*)::int AS queued, coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest_seconds
       FROM scoring_runs WHERE status = 'queued'`,
    );
    return { queued: row!.queued, oldestSeconds: row!.oldest_seconds };
  }

  /** The newest run and the newest successful one, for GET /v1/runs/latest-status. */
  async latestStatus(): Promise<{ latest: RunView | null; lastSucceeded: RunView | null }> {
    const [latest] = await queryRows<RunRow>(this.db, `${RUN_SELECT} ORDER BY r.created_at DESC, r.id DESC LIMIT 1`);
    const [lastSucceeded] = await queryRows<RunRow>(this.db, `${RUN_SELECT} WHERE r.status = 'succeeded' ORDER BY r.finished_at DESC, r.id DESC LIMIT 1`);
    return { latest: latest ? toRunView(latest) : null, lastSucceeded: lastSucceeded ? toRunView(lastSucceeded) : null };
  }

  /** Newest first; the cursor keeps microseconds, so runs created in one millisecond are neither skipped nor repeated. */
  async list(limit: number, after: TimeCursor | undefined): Promise<Page<RunView>> {
    const filter = pastCursor(new SqlFilter(), after, { column: 'r.created_at', id: 'r.id', idType: 'uuid' });
    const rows = await queryRows<RunRow & { created_key: string }>(
      this.db,
      `${RUN_SELECT} ${filter.clause} ORDER BY r.created_at DESC, r.id DESC LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    );
    const page = toPage(rows, limit, (row) => [row.created_key, row.id] satisfies TimeCursor);
    return { items: page.items.map(toRunView), nextCursor: page.nextCursor };
  }

  /**
   * Runs left `running` by a process that died; the caller holds the worker lock, so none is really
   * running. A sharded run (with its shard plan stored) is not orphaned: its shards are worked on
   * by any process, a crashed one's shard being taken again.
   */
  async failOrphaned(q: QueryRunner): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      q.manager,
      `UPDATE scoring_runs SET status = 'failed', finished_at = now(),
         error = 'interrupted: the process running it stopped before it finished; nothing of it was kept'
       WHERE status = 'running' AND shard_plan IS NULL RETURNING id`,
    );
    return rows.map((row) => row.id);
  }

  /** The oldest queued run, now running on `worker`. */
  async claim(q: QueryRunner, worker: string): Promise<RunRow | null> {
    const [row] = await queryRows<RunRow>(
      q.manager,
      `UPDATE scoring_runs SET status = 'running', started_at = now(), worker = $1
       WHERE id = (SELECT id FROM scoring_runs WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [worker],
    );
    return row ?? null;
  }

  async setConfigVersion(id: string, version: number): Promise<void> {
    await this.db.query('UPDATE scoring_runs SET config_version = $2 WHERE id = $1', [id, version]);
  }

  /** Accounts in the run's population, and those left unscored because their data is invalid (reported on the run). */
  async setAccountsTotal(id: string, total: number, invalid: Array<{ externalId: string; reason: string }> = []): Promise<void> {
    await this.db.query('UPDATE scoring_runs SET accounts_total = $2, invalid_accounts = $3 WHERE id = $1', [id, total, JSON.stringify(invalid)]);
  }

  /**
   * Marks a running run succeeded inside the caller's transaction. Null when the run is not
   * running (completed already, or failed meanwhile): a run completes once.
   */
  async markSucceeded(tx: EntityManager, id: string, result: { accountsScored: number; timings: Record<string, number> }): Promise<RunRow | null> {
    const [row] = await queryRows<RunRow>(
      tx,
      `UPDATE scoring_runs SET status = 'succeeded', finished_at = now(), accounts_scored = $2, timings = $3
       WHERE id = $1 AND status = 'running' RETURNING *`,
      [id, result.accountsScored, JSON.stringify(result.timings)],
    );
    return row ?? null;
  }

  async markFailed(id: string, error: string, timings: Record<string, number>): Promise<void> {
    await this.db.query(`UPDATE scoring_runs SET status = 'failed', finished_at = now(), error = $2, timings = $3 WHERE id = $1 AND status = 'running'`, [id, error, JSON.stringify(timings)]);
  }
}

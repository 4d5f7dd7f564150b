import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { queryRows } from '../../../database/sql/query-rows.js';

export interface OpenStep {
  run_id: string;
  step: string;
  attempts: number;
}

/** The SQL of `after_run_steps`: recorded with the run's success, claimed and settled by the worker. */
@Injectable()
export class AfterRunRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside the run's completing transaction. */
  async record(tx: EntityManager, runId: string, steps: readonly string[]): Promise<void> {
    if (steps.length === 0) return;
    await tx.query(
      `INSERT INTO after_run_steps (run_id, step) SELECT $1, unnest($2::text[]) ON CONFLICT (run_id, step) DO NOTHING`,
      [runId, steps],
    );
  }

  /**
   * Steps left `running` by a process that died: the caller holds the worker lock, so nobody
   * else is running them. They go back to pending and run again (steps are idempotent).
   */
  async reopenInterrupted(q: QueryRunner): Promise<OpenStep[]> {
    const { records } = await q.query(
      `UPDATE after_run_steps SET status = 'pending', started_at = NULL WHERE status = 'running' RETURNING run_id, step, attempts`,
      [],
      true,
    );
    return records as OpenStep[];
  }

  /** The oldest pending row of one step, taken (status running, attempt counted); runs in the order they completed. */
  async claimNext(step: string): Promise<OpenStep | null> {
    const [claimed] = await queryRows<OpenStep>(
      this.db,
      `UPDATE after_run_steps SET status = 'running', attempts = attempts + 1, started_at = now()
       WHERE (run_id, step) = (
         SELECT s.run_id, s.step FROM after_run_steps s JOIN scoring_runs r ON r.id = s.run_id
         WHERE s.step = $1 AND s.status = 'pending'
         ORDER BY r.finished_at, s.created_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED)
       RETURNING run_id, step, attempts`,
      [step],
    );
    return claimed ?? null;
  }

  async settle(runId: string, step: string, outcome: { status: 'done' } | { status: 'failed'; error: string } | { status: 'pending' }): Promise<void> {
    await this.db.query(
      `UPDATE after_run_steps SET status = $3, error = $4, finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END,
         started_at = CASE WHEN $3 = 'pending' THEN NULL ELSE started_at END
       WHERE run_id = $1 AND step = $2`,
      [runId, step, outcome.status, outcome.status === 'failed' ? outcome.error : null],
    );
  }
}

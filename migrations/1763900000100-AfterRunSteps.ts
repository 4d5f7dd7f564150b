import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work that follows a successful run (alert evaluation, CRM sync), one row per run and step,
 * written in the transaction that marks the run succeeded: a crash after that commit leaves
 * the rows pending and the after-run worker does the work at the next start.
 */
export class AfterRunSteps1763900000100 implements MigrationInterface {
  name = 'AfterRunSteps1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE after_run_steps (
        run_id uuid NOT NULL REFERENCES scoring_runs(id) ON DELETE CASCADE,
        step text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (run_id, step)
      )`);
    await q.query(`CREATE INDEX after_run_steps_open ON after_run_steps (step, created_at) WHERE status IN ('pending', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE after_run_steps');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Model fits run as jobs: requested, polled for progress, and their report kept once done. */
export class FitJobs1763900000301 implements MigrationInterface {
  name = 'FitJobs1763900000301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fit_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        request jsonb NOT NULL,
        requested_by text,
        progress jsonb NOT NULL DEFAULT '{}',
        report jsonb,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query('CREATE INDEX fit_jobs_recent ON fit_jobs (created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fit_jobs');
  }
}

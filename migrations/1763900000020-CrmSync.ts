import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per CRM sync (on demand or after a scheduled run) with the report it produced. */
export class CrmSync1763900000020 implements MigrationInterface {
  name = 'CrmSync1763900000020';

  async up(q: QueryRunner): Promise<void> {
    // Written when the sync starts (status running) so an in-progress or interrupted sync is
    // visible in the history; the report is filled in when it ends.
    await q.query(`
      CREATE TABLE crm_syncs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        crm text NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
        as_of date NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'api', 'cli')),
        requested_by text,
        run_id uuid REFERENCES scoring_runs(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        report jsonb,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query('CREATE INDEX crm_syncs_recent ON crm_syncs (crm, started_at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE crm_syncs');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs larger than RUN_CHUNK_ACCOUNTS are split into account-range shards that any process picks
 * up (FOR UPDATE SKIP LOCKED); see docs/scaling.md. The run keeps what every shard needs to score
 * its accounts exactly as a run in one piece would (the feeds that exist and the populations
 * accounts are compared with); shards stage their scores, and the run publishes them all in the
 * transaction that marks it succeeded, so a day's scores never show half a run.
 */
export class RunShards1763900000401 implements MigrationInterface {
  name = 'RunShards1763900000401';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE scoring_runs ADD COLUMN shard_plan jsonb');
    await q.query(`
      CREATE TABLE scoring_run_shards (
        run_id uuid NOT NULL REFERENCES scoring_runs(id) ON DELETE CASCADE,
        shard integer NOT NULL,
        account_from integer NOT NULL,
        account_to integer NOT NULL CHECK (account_to >= account_from),
        accounts integer NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done')),
        worker text,
        accounts_scored integer,
        timings jsonb,
        finished_at timestamptz,
        PRIMARY KEY (run_id, shard)
      )`);
    await q.query(`CREATE INDEX scoring_run_shards_queued ON scoring_run_shards (run_id, shard) WHERE status = 'queued'`);
    // Scores of finished shards, as the JSON batches that become account_scores rows on publication.
    await q.query(`
      CREATE TABLE scoring_run_staged_scores (
        run_id uuid NOT NULL REFERENCES scoring_runs(id) ON DELETE CASCADE,
        shard integer NOT NULL,
        batch integer NOT NULL,
        rows jsonb NOT NULL,
        PRIMARY KEY (run_id, shard, batch)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE scoring_run_staged_scores');
    await q.query('DROP TABLE scoring_run_shards');
    await q.query('ALTER TABLE scoring_runs DROP COLUMN shard_plan');
  }
}

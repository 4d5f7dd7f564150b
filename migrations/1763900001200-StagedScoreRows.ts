import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sharded run stages each finished shard's scores until the last shard publishes them all
 * (docs/scaling.md). They were JSON batches (scoring_run_staged_scores, migration 1763900000401):
 * Node encoded every row as JSON, PostgreSQL parsed each batch into jsonb and, at publication,
 * took it apart again into rows, re-printing every explanation. They become rows of
 * account_scores' own shape, copied in with `COPY` as a run held in memory writes its scores, and
 * moved into account_scores with one INSERT … SELECT of the columns a run writes
 * (STORED_SCORE_COLUMNS): a column added to account_scores later is added here too. A sharded run
 * in progress during the upgrade has staged batches the new code does not read: it is failed, to
 * be run again.
 */
export class StagedScoreRows1763900001200 implements MigrationInterface {
  name = 'StagedScoreRows1763900001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE scoring_runs SET status = 'failed', finished_at = now(),
         error = 'interrupted by an upgrade of how sharded runs stage their scores; run it again'
       WHERE status = 'running' AND shard_plan IS NOT NULL`,
    );
    await q.query('CREATE TABLE scoring_run_staged_rows (LIKE account_scores INCLUDING DEFAULTS)');
    await q.query('ALTER TABLE scoring_run_staged_rows ADD FOREIGN KEY (run_id) REFERENCES scoring_runs(id) ON DELETE CASCADE');
    await q.query('CREATE INDEX scoring_run_staged_rows_run ON scoring_run_staged_rows (run_id)');
    await q.query('DROP TABLE scoring_run_staged_scores');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE scoring_runs SET status = 'failed', finished_at = now(),
         error = 'interrupted by a downgrade of how sharded runs stage their scores; run it again'
       WHERE status = 'running' AND shard_plan IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE scoring_run_staged_scores (
        run_id uuid NOT NULL REFERENCES scoring_runs(id) ON DELETE CASCADE,
        shard integer NOT NULL,
        batch integer NOT NULL,
        rows jsonb NOT NULL,
        PRIMARY KEY (run_id, shard, batch)
      )`);
    await q.query('DROP TABLE scoring_run_staged_rows');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * account_scores.model_inputs (the hand-written churn model's inputs, 0–1 each) is dropped: no
 * endpoint, list, export or tuning step read it, and it was a fifth of the JSON a run encodes and
 * stores (4.8 of 24 MB at 18,000 accounts; its unrounded doubles the costliest to print). The
 * churn risk it came from is stored, and a learned model's exact explanation stays in
 * `contributions`. Staged rows of sharded runs (scoring_run_staged_rows, shaped like
 * account_scores) lose the column too; a sharded run in progress keeps its staged rows.
 */
export class DropScoreModelInputs1763900001400 implements MigrationInterface {
  name = 'DropScoreModelInputs1763900001400';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN model_inputs`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Scores stored meanwhile get an empty object: their inputs were not kept.
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN model_inputs json NOT NULL DEFAULT '{}'::json`);
  }
}

const TABLES = ['account_scores', 'scoring_run_staged_rows'];

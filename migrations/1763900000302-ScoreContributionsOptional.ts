import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scores written without a learned model (and rows written by tools that fill account_scores from
 * a JSON record, which sets absent keys to NULL rather than to the default) carry no churn drivers
 * or contributions: NULL means none, and readers treat it as empty.
 */
export class ScoreContributionsOptional1763900000302 implements MigrationInterface {
  name = 'ScoreContributionsOptional1763900000302';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores ALTER COLUMN churn_drivers DROP NOT NULL, ALTER COLUMN contributions DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE account_scores SET churn_drivers = coalesce(churn_drivers, '[]'), contributions = coalesce(contributions, '{}')`);
    await q.query('ALTER TABLE account_scores ALTER COLUMN churn_drivers SET NOT NULL, ALTER COLUMN contributions SET NOT NULL');
  }
}

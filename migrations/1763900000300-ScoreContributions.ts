import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learned-model explanations kept with each score: the churn drivers, and the exact log-odds
 * contribution of every model group, so GET …/health/changes can compare two scored days term by term.
 */
export class ScoreContributions1763900000300 implements MigrationInterface {
  name = 'ScoreContributions1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account_scores ADD COLUMN churn_drivers jsonb NOT NULL DEFAULT '[]', ADD COLUMN contributions jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores DROP COLUMN churn_drivers, DROP COLUMN contributions');
  }
}

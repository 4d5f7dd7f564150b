import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The highest plan-limit utilisation per score, so usage-limit alerts read a number, not a sentence. */
export class ScoreLimitUtilisation1763900000040 implements MigrationInterface {
  name = 'ScoreLimitUtilisation1763900000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores ADD COLUMN limit_utilisation real');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores DROP COLUMN limit_utilisation');
  }
}

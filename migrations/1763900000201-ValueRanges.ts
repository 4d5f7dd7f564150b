import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage values above 10^15 can overflow a run's aggregates, so none is stored from now on
 * (add-mode sums included). NOT VALID: rows already stored are not checked (that would fail the
 * migration on the very data it guards against); runs set aside accounts holding such rows and
 * name them on the run instead, in `invalid_accounts`.
 */
export class ValueRanges1763900000201 implements MigrationInterface {
  name = 'ValueRanges1763900000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE usage_daily ADD CONSTRAINT usage_daily_value_range CHECK (value <= 1e15) NOT VALID');
    await q.query(`ALTER TABLE scoring_runs ADD COLUMN invalid_accounts jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE scoring_runs DROP COLUMN invalid_accounts');
    await q.query('ALTER TABLE usage_daily DROP CONSTRAINT usage_daily_value_range');
  }
}

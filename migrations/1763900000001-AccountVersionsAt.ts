import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `account_versions_at(d)`: each account as it was on day d — its latest version effective on
 * or before d, or its earliest version when d precedes them all (the first version counts for
 * all earlier dates). Reads and scoring runs share it so "as of" means the same everywhere.
 */
export class AccountVersionsAt1763900000001 implements MigrationInterface {
  name = 'AccountVersionsAt1763900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION account_versions_at(d date) RETURNS SETOF account_versions
      LANGUAGE sql STABLE AS $$
        SELECT DISTINCT ON (account_id) *
        FROM account_versions
        ORDER BY account_id,
                 (effective_from <= d) DESC,
                 CASE WHEN effective_from <= d THEN effective_from END DESC,
                 effective_from ASC
      $$`);
    await q.query('CREATE INDEX outcomes_account_day ON outcomes (account_id, occurred_on)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outcomes_account_day');
    await q.query('DROP FUNCTION account_versions_at(date)');
  }
}

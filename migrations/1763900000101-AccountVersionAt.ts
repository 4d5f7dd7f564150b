import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `account_version_at(account, d)`: one account as it was on day d, by the same rule as
 * `account_versions_at(d)` (its latest version effective on or before d, else its earliest).
 * Written for one account so the read stays a primary-key probe (joined to the set-returning
 * function, PostgreSQL would sort every account's versions first); a SQL function, so it is
 * inlined into the caller's query. Single-account reads (the account API, override views)
 * use it instead of restating the rule.
 */
export class AccountVersionAt1763900000101 implements MigrationInterface {
  name = 'AccountVersionAt1763900000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION account_version_at(account integer, d date) RETURNS SETOF account_versions
      LANGUAGE sql STABLE AS $$
        SELECT * FROM account_versions
        WHERE account_id = account
        ORDER BY (effective_from <= d) DESC,
                 CASE WHEN effective_from <= d THEN effective_from END DESC,
                 effective_from ASC
        LIMIT 1
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION account_version_at(integer, date)');
  }
}

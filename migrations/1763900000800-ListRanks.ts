import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each score's place on the at-risk and expansion lists of its day, stored when the day's scores
 * are written (src/scoring/list-ranking.ts), so that a list page is an index range scan of its
 * next rows instead of ranking every listed account of the day on each request (README
 * "Performance"). Partial indexes: only listed accounts have a rank. The ranking statement is
 * a frozen copy of the one the service runs (list-ranking.ts), so this migration never changes.
 */
const RANK_DAY_SQL = `
  UPDATE account_scores t SET at_risk_rank = r.at_risk_rank, expansion_rank = r.expansion_rank
  FROM (
    SELECT s.account_id,
      CASE WHEN s.at_risk THEN row_number() OVER (PARTITION BY s.at_risk ORDER BY s.arr_at_risk DESC, s.churn_risk DESC, s.account_id) END AS at_risk_rank,
      CASE WHEN s.expansion_candidate THEN row_number() OVER (
        PARTITION BY s.expansion_candidate ORDER BY s.expansion_arr * s.upgrade_readiness DESC, s.upgrade_readiness DESC, s.account_id) END AS expansion_rank
    FROM account_scores s
    WHERE s.as_of = $1 AND (s.at_risk OR s.expansion_candidate)
  ) r
  WHERE t.as_of = $1 AND t.account_id = r.account_id`;
export class ListRanks1763900000800 implements MigrationInterface {
  name = 'ListRanks1763900000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores ADD COLUMN at_risk_rank integer, ADD COLUMN expansion_rank integer');
    for (const { as_of } of (await q.query('SELECT DISTINCT as_of::text AS as_of FROM account_scores')) as Array<{ as_of: string }>) {
      await q.query(RANK_DAY_SQL, [as_of]);
    }
    await q.query('CREATE INDEX account_scores_at_risk_rank ON account_scores (as_of, at_risk_rank) WHERE at_risk');
    await q.query('CREATE INDEX account_scores_expansion_rank ON account_scores (as_of, expansion_rank) WHERE expansion_candidate');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores DROP COLUMN at_risk_rank, DROP COLUMN expansion_rank');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each listed score's place on the at-risk and expansion lists of its day moves from two columns
 * of account_scores (migration 1763900000800) to a narrow table of its own. Writing the ranks
 * into account_scores rewrote every listed score row (about 2 KB each, with its indexes) after the
 * day's scores were copied in: 0.37 s of a 20,000-account run, measured. A rank row is 24 bytes,
 * inserted once. List pages read the ranks in order from this table's partial indexes and join
 * the scores by primary key (src/scoring/list-ranking.ts). Keyed by account first like every
 * per-account table (docs/scaling.md). The ranks already stored move over.
 */
export class AccountListRanks1763900001001 implements MigrationInterface {
  name = 'AccountListRanks1763900001001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_list_ranks (
        account_id integer NOT NULL,
        as_of date NOT NULL,
        at_risk_rank integer CHECK (at_risk_rank > 0),
        expansion_rank integer CHECK (expansion_rank > 0),
        PRIMARY KEY (account_id, as_of),
        CHECK (at_risk_rank IS NOT NULL OR expansion_rank IS NOT NULL)
      )`);
    await q.query(`
      INSERT INTO account_list_ranks (account_id, as_of, at_risk_rank, expansion_rank)
      SELECT account_id, as_of, at_risk_rank, expansion_rank FROM account_scores
      WHERE at_risk_rank IS NOT NULL OR expansion_rank IS NOT NULL`);
    await q.query('CREATE INDEX account_list_ranks_at_risk ON account_list_ranks (as_of, at_risk_rank) WHERE at_risk_rank IS NOT NULL');
    await q.query('CREATE INDEX account_list_ranks_expansion ON account_list_ranks (as_of, expansion_rank) WHERE expansion_rank IS NOT NULL');
    await q.query('DROP INDEX account_scores_at_risk_rank, account_scores_expansion_rank');
    await q.query('ALTER TABLE account_scores DROP COLUMN at_risk_rank, DROP COLUMN expansion_rank');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE account_scores ADD COLUMN at_risk_rank integer, ADD COLUMN expansion_rank integer');
    await q.query(`
      UPDATE account_scores s SET at_risk_rank = r.at_risk_rank, expansion_rank = r.expansion_rank
      FROM account_list_ranks r WHERE r.account_id = s.account_id AND r.as_of = s.as_of`);
    await q.query('CREATE INDEX account_scores_at_risk_rank ON account_scores (as_of, at_risk_rank) WHERE at_risk');
    await q.query('CREATE INDEX account_scores_expansion_rank ON account_scores (as_of, expansion_rank) WHERE expansion_candidate');
    await q.query('DROP TABLE account_list_ranks');
  }
}

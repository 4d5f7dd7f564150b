export type ListKind = 'at-risk' | 'expansion';

/**
 * Membership comes from the flags the run stored (set from the config's list thresholds, never
 * from account size); ranking is by money at stake. `account_id` breaks ties so pages are stable.
 * `rank` is the column holding the account's place on the list of its day (1 = first), written
 * with the day's scores by RANK_DAY_SQL; NULL off the list. SQL fragments name the scores `s`;
 * `memberColumn` is the flag's bare column name, for other aliases.
 */
export const LIST_SQL: Record<ListKind, { member: string; memberColumn: string; order: string; rank: string }> = {
  'at-risk': { member: 's.at_risk', memberColumn: 'at_risk', order: 's.arr_at_risk DESC, s.churn_risk DESC, s.account_id', rank: 's.at_risk_rank' },
  expansion: {
    member: 's.expansion_candidate',
    memberColumn: 'expansion_candidate',
    order: 's.expansion_arr * s.upgrade_readiness DESC, s.upgrade_readiness DESC, s.account_id',
    rank: 's.expansion_rank',
  },
};

/**
 * Stores every listed score's place on each list of one day ($1), in the transaction that wrote
 * the day's scores: a list page then reads its next rows from an index in rank order instead of
 * ranking the whole day per request. Only listed rows are touched.
 */
export const RANK_DAY_SQL = `
  UPDATE account_scores t SET at_risk_rank = r.at_risk_rank, expansion_rank = r.expansion_rank
  FROM (
    SELECT s.account_id,
      CASE WHEN ${LIST_SQL['at-risk'].member} THEN row_number() OVER (PARTITION BY ${LIST_SQL['at-risk'].member} ORDER BY ${LIST_SQL['at-risk'].order}) END AS at_risk_rank,
      CASE WHEN ${LIST_SQL.expansion.member} THEN row_number() OVER (PARTITION BY ${LIST_SQL.expansion.member} ORDER BY ${LIST_SQL.expansion.order}) END AS expansion_rank
    FROM account_scores s
    WHERE s.as_of = $1 AND (${LIST_SQL['at-risk'].member} OR ${LIST_SQL.expansion.member})
  ) r
  WHERE t.as_of = $1 AND t.account_id = r.account_id`;

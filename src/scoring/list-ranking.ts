export type ListKind = 'at-risk' | 'expansion';

/**
 * Membership comes from the flags the run stored (set from the config's list thresholds, never
 * from account size); ranking is by money at stake. `account_id` breaks ties so pages are stable.
 * `rank` is the account's place on the list of its day (1 = first), in account_list_ranks (alias
 * `r`, joined to the scores by RANKS_JOIN), written with the day's scores: by RANK_DAY_STATEMENTS
 * for sharded runs, by listRanks (domain/list-ranks.ts, the same order; e2e) for runs held in
 * memory; NULL off the list. SQL fragments name the scores `s`; `memberColumn` is the flag's bare
 * column name, for other aliases.
 */
export const LIST_SQL: Record<ListKind, { member: string; memberColumn: string; order: string; rank: string }> = {
  'at-risk': { member: 's.at_risk', memberColumn: 'at_risk', order: 's.arr_at_risk DESC, s.churn_risk DESC, s.account_id', rank: 'r.at_risk_rank' },
  expansion: {
    member: 's.expansion_candidate',
    memberColumn: 'expansion_candidate',
    order: 's.expansion_arr * s.upgrade_readiness DESC, s.upgrade_readiness DESC, s.account_id',
    rank: 'r.expansion_rank',
  },
};

/** The ranks `r` of the scores `s` (migration 1763900001001-AccountListRanks). */
export const RANKS_JOIN = 'JOIN account_list_ranks r ON r.account_id = s.account_id AND r.as_of = s.as_of';

/**
 * Stores every listed score's place on each list of one day ($1), in the transaction that wrote
 * the day's scores (run them in order): a list page then reads its next rows from an index in rank
 * order instead of ranking the whole day per request. A narrow row per listed account, inserted
 * once: ranks written into the scores rewrote each listed score row (measured; docs/performance.md).
 */
export const RANK_DAY_STATEMENTS: readonly string[] = [
  'DELETE FROM account_list_ranks WHERE as_of = $1',
  `INSERT INTO account_list_ranks (account_id, as_of, at_risk_rank, expansion_rank)
   SELECT s.account_id, s.as_of,
     CASE WHEN ${LIST_SQL['at-risk'].member} THEN row_number() OVER (PARTITION BY ${LIST_SQL['at-risk'].member} ORDER BY ${LIST_SQL['at-risk'].order}) END,
     CASE WHEN ${LIST_SQL.expansion.member} THEN row_number() OVER (PARTITION BY ${LIST_SQL.expansion.member} ORDER BY ${LIST_SQL.expansion.order}) END
   FROM account_scores s
   WHERE s.as_of = $1 AND (${LIST_SQL['at-risk'].member} OR ${LIST_SQL.expansion.member})`,
];

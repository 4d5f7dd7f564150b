export type ListKind = 'at-risk' | 'expansion';

/**
 * Membership comes from the flags the run stored (set from the config's list thresholds, never
 * from account size); ranking is by money at stake. `account_id` breaks ties so pages are stable.
 */
export const LIST_SQL: Record<ListKind, { member: string; order: string }> = {
  'at-risk': { member: 's.at_risk', order: 's.arr_at_risk DESC, s.churn_risk DESC, s.account_id' },
  expansion: { member: 's.expansion_candidate', order: 's.expansion_arr * s.upgrade_readiness DESC, s.upgrade_readiness DESC, s.account_id' },
};

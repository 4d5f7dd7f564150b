/**
 * Places on the day's at-risk and expansion lists, computed from the values a run stores: the
 * same order as LIST_SQL's (list-ranking.ts), which ranks a day in SQL for sharded runs. A run
 * held in memory ranks here as its rows are written, instead of reading the day's scores back.
 */

/** One stored score's list membership and sort keys, as its columns hold them. */
export interface RankKeys {
  accountId: number;
  atRisk: boolean;
  expansionCandidate: boolean;
  /** numeric(14,2) columns: the stored two-decimal values. */
  arrAtRisk: number;
  expansionArr: number;
  /** real (float4) columns: see asStoredReal. */
  churnRisk: number;
  upgradeReadiness: number;
}

/** A listed account's places (1 = first), null off that list. */
export interface ListRank {
  account_id: number;
  at_risk_rank: number | null;
  expansion_rank: number | null;
}

/**
 * The float4 a `real` column stores for a value written as JavaScript prints it. Exact for the
 * stored precisions (at most 4 decimals, below 10^6): such a decimal lies much further from every
 * float4 rounding midpoint than the double nearest it does, so rounding the double to float4 gives
 * what PostgreSQL's parse of the decimal gives.
 */
export const asStoredReal = Math.fround;

/** A stored score row's columns that place it on the lists (as a run writes them or a query reads them). */
export interface RankedColumns {
  account_id: number;
  at_risk: boolean;
  expansion_candidate: boolean;
  arr_at_risk: number;
  expansion_arr: number;
  churn_risk: number;
  upgrade_readiness: number;
}

/** The keys of a row, its real columns taken as the float4 they store. */
export function rankKeysOf(row: RankedColumns): RankKeys {
  return {
    accountId: row.account_id,
    atRisk: row.at_risk,
    expansionCandidate: row.expansion_candidate,
    arrAtRisk: row.arr_at_risk,
    expansionArr: row.expansion_arr,
    churnRisk: asStoredReal(row.churn_risk),
    upgradeReadiness: asStoredReal(row.upgrade_readiness),
  };
}

/** at-risk: money at stake first (arr_at_risk DESC, churn_risk DESC, account_id). */
function byRisk(a: RankKeys, b: RankKeys): number {
  return b.arrAtRisk - a.arrAtRisk || b.churnRisk - a.churnRisk || a.accountId - b.accountId;
}

/**
 * expansion: expansion_arr × upgrade_readiness DESC, upgrade_readiness DESC, account_id. PostgreSQL
 * multiplies numeric × real in float8 (both converted), which is JavaScript's multiplication.
 */
function byExpansion(a: RankKeys, b: RankKeys): number {
  return b.expansionArr * b.upgradeReadiness - a.expansionArr * a.upgradeReadiness || b.upgradeReadiness - a.upgradeReadiness || a.accountId - b.accountId;
}

/** Every listed account's places on the day's lists, in account order. */
export function listRanks(keys: readonly RankKeys[]): ListRank[] {
  const places = new Map<number, ListRank>();
  const place = (account: number) => {
    let found = places.get(account);
    if (!found) places.set(account, (found = { account_id: account, at_risk_rank: null, expansion_rank: null }));
    return found;
  };
  for (const [index, key] of keys.filter((k) => k.atRisk).sort(byRisk).entries()) place(key.accountId).at_risk_rank = index + 1;
  for (const [index, key] of keys.filter((k) => k.expansionCandidate).sort(byExpansion).entries()) place(key.accountId).expansion_rank = index + 1;
  return [...places.values()].sort((a, b) => a.account_id - b.account_id);
}

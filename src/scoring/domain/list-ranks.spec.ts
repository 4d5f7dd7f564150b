import { describe, expect, it } from '@jest/globals';
import { asStoredReal, listRanks, type RankKeys } from './list-ranks.js';

const keys = (accountId: number, over: Partial<RankKeys>): RankKeys => ({
  accountId,
  atRisk: false,
  expansionCandidate: false,
  arrAtRisk: 0,
  expansionArr: 0,
  churnRisk: 0,
  upgradeReadiness: 0,
  ...over,
});

describe('listRanks', () => {
  it('ranks the at-risk list by money at stake, then churn risk, then account id', () => {
    const ranks = listRanks([
      keys(4, { atRisk: true, arrAtRisk: 500, churnRisk: 0.6 }),
      keys(1, { atRisk: true, arrAtRisk: 500, churnRisk: 0.6 }),
      keys(2, { atRisk: true, arrAtRisk: 500, churnRisk: 0.7 }),
      keys(3, { atRisk: true, arrAtRisk: 900, churnRisk: 0.5 }),
    ]);
    expect(ranks.map((r) => [r.account_id, r.at_risk_rank])).toEqual([
      [1, 3],
      [2, 2],
      [3, 1],
      [4, 4],
    ]);
  });

  it('ranks the expansion list by expansion ARR × readiness, then readiness, then account id', () => {
    const ranks = listRanks([
      // 1000 × 50 = 2000 × 25: the product ties, readiness decides.
      keys(7, { expansionCandidate: true, expansionArr: 2000, upgradeReadiness: 25 }),
      keys(8, { expansionCandidate: true, expansionArr: 1000, upgradeReadiness: 50 }),
      keys(9, { expansionCandidate: true, expansionArr: 1000, upgradeReadiness: 50 }),
      keys(6, { expansionCandidate: true, expansionArr: 100, upgradeReadiness: 90 }),
    ]);
    expect(ranks.map((r) => [r.account_id, r.expansion_rank])).toEqual([
      [6, 4],
      [7, 3],
      [8, 1],
      [9, 2],
    ]);
  });

  it('lists an account on each list it belongs to, null on the other, and leaves out the unlisted', () => {
    const ranks = listRanks([
      keys(1, { atRisk: true, expansionCandidate: true, arrAtRisk: 10, expansionArr: 10, upgradeReadiness: 10 }),
      keys(2, { atRisk: true, arrAtRisk: 20 }),
      keys(3, {}),
      keys(5, { expansionCandidate: true, expansionArr: 5, upgradeReadiness: 5 }),
    ]);
    expect(ranks).toEqual([
      { account_id: 1, at_risk_rank: 2, expansion_rank: 1 },
      { account_id: 2, at_risk_rank: 1, expansion_rank: null },
      { account_id: 5, at_risk_rank: null, expansion_rank: 2 },
    ]);
  });

  it('compares real columns as the float4 they store: values equal in float4 tie', () => {
    // 0.3 and 0.30000001 differ as doubles but are the same float4, so account id decides.
    const ranks = listRanks([
      keys(2, { atRisk: true, arrAtRisk: 100, churnRisk: asStoredReal(0.3) }),
      keys(1, { atRisk: true, arrAtRisk: 100, churnRisk: asStoredReal(0.30000001) }),
    ]);
    expect(ranks.map((r) => r.at_risk_rank)).toEqual([1, 2]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { compareScores, type ComparableScore } from './compare-scores.js';

let nextId = 1;
function score(overrides: Partial<ComparableScore> = {}): ComparableScore {
  const accountId = overrides.accountId ?? nextId++;
  return {
    accountId,
    externalId: `acc-${accountId}`,
    name: `Account ${accountId}`,
    arr: 10_000,
    grade: 'green',
    healthScore: 80,
    churnRisk: 0.1,
    arrAtRisk: 1_000,
    atRisk: false,
    upgradeReadiness: 20,
    expansionArr: 0,
    expansionCandidate: false,
    ...overrides,
  };
}

/** The same accounts with some fields changed by a candidate config. */
const rescored = (scores: ComparableScore[], change: (s: ComparableScore) => Partial<ComparableScore>) => scores.map((s) => ({ ...s, ...change(s) }));

describe('compareScores', () => {
  it('reports nothing when the candidate scores like the stored run', () => {
    const before = [score({ atRisk: true, grade: 'red', healthScore: 30 }), score(), score({ expansionCandidate: true, upgradeReadiness: 75, expansionArr: 5000 })];
    const result = compareScores(before, before.map((s) => ({ ...s })), { limit: 10 });
    expect(result).toMatchObject({
      accountsCompared: 3,
      accountsNotCompared: { onlyStored: 0, onlyCandidate: 0 },
      gradeChanges: [],
      rankChanges: [],
      atRisk: { entered: [], exited: [] },
      expansion: { entered: [], exited: [] },
      counts: { gradeChanges: 0, rankChanges: 0, atRiskEntered: 0, atRiskExited: 0, expansionEntered: 0, expansionExited: 0 },
    });
    expect(result.summary).toEqual({
      atRiskCount: { before: 1, after: 1 },
      expansionCount: { before: 1, after: 1 },
      meanHealth: { before: 63.3, after: 63.3 },
      grades: { before: { green: 2, yellow: 0, red: 1 }, after: { green: 2, yellow: 0, red: 1 } },
    });
  });

  it('ranks the at-risk list by ARR at risk and reports exits with their old rank when the threshold rises', () => {
    const big = score({ accountId: 101, atRisk: true, arrAtRisk: 50_000, churnRisk: 0.9 });
    const mid = score({ accountId: 102, atRisk: true, arrAtRisk: 20_000, churnRisk: 0.55 });
    const small = score({ accountId: 103, atRisk: true, arrAtRisk: 5_000, churnRisk: 0.8 });
    const before = [small, mid, big];
    // A higher minChurnRisk takes `mid` (risk 0.55) off the list; `small` moves up from 3 to 2.
    const after = rescored(before, (s) => ({ atRisk: s.churnRisk >= 0.6 }));
    const result = compareScores(before, after, { limit: 10 });
    expect(result.summary.atRiskCount).toEqual({ before: 3, after: 2 });
    expect(result.atRisk.entered).toEqual([]);
    expect(result.atRisk.exited).toEqual([
      {
        externalId: 'acc-102',
        name: 'Account 102',
        rank: 2,
        before: { grade: 'green', healthScore: 80, churnRisk: 0.55, arrAtRisk: 20_000, upgradeReadiness: 20, expansionArr: 0 },
        after: { grade: 'green', healthScore: 80, churnRisk: 0.55, arrAtRisk: 20_000, upgradeReadiness: 20, expansionArr: 0 },
      },
    ]);
    expect(result.rankChanges).toEqual([{ externalId: 'acc-103', name: 'Account 103', from: 3, to: 2, delta: -1 }]);
  });

  it('breaks ARR-at-risk ties by churn risk, then by account id', () => {
    const a = score({ accountId: 201, atRisk: true, arrAtRisk: 9_000, churnRisk: 0.6 });
    const b = score({ accountId: 202, atRisk: true, arrAtRisk: 9_000, churnRisk: 0.7 });
    const c = score({ accountId: 203, atRisk: true, arrAtRisk: 9_000, churnRisk: 0.7 });
    // Before: b (0.7, id 202), c (0.7, id 203), a. After a's risk rises above both.
    const after = rescored([a, b, c], (s) => (s.accountId === 201 ? { churnRisk: 0.8 } : {}));
    const result = compareScores([a, b, c], after, { limit: 10 });
    expect(result.rankChanges).toEqual([
      { externalId: 'acc-201', name: 'Account 201', from: 3, to: 1, delta: -2 },
      { externalId: 'acc-202', name: 'Account 202', from: 1, to: 2, delta: 1 },
      { externalId: 'acc-203', name: 'Account 203', from: 2, to: 3, delta: 1 },
    ]);
  });

  it('lists grade changes biggest ARR first, truncated to the limit with full counts', () => {
    const before = [score({ arr: 1_000 }), score({ arr: 90_000 }), score({ arr: 30_000 }), score({ arr: 5_000, grade: 'yellow' })];
    const after = rescored(before, (s) => ({ grade: s.grade === 'green' ? 'yellow' : 'red', healthScore: s.healthScore - 20 }));
    const result = compareScores(before, after, { limit: 2 });
    expect(result.gradeChanges.map((c) => [c.arr, c.from, c.to])).toEqual([
      [90_000, 'green', 'yellow'],
      [30_000, 'green', 'yellow'],
    ]);
    expect(result.gradeChanges[0]!.healthScore).toEqual({ before: 80, after: 60 });
    expect(result.counts.gradeChanges).toBe(4);
    expect(result.summary.meanHealth).toEqual({ before: 80, after: 60 });
    expect(result.summary.grades.after).toEqual({ green: 0, yellow: 3, red: 1 });
    expect(result.limit).toBe(2);
  });

  it('reports expansion entries ranked by expansion ARR × readiness, and exits', () => {
    const leaving = score({ accountId: 301, expansionCandidate: true, upgradeReadiness: 62, expansionArr: 10_000 });
    const joiningSmall = score({ accountId: 302, upgradeReadiness: 58, expansionArr: 2_000 });
    const joiningBig = score({ accountId: 303, upgradeReadiness: 55, expansionArr: 40_000 });
    const before = [leaving, joiningSmall, joiningBig];
    // A candidate with minReadiness 50 → 65 would drop 301; one with different readiness factors lifts the others.
    const after = rescored(before, (s) =>
      s.accountId === 301 ? { expansionCandidate: false, upgradeReadiness: 48 } : { expansionCandidate: true, upgradeReadiness: s.upgradeReadiness + 20 },
    );
    const result = compareScores(before, after, { limit: 10 });
    expect(result.expansion.entered.map((m) => [m.externalId, m.rank])).toEqual([
      ['acc-303', 1],
      ['acc-302', 2],
    ]);
    expect(result.expansion.exited.map((m) => [m.externalId, m.rank, m.before.upgradeReadiness, m.after.upgradeReadiness])).toEqual([['acc-301', 1, 62, 48]]);
    expect(result.summary.expansionCount).toEqual({ before: 1, after: 2 });
    expect(result.rankChanges).toEqual([]);
  });

  it('compares only accounts scored on both sides and ranks among them', () => {
    const kept = score({ accountId: 401, atRisk: true, arrAtRisk: 1_000 });
    const closedSinceRun = score({ accountId: 402, atRisk: true, arrAtRisk: 99_000 });
    const addedSinceRun = score({ accountId: 403, atRisk: true, arrAtRisk: 50_000 });
    const result = compareScores([kept, closedSinceRun], [{ ...kept }, addedSinceRun], { limit: 10 });
    expect(result.accountsCompared).toBe(1);
    expect(result.accountsNotCompared).toEqual({ onlyStored: 1, onlyCandidate: 1 });
    // Rank 1 on both sides: the accounts on one side only do not shift it.
    expect(result.rankChanges).toEqual([]);
    expect(result.atRisk).toEqual({ entered: [], exited: [] });
    expect(result.summary.atRiskCount).toEqual({ before: 1, after: 1 });
  });

  it('orders rank changes by the size of the move', () => {
    const before = Array.from({ length: 6 }, (_, i) => score({ accountId: 500 + i, atRisk: true, arrAtRisk: 60_000 - i * 10_000 }));
    // Reverse the list: the ends move 5 places, the middle ones 1.
    const after = rescored(before, (s) => ({ arrAtRisk: 10_000 + (s.accountId - 500) * 10_000 }));
    const result = compareScores(before, after, { limit: 4 });
    expect(result.rankChanges.map((c) => Math.abs(c.delta))).toEqual([5, 5, 3, 3]);
    expect(result.rankChanges[0]).toMatchObject({ externalId: 'acc-505', from: 6, to: 1 });
    expect(result.counts.rankChanges).toBe(6);
  });

  it('answers empty comparisons without dividing by zero', () => {
    const result = compareScores([], [], { limit: 10 });
    expect(result.accountsCompared).toBe(0);
    expect(result.summary.meanHealth).toEqual({ before: null, after: null });
  });
});

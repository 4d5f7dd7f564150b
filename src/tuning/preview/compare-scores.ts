/**
 * What a candidate config would change, from two sets of scores of the same accounts on the
 * same day: the stored ones (made by the config of the run) and the candidate's. Pure, so the
 * preview endpoint, the CLI's `config diff` and tests share it.
 *
 * Only accounts present on both sides are compared, and lists are ranked among them, so the
 * result shows the effect of the config alone, not of accounts added or closed since the run.
 * Ranking follows the lists (src/lists/list-definitions.ts): at-risk by ARR at risk, then churn
 * risk; expansion by expansion ARR × readiness, then readiness; account id breaks ties.
 */

import type { Grade } from '../../scoring/domain/features.types.js';

export interface ComparableScore {
  accountId: number;
  externalId: string;
  name: string;
  arr: number;
  grade: Grade;
  healthScore: number;
  churnRisk: number;
  arrAtRisk: number;
  atRisk: boolean;
  upgradeReadiness: number;
  expansionArr: number;
  expansionCandidate: boolean;
}

export interface ScoreSnapshot {
  grade: Grade;
  healthScore: number;
  churnRisk: number;
  arrAtRisk: number;
  upgradeReadiness: number;
  expansionArr: number;
}

export interface BeforeAfter<T> {
  before: T;
  after: T;
}

export interface GradeChange {
  externalId: string;
  name: string;
  arr: number;
  from: Grade;
  to: Grade;
  healthScore: BeforeAfter<number>;
}

export interface RankChange {
  externalId: string;
  name: string;
  from: number;
  to: number;
  /** to − from: negative moved up the list (more urgent), positive moved down. */
  delta: number;
}

export interface ListMove {
  externalId: string;
  name: string;
  /** Rank on the list the account is on: after for entries, before for exits. */
  rank: number;
  before: ScoreSnapshot;
  after: ScoreSnapshot;
}

export interface ListChanges {
  entered: ListMove[];
  exited: ListMove[];
}

export type GradeCounts = Record<Grade, number>;

export interface ScoreComparison {
  accountsCompared: number;
  /** Accounts scored on one side only (added, closed or churned since the run): left out of everything below. */
  accountsNotCompared: { onlyStored: number; onlyCandidate: number };
  /** Biggest ARR first. */
  gradeChanges: GradeChange[];
  /** At-risk list, accounts on it before and after whose rank moved; largest moves first. */
  rankChanges: RankChange[];
  atRisk: ListChanges;
  expansion: ListChanges;
  summary: {
    atRiskCount: BeforeAfter<number>;
    expansionCount: BeforeAfter<number>;
    meanHealth: BeforeAfter<number | null>;
    grades: BeforeAfter<GradeCounts>;
  };
  /** Full counts; the arrays above hold at most `limit` items each. */
  counts: {
    gradeChanges: number;
    rankChanges: number;
    atRiskEntered: number;
    atRiskExited: number;
    expansionEntered: number;
    expansionExited: number;
  };
  limit: number;
}

type Ranking = (a: ComparableScore, b: ComparableScore) => number;

const atRiskOrder: Ranking = (a, b) => b.arrAtRisk - a.arrAtRisk || b.churnRisk - a.churnRisk || a.accountId - b.accountId;
const expansionOrder: Ranking = (a, b) =>
  b.expansionArr * b.upgradeReadiness - a.expansionArr * a.upgradeReadiness || b.upgradeReadiness - a.upgradeReadiness || a.accountId - b.accountId;

/** accountId → 1-based rank among the members of a list. */
function ranks(scores: readonly ComparableScore[], member: (score: ComparableScore) => boolean, order: Ranking): Map<number, number> {
  return new Map(
    scores
      .filter(member)
      .sort(order)
      .map((score, index) => [score.accountId, index + 1]),
  );
}

const snapshot = (score: ComparableScore): ScoreSnapshot => ({
  grade: score.grade,
  healthScore: score.healthScore,
  churnRisk: score.churnRisk,
  arrAtRisk: score.arrAtRisk,
  upgradeReadiness: score.upgradeReadiness,
  expansionArr: score.expansionArr,
});

const round1 = (value: number) => Math.round(value * 10) / 10;

function meanHealth(scores: readonly ComparableScore[]): number | null {
  if (scores.length === 0) return null;
  return round1(scores.reduce((sum, score) => sum + score.healthScore, 0) / scores.length);
}

function gradeCounts(scores: readonly ComparableScore[]): GradeCounts {
  const counts: GradeCounts = { green: 0, yellow: 0, red: 0 };
  for (const score of scores) counts[score.grade] += 1;
  return counts;
}

interface Pair {
  before: ComparableScore;
  after: ComparableScore;
}

function listChanges(pairs: readonly Pair[], rankBefore: Map<number, number>, rankAfter: Map<number, number>): { entered: ListMove[]; exited: ListMove[] } {
  const move = (pair: Pair, rank: number): ListMove => ({
    externalId: pair.after.externalId,
    name: pair.after.name,
    rank,
    before: snapshot(pair.before),
    after: snapshot(pair.after),
  });
  const entered: ListMove[] = [];
  const exited: ListMove[] = [];
  for (const pair of pairs) {
    const was = rankBefore.get(pair.before.accountId);
    const is = rankAfter.get(pair.after.accountId);
    if (was === undefined && is !== undefined) entered.push(move(pair, is));
    if (was !== undefined && is === undefined) exited.push(move(pair, was));
  }
  const byRank = (a: ListMove, b: ListMove) => a.rank - b.rank;
  return { entered: entered.sort(byRank), exited: exited.sort(byRank) };
}

export function compareScores(before: readonly ComparableScore[], after: readonly ComparableScore[], options: { limit: number }): ScoreComparison {
  const afterById = new Map(after.map((score) => [score.accountId, score]));
  const beforeIds = new Set(before.map((score) => score.accountId));
  const pairs: Pair[] = before.flatMap((score) => {
    const candidate = afterById.get(score.accountId);
    return candidate === undefined ? [] : [{ before: score, after: candidate }];
  });
  const beforeSet = pairs.map((pair) => pair.before);
  const afterSet = pairs.map((pair) => pair.after);

  const gradeChanges: GradeChange[] = pairs
    .filter((pair) => pair.before.grade !== pair.after.grade)
    .map((pair) => ({
      externalId: pair.after.externalId,
      name: pair.after.name,
      arr: pair.after.arr,
      from: pair.before.grade,
      to: pair.after.grade,
      healthScore: { before: pair.before.healthScore, after: pair.after.healthScore },
    }))
    .sort((a, b) => b.arr - a.arr || a.externalId.localeCompare(b.externalId));

  const atRiskBefore = ranks(beforeSet, (score) => score.atRisk, atRiskOrder);
  const atRiskAfter = ranks(afterSet, (score) => score.atRisk, atRiskOrder);
  const rankChanges: RankChange[] = pairs
    .flatMap((pair) => {
      const from = atRiskBefore.get(pair.before.accountId);
      const to = atRiskAfter.get(pair.after.accountId);
      if (from === undefined || to === undefined || from === to) return [];
      return [{ externalId: pair.after.externalId, name: pair.after.name, from, to, delta: to - from }];
    })
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.to - b.to);

  const expansionBefore = ranks(beforeSet, (score) => score.expansionCandidate, expansionOrder);
  const expansionAfter = ranks(afterSet, (score) => score.expansionCandidate, expansionOrder);
  const atRisk = listChanges(pairs, atRiskBefore, atRiskAfter);
  const expansion = listChanges(pairs, expansionBefore, expansionAfter);

  const limit = Math.max(0, options.limit);
  return {
    accountsCompared: pairs.length,
    accountsNotCompared: {
      onlyStored: before.length - pairs.length,
      onlyCandidate: after.filter((score) => !beforeIds.has(score.accountId)).length,
    },
    gradeChanges: gradeChanges.slice(0, limit),
    rankChanges: rankChanges.slice(0, limit),
    atRisk: { entered: atRisk.entered.slice(0, limit), exited: atRisk.exited.slice(0, limit) },
    expansion: { entered: expansion.entered.slice(0, limit), exited: expansion.exited.slice(0, limit) },
    summary: {
      atRiskCount: { before: atRiskBefore.size, after: atRiskAfter.size },
      expansionCount: { before: expansionBefore.size, after: expansionAfter.size },
      meanHealth: { before: meanHealth(beforeSet), after: meanHealth(afterSet) },
      grades: { before: gradeCounts(beforeSet), after: gradeCounts(afterSet) },
    },
    counts: {
      gradeChanges: gradeChanges.length,
      rankChanges: rankChanges.length,
      atRiskEntered: atRisk.entered.length,
      atRiskExited: atRisk.exited.length,
      expansionEntered: expansion.entered.length,
      expansionExited: expansion.exited.length,
    },
    limit,
  };
}

import { describe, expect, it } from '@jest/globals';
import { liftByDecile, rocCurve } from './ranking-curves.js';
import { liftTopDecile, positivesInTop, precisionAtK, rankRows, rocAuc, topDecileSize, type ScoredLabel } from './ranking-metrics.js';

const rows = (pairs: Array<[number, 0 | 1]>): ScoredLabel[] => pairs.map(([score, label]) => ({ score, label: label === 1 }));

// Case A, no ties:   0.9(+) 0.8(−) 0.7(+) 0.6(−) 0.5(−)
const caseA = rows([
  [0.9, 1],
  [0.8, 0],
  [0.7, 1],
  [0.6, 0],
  [0.5, 0],
]);

// Case B, ties:      0.8(+) 0.8(−) 0.5(+) 0.5(−) 0.5(−) 0.2(−)
const caseB = rows([
  [0.8, 1],
  [0.8, 0],
  [0.5, 1],
  [0.5, 0],
  [0.5, 0],
  [0.2, 0],
]);

describe('rocAuc (Mann–Whitney)', () => {
  it('matches the hand-computed value without ties', () => {
    // Ascending ranks: 0.5→1, 0.6→2, 0.7→3, 0.8→4, 0.9→5. R⁺ = 5 + 3 = 8.
    // U = R⁺ − n⁺(n⁺+1)/2 = 8 − 3 = 5; AUC = U / (n⁺·n⁻) = 5 / (2·3) = 0.8333…
    // Pairwise check: 0.9 beats all 3 negatives, 0.7 beats 0.6 and 0.5 → 5 of 6 pairs.
    expect(rocAuc(caseA)).toBeCloseTo(5 / 6, 12);
  });

  it('counts ties as one half (the mid-rank value)', () => {
    // Ascending: 0.2→1; the three 0.5s → (2+3+4)/3 = 3; the two 0.8s → (5+6)/2 = 5.5.
    // R⁺ = 5.5 (the positive 0.8) + 3 (the positive 0.5) = 8.5; U = 8.5 − 2·3/2 = 5.5; AUC = 5.5 / (2·4) = 0.6875.
    // Pairwise: 0.8⁺ vs {0.8 tie ½, 0.5, 0.5, 0.2} = 3.5; 0.5⁺ vs {0.8 lose, 0.5 ½, 0.5 ½, 0.2} = 2 → 5.5 / 8.
    expect(rocAuc(caseB)).toBeCloseTo(0.6875, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and ½ when every score is equal', () => {
    expect(rocAuc(rows([[3, 1], [2, 0], [1, 0]]))).toBe(1);
    expect(rocAuc(rows([[3, 0], [2, 0], [1, 1]]))).toBe(0);
    expect(rocAuc(rows([[0.4, 1], [0.4, 0], [0.4, 0]]))).toBe(0.5);
  });

  it('is null when one class is missing', () => {
    expect(rocAuc(rows([[0.2, 0], [0.3, 0]]))).toBeNull();
    expect(rocAuc(rows([[0.2, 1]]))).toBeNull();
    expect(rocAuc([])).toBeNull();
  });

  it('does not depend on the order of the rows', () => {
    expect(rocAuc([...caseB].reverse())).toBeCloseTo(0.6875, 12);
  });

  it('equals the share of positive–negative pairs ranked right (ties ½) on many tied rows', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ score: (i * 7919) % 23, label: (i * 104729) % 5 < 2 }));
    let right = 0;
    let pairs = 0;
    for (const a of many) for (const b of many) if (a.label && !b.label) (pairs++, (right += a.score > b.score ? 1 : a.score === b.score ? 0.5 : 0));
    expect(rocAuc(many)).toBe(right / pairs);
  });

  it('ends on scores that are not numbers, keeping them together', () => {
    expect(rocAuc(rows([[Number.NaN, 1], [0.5, 0], [Number.NaN, 0], [0.2, 0]]))).toBeCloseTo((1 + 1 + 0.5) / 3, 12);
  });
});

describe('positivesInTop and precisionAtK', () => {
  it('counts a tied block split by the cut-off pro rata', () => {
    // Top 1 of case B: the 0.8 block has 2 rows and 1 positive; 1 place of 2 → ½ positive.
    expect(positivesInTop(caseB, 1)).toBeCloseTo(0.5, 12);
    // Top 3: the whole 0.8 block (1 positive) + 1 of the three 0.5s (1 positive among them) → 1 + ⅓.
    expect(positivesInTop(caseB, 3)).toBeCloseTo(4 / 3, 12);
  });

  it('gives precision@k as positives in the top k over k', () => {
    // Case A, k = 3: 0.9⁺, 0.8⁻, 0.7⁺ → 2 / 3.
    expect(precisionAtK(caseA, 3)).toBeCloseTo(2 / 3, 12);
    // Case B, k = 3: (1 + ⅓) / 3 = 0.4444…
    expect(precisionAtK(caseB, 3)).toBeCloseTo(4 / 9, 12);
  });

  it('caps k at the number of rows and is null without rows', () => {
    // k = 20 on 5 rows: all 5 taken, 2 positives → 0.4.
    expect(precisionAtK(caseA, 20)).toBeCloseTo(0.4, 12);
    expect(precisionAtK([], 5)).toBeNull();
  });
});

describe('liftTopDecile', () => {
  it('rounds the decile up so small sets still have one', () => {
    expect(topDecileSize(5)).toBe(1);
    expect(topDecileSize(20)).toBe(2);
    expect(topDecileSize(21)).toBe(3);
  });

  it('is the top decile positive rate over the base rate', () => {
    // Case A: top decile = 1 row (0.9, positive) → rate 1; base rate 2/5 = 0.4; lift 1 / 0.4 = 2.5.
    expect(liftTopDecile(caseA)).toBeCloseTo(2.5, 12);
  });

  it('matches a 20-row hand count', () => {
    // Scores 20, 19, …, 1; positives at 20, 18, 9 and 3. Top decile = 2 rows (20⁺, 19⁻) → rate ½.
    // Base rate 4/20 = 0.2 → lift 0.5 / 0.2 = 2.5.
    const twenty = Array.from({ length: 20 }, (_, i) => ({ score: 20 - i, label: [20, 18, 9, 3].includes(20 - i) }));
    expect(liftTopDecile(twenty)).toBeCloseTo(2.5, 12);
  });

  it('uses the pro-rata count when the decile boundary splits a tie', () => {
    // Case B (6 rows): top decile = 1 row, inside the 0.8 block → ½ positive; base rate 2/6.
    // Lift = 0.5 / (1/3) = 1.5.
    expect(liftTopDecile(caseB)).toBeCloseTo(1.5, 12);
  });

  it('is null without positives', () => {
    expect(liftTopDecile(rows([[0.9, 0], [0.1, 0]]))).toBeNull();
  });
});

describe('a Ranking made once (rankRows)', () => {
  it('gives every figure and curve the rows themselves give, ties included', () => {
    for (const set of [caseA, caseB, rows([[0.4, 0], [0.4, 0]])]) {
      const ranking = rankRows(set);
      expect(ranking.count).toBe(set.length);
      expect(ranking.positives).toBe(set.filter((row) => row.label).length);
      expect(rocAuc(ranking)).toBe(rocAuc(set));
      expect(liftTopDecile(ranking)).toBe(liftTopDecile(set));
      expect(precisionAtK(ranking, 3)).toBe(precisionAtK(set, 3));
      expect(positivesInTop(ranking, 2)).toBe(positivesInTop(set, 2));
      expect(liftByDecile(ranking)).toEqual(liftByDecile(set));
      expect(rocCurve(ranking)).toEqual(rocCurve(set));
    }
  });
});

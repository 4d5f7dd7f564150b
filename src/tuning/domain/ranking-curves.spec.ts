import { describe, expect, it } from '@jest/globals';
import { liftByDecile, rocCurve, type RocPoint } from './ranking-curves.js';
import { liftTopDecile, rocAuc, type ScoredLabel } from './ranking-metrics.js';

const rows = (pairs: Array<[number, 0 | 1]>): ScoredLabel[] => pairs.map(([score, label]) => ({ score, label: label === 1 }));

/** Trapezoid area under the drawn curve. */
const area = (points: readonly RocPoint[]) => points.slice(1).reduce((sum, p, i) => sum + ((p.fpr - points[i]!.fpr) * (p.tpr + points[i]!.tpr)) / 2, 0);

// No ties:  0.9(+) 0.8(−) 0.7(+) 0.6(−) 0.5(−)
const caseA = rows([[0.9, 1], [0.8, 0], [0.7, 1], [0.6, 0], [0.5, 0]]);
// Ties:     0.8(+) 0.8(−) | 0.5(+) 0.5(−) 0.5(−) | 0.2(−)
const caseB = rows([[0.8, 1], [0.8, 0], [0.5, 1], [0.5, 0], [0.5, 0], [0.2, 0]]);

describe('rocCurve', () => {
  it('steps through every score without ties', () => {
    // 2 positives, 3 negatives: each positive adds 1/2 to tpr, each negative 1/3 to fpr.
    expect(rocCurve(caseA)).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 1 / 3, tpr: 0.5 },
      { fpr: 1 / 3, tpr: 1 },
      { fpr: 2 / 3, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });

  it('crosses a block of tied scores in one diagonal step, so its area is the mid-rank AUC', () => {
    // 2 positives, 4 negatives. Block 0.8 holds 1+ 1−: (1/4, 1/2). Block 0.5 holds 1+ 2−: (3/4, 1). Then 0.2−: (1, 1).
    const curve = rocCurve(caseB);
    expect(curve).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0.25, tpr: 0.5 },
      { fpr: 0.75, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    // 1/16 + 3/8 + 1/4 = 11/16, the value rocAuc gives with ties at one half.
    expect(area(curve)).toBeCloseTo(11 / 16, 12);
    expect(area(curve)).toBeCloseTo(rocAuc(caseB)!, 12);
  });

  it('has no curve when one class is empty, like the AUC', () => {
    expect(rocCurve(rows([[0.4, 1], [0.2, 1]]))).toEqual([]);
    expect(rocCurve(rows([[0.4, 0]]))).toEqual([]);
    expect(rocCurve([])).toEqual([]);
  });

  it('thins a long curve to one exact vertex per percentile of the ranking, ends included', () => {
    // 1,000 distinct scores, every third row (i = 0, 3, 6, …) positive: 334 positives, 666 negatives.
    const many: ScoredLabel[] = Array.from({ length: 1000 }, (_, i) => ({ score: 1000 - i, label: i % 3 === 0 }));
    const curve = rocCurve(many);
    expect(curve).toHaveLength(101);
    // The vertex after the top r = 10·step rows: ceil(r/3) of them are positive.
    curve.forEach((point, step) => {
      const r = 10 * step;
      const tp = Math.ceil(r / 3);
      expect(point).toEqual({ fpr: (r - tp) / 666, tpr: tp / 334 });
    });
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve[100]).toEqual({ fpr: 1, tpr: 1 });
    expect(area(curve)).toBeCloseTo(rocAuc(many)!, 2);
  });

  it('keeps a short curve whole whatever the point budget', () => {
    expect(rocCurve(caseA, 101)).toHaveLength(6);
  });
});

describe('liftByDecile', () => {
  it('divides each tenth of the ranking by the base rate', () => {
    // 20 distinct scores, positives at ranks 1, 2, 3, 5 and 11: base rate 5/20 = 0.25, two rows a decile.
    const positivesAt = new Set([1, 2, 3, 5, 11]);
    const twenty: ScoredLabel[] = Array.from({ length: 20 }, (_, i) => ({ score: 20 - i, label: positivesAt.has(i + 1) }));
    const deciles = liftByDecile(twenty);
    expect(deciles.map((d) => d.count)).toEqual(Array(10).fill(2));
    expect(deciles.map((d) => d.positives)).toEqual([2, 1, 1, 0, 0, 1, 0, 0, 0, 0]);
    // rate / 0.25: 1 → 4, 0.5 → 2, 0 → 0.
    expect(deciles.map((d) => d.lift)).toEqual([4, 2, 2, 0, 0, 2, 0, 0, 0, 0]);
    expect(deciles[0]!.lift).toBe(liftTopDecile(twenty));
  });

  it('shares a tied block that straddles deciles pro rata, and leaves deciles empty below ten rows', () => {
    // 6 rows: decile edges ceil(d·6/10) = 0,1,2,2,3,3,4,5,5,6,6 → one row in deciles 1, 2, 4, 6, 7, 9.
    // Rows 1–2 are the 0.8 block (1 of 2 positive: 0.5 a row), rows 3–5 the 0.5 block (1 of 3: 1/3 a row), row 6 negative.
    const deciles = liftByDecile(caseB);
    expect(deciles.map((d) => d.count)).toEqual([1, 1, 0, 1, 0, 1, 1, 0, 1, 0]);
    const expected = [0.5, 0.5, 0, 1 / 3, 0, 1 / 3, 1 / 3, 0, 0, 0];
    deciles.forEach((d, i) => expect(d.positives).toBeCloseTo(expected[i]!, 12));
    // Base rate 2/6 = 1/3: 0.5 → 1.5, 1/3 → 1, 0 → 0; empty deciles have no rate.
    const lifts = [1.5, 1.5, null, 1, null, 1, 1, null, 0, null];
    deciles.forEach((d, i) => (lifts[i] === null ? expect(d.lift).toBeNull() : expect(d.lift).toBeCloseTo(lifts[i]!, 12)));
    expect(deciles[0]!.lift).toBeCloseTo(liftTopDecile(caseB)!, 12);
    expect(deciles.reduce((sum, d) => sum + d.positives, 0)).toBeCloseTo(2, 12);
  });

  it('has counts but no lift without positives', () => {
    const none = liftByDecile(rows([[0.3, 0], [0.2, 0]]));
    expect(none).toHaveLength(10);
    expect(none.filter((d) => d.count > 0).map((d) => [d.count, d.positives, d.positiveRate, d.lift])).toEqual([[1, 0, 0, null], [1, 0, 0, null]]);
  });
});

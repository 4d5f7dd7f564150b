import { describe, expect, it } from '@jest/globals';
import { summariseBacktest, type BacktestRow } from './backtest-evaluation.js';

const D1 = '2026-06-01';
const D2 = '2026-07-01';
const row = (asOf: string, accountId: number, churnRisk: number, upgradeReadiness: number, churned: boolean, expanded: boolean): BacktestRow => ({
  asOf,
  accountId,
  churnRisk,
  upgradeReadiness,
  churned,
  expanded,
});

//            account  risk  readiness  churned  expanded
const rows = [
  row(D1, 1, 0.9, 80, true, false),
  row(D1, 2, 0.6, 20, false, true),
  row(D1, 3, 0.3, 50, false, false),
  row(D2, 1, 0.5, 10, true, false),
  row(D2, 2, 0.4, 90, false, true),
  row(D2, 4, 0.4, 30, true, false),
];

describe('summariseBacktest on a hand-computed two-date case', () => {
  const summary = summariseBacktest(rows, [D1, D2], 2);

  it('counts account-dates, distinct accounts and positives', () => {
    expect(summary).toMatchObject({ accounts: 6, distinctAccounts: 4, positives: { churn: 3, expansion: 2 } });
  });

  it('pools churn AUC and lift over both dates', () => {
    // Positives 0.9, 0.5, 0.4; negatives 0.6, 0.4, 0.3.
    // Ascending mid-ranks: 0.3→1, 0.4 & 0.4→2.5, 0.5→4, 0.6→5, 0.9→6. R⁺ = 6 + 4 + 2.5 = 12.5.
    // U = 12.5 − 3·4/2 = 6.5; AUC = 6.5 / 9 = 0.7222…
    expect(summary.churn.auc).toBeCloseTo(6.5 / 9, 12);
    // Top decile of 6 = 1 row: 0.9⁺ → rate 1; base rate 3/6 → lift 2.
    expect(summary.churn.liftTopDecile).toBeCloseTo(2, 12);
    expect(summary.churn.baseRate).toBeCloseTo(0.5, 12);
  });

  it('draws the pooled churn ROC curve and lift by decile that the AUC and top-decile lift summarise', () => {
    // Descending: 0.9⁺, 0.6⁻, 0.5⁺, the tied 0.4s (one of each, one diagonal step), 0.3⁻; 3 positives, 3 negatives.
    expect(summary.churn.roc).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 1 / 3 },
      { fpr: 1 / 3, tpr: 1 / 3 },
      { fpr: 1 / 3, tpr: 2 / 3 },
      { fpr: 2 / 3, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    // Trapezoids 0 + 1/9 + 0 + 5/18 + 1/3 = 13/18 = 6.5/9, the AUC above.
    expect(summary.churn.liftByDecile[0]).toMatchObject({ decile: 1, count: 1, positives: 1, lift: 2 });
    expect(summary.churn.liftByDecile.reduce((sum, d) => sum + d.count, 0)).toBe(6);
    expect(summary.expansion.liftByDecile[0]!.lift).toBeCloseTo(summary.expansion.liftTopDecile!, 12);
    expect(summary.expansion.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
  });

  it('averages precision@k over dates', () => {
    // D1 top 2: 0.9⁺, 0.6⁻ → ½. D2 top 2: 0.5⁺, then one of the tied 0.4s (one of them positive) → (1 + ½)/2 = ¾.
    // Mean (½ + ¾) / 2 = 0.625.
    expect(summary.churn.precisionAtK).toBeCloseTo(0.625, 12);
    expect(summary.perDate.map((d) => d.churn.precisionAtK)).toEqual([0.5, 0.75]);
    expect(summary.churn.k).toBe(2);
  });

  it('gives per-date figures', () => {
    // D1: positive 0.9 above both negatives → AUC 1. D2: 0.5⁺ beats 0.4⁻ (1), 0.4⁺ ties 0.4⁻ (½) → 1.5 / 2 = 0.75.
    expect(summary.perDate.map((d) => d.asOf)).toEqual([D1, D2]);
    expect(summary.perDate.map((d) => d.churn.auc)).toEqual([1, 0.75]);
    expect(summary.perDate.map((d) => d.accounts)).toEqual([3, 3]);
    expect(summary.perDate[1]!.positives).toEqual({ churn: 2, expansion: 1 });
  });

  it('ranks expansion by readiness', () => {
    // Positives 20, 90; negatives 80, 50, 10, 30. Ranks: 10→1, 20→2, 30→3, 50→4, 80→5, 90→6.
    // R⁺ = 2 + 6 = 8; U = 8 − 3 = 5; AUC = 5 / 8 = 0.625.
    expect(summary.expansion.auc).toBeCloseTo(0.625, 12);
    // Top decile (1 row): 90⁺ → rate 1; base 2/6 → lift 3.
    expect(summary.expansion.liftTopDecile).toBeCloseTo(3, 12);
    // D1 top 2: 80⁻, 50⁻ → 0; D2 top 2: 90⁺, 30⁻ → ½; mean ¼.
    expect(summary.expansion.precisionAtK).toBeCloseTo(0.25, 12);
  });

  it('puts every churn row in a calibration bucket', () => {
    const buckets = summary.churn.calibration;
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(6);
    // [0.4, 0.5): the two 0.4s, one churned.
    expect(buckets[4]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(buckets[4]!.meanPredicted).toBeCloseTo(0.4, 12);
    // Brier: 0.1² + 0.6² + 0.3² + 0.5² + 0.4² + 0.6² = 0.01 + 0.36 + 0.09 + 0.25 + 0.16 + 0.36 = 1.23; / 6 = 0.205.
    expect(summary.churn.brier).toBeCloseTo(0.205, 12);
  });

  it('keeps a date without rows, with null figures', () => {
    const withEmpty = summariseBacktest(rows, [D1, D2, '2026-08-01'], 2);
    expect(withEmpty.perDate[2]).toMatchObject({ accounts: 0, churn: { auc: null, precisionAtK: null } });
    // The empty date does not drag the pooled precision down.
    expect(withEmpty.churn.precisionAtK).toBeCloseTo(0.625, 12);
  });
});

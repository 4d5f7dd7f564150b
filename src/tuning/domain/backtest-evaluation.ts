/**
 * The figures of a backtest: scored account-dates and their labels in, churn and expansion
 * summaries out, pooled over every date and per date.
 *
 * Pooling: AUC, top-decile lift and calibration rank all account-dates together. precision@k is
 * the mean over dates of each date's precision among its top k, because k is the length of the
 * list a person works through on one day; pooling k rows across dates would mostly pick the
 * riskiest date.
 */

import { mean } from 'simple-statistics';
import { brierScore, calibrationBuckets, expectedCalibrationError, type CalibrationBucket } from './calibration.js';
import { liftByDecile, rocCurve, type DecileLift, type RocPoint } from './ranking-curves.js';
import { liftTopDecile, precisionAtK, rankRows, ranked, rocAuc, type Rankable, type ScoredLabel } from './ranking-metrics.js';

export interface BacktestRow {
  asOf: string;
  accountId: number;
  /** 0–1 */
  churnRisk: number;
  /** 0–100 */
  upgradeReadiness: number;
  /** A churned or contracted outcome within the horizon. */
  churned: boolean;
  /** An expanded outcome within the horizon. */
  expanded: boolean;
}

export interface RankingSummary {
  /** ROC AUC (Mann–Whitney, ties at one half); null when all rows are positive or all negative. */
  auc: number | null;
  /** Positive rate in the top decile ÷ overall positive rate; null without positives. */
  liftTopDecile: number | null;
  /** Share of positives among the k highest scores (mean over dates when pooled); null without rows. */
  precisionAtK: number | null;
  k: number;
  count: number;
  positives: number;
  /** positives / count; null without rows. */
  baseRate: number | null;
}

/** The curves behind the pooled figures, for charts: lift per decile of the ranking and the ROC curve. */
export interface RankingCurves {
  /** Ten buckets by descending score; decile 1's lift is liftTopDecile. */
  liftByDecile: DecileLift[];
  /** At most 101 exact points from (0, 0) to (1, 1); empty when the AUC is null. */
  roc: RocPoint[];
}

export interface ChurnSummary extends RankingSummary, RankingCurves {
  /** Mean squared error of the churn probabilities. */
  brier: number | null;
  /** Count-weighted mean |observed − predicted| over the calibration buckets. */
  calibrationError: number | null;
  calibration: CalibrationBucket[];
}

export interface DateSummary {
  asOf: string;
  accounts: number;
  positives: { churn: number; expansion: number };
  churn: RankingSummary & { brier: number | null };
  expansion: RankingSummary;
}

export interface BacktestSummary {
  /** Account-date rows scored (an account scored at 3 dates counts 3 times). */
  accounts: number;
  distinctAccounts: number;
  positives: { churn: number; expansion: number };
  churn: ChurnSummary;
  expansion: RankingSummary & RankingCurves;
  perDate: DateSummary[];
}

const churnLabels = (rows: readonly BacktestRow[]): ScoredLabel[] => rows.map((row) => ({ score: row.churnRisk, label: row.churned }));
const expansionLabels = (rows: readonly BacktestRow[]): ScoredLabel[] => rows.map((row) => ({ score: row.upgradeReadiness, label: row.expanded }));

export function rankingSummary(rows: Rankable, k: number): RankingSummary {
  const ranking = ranked(rows);
  const { count, positives } = ranking;
  return {
    auc: rocAuc(ranking),
    liftTopDecile: liftTopDecile(ranking),
    precisionAtK: precisionAtK(ranking, k),
    k,
    count,
    positives,
    baseRate: count === 0 ? null : positives / count,
  };
}

export function rankingCurves(rows: Rankable): RankingCurves {
  const ranking = ranked(rows);
  return { liftByDecile: liftByDecile(ranking), roc: rocCurve(ranking) };
}

/** Dates are reported in the order given; a date without rows still gets its (empty) entry. */
export function summariseBacktest(rows: readonly BacktestRow[], dates: readonly string[], k: number): BacktestSummary {
  const perDate: DateSummary[] = dates.map((asOf) => {
    const onDate = rows.filter((row) => row.asOf === asOf);
    const churn = churnLabels(onDate);
    const churnSummary = rankingSummary(churn, k);
    const expansion = rankingSummary(expansionLabels(onDate), k);
    return {
      asOf,
      accounts: onDate.length,
      positives: { churn: churnSummary.positives, expansion: expansion.positives },
      churn: { ...churnSummary, brier: brierScore(churn) },
      expansion,
    };
  });
  const pooledPrecision = (pick: (summary: DateSummary) => number | null): number | null => {
    const values = perDate.map(pick).filter((value): value is number => value !== null);
    return values.length === 0 ? null : mean(values);
  };

  const churnRows = churnLabels(rows);
  const calibration = calibrationBuckets(churnRows);
  // Each pooled set of rows is ranked once for all of its figures and curves.
  const churn = rankRows(churnRows);
  const expansion = rankRows(expansionLabels(rows));
  const churnSummary = rankingSummary(churn, k);
  const expansionSummary = rankingSummary(expansion, k);
  return {
    accounts: rows.length,
    distinctAccounts: new Set(rows.map((row) => row.accountId)).size,
    positives: { churn: churnSummary.positives, expansion: expansionSummary.positives },
    churn: {
      ...churnSummary,
      precisionAtK: pooledPrecision((summary) => summary.churn.precisionAtK),
      brier: brierScore(churnRows),
      calibrationError: expectedCalibrationError(calibration),
      calibration,
      ...rankingCurves(churn),
    },
    expansion: { ...expansionSummary, precisionAtK: pooledPrecision((summary) => summary.expansion.precisionAtK), ...rankingCurves(expansion) },
    perDate,
  };
}

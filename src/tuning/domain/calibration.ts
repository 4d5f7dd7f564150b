/**
 * Whether predicted probabilities mean what they say: among accounts given about 30 % churn risk,
 * about 30 % should churn. Equal-width buckets on [0, 1] keep the table readable and stable
 * between backtests (quantile buckets would move with every config).
 */

import type { ScoredLabel } from './ranking-metrics.js';

export interface CalibrationBucket {
  /** Lower bound (inclusive) of predicted probability. */
  from: number;
  /** Upper bound (exclusive, except 1 for the last bucket). */
  to: number;
  count: number;
  /** Mean predicted probability of the bucket's rows; null when empty. */
  meanPredicted: number | null;
  /** Share of the bucket's rows whose outcome happened; null when empty. */
  observedRate: number | null;
}

export const DEFAULT_CALIBRATION_BUCKETS = 10;

/** Which of `buckets` equal-width buckets a probability falls in; 1 (and anything above) goes to the last. */
export function bucketIndex(probability: number, buckets: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor(probability * buckets)));
}

/** Every bucket is listed, empty ones too, so tables from two configs line up row by row. */
export function calibrationBuckets(rows: readonly ScoredLabel[], buckets = DEFAULT_CALIBRATION_BUCKETS): CalibrationBucket[] {
  const sums = Array.from({ length: buckets }, () => ({ count: 0, predicted: 0, observed: 0 }));
  for (const row of rows) {
    const sum = sums[bucketIndex(row.score, buckets)]!;
    sum.count++;
    sum.predicted += row.score;
    if (row.label) sum.observed++;
  }
  return sums.map((sum, i) => ({
    // Rounded so 0.30000000000000004 reads 0.3.
    from: Number((i / buckets).toFixed(6)),
    to: Number(((i + 1) / buckets).toFixed(6)),
    count: sum.count,
    meanPredicted: sum.count === 0 ? null : sum.predicted / sum.count,
    observedRate: sum.count === 0 ? null : sum.observed / sum.count,
  }));
}

/** Mean squared error of the probabilities (0 = perfect, 0.25 = always saying 50 %); null without rows. */
export function brierScore(rows: readonly ScoredLabel[]): number | null {
  if (rows.length === 0) return null;
  let total = 0;
  for (const row of rows) total += (row.score - (row.label ? 1 : 0)) ** 2;
  return total / rows.length;
}

/**
 * Expected calibration error: the count-weighted mean gap |observed − predicted| over the
 * buckets. One number to compare two configs' calibration; null without rows.
 */
export function expectedCalibrationError(buckets: readonly CalibrationBucket[]): number | null {
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return null;
  let error = 0;
  for (const bucket of buckets) {
    if (bucket.count === 0) continue;
    error += (bucket.count / total) * Math.abs((bucket.observedRate ?? 0) - (bucket.meanPredicted ?? 0));
  }
  return error;
}

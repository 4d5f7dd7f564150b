/**
 * Turning raw feature values into 0–100 scores. Percentile and log z-score compare an
 * account with the other accounts of its segment in the same run (a seat ratio that is
 * good for self-serve teams may be poor for a sales-assisted enterprise); thresholds are
 * absolute, set by RevOps.
 */

import { errorFunction, mean, quantileRankSorted, standardDeviation } from 'simple-statistics';
import type { Better } from './config/scoring-config.types.js';
import { clamp } from './format.js';

/** The values one segment's accounts have for one feature, prepared once per run. */
export interface SegmentPopulation {
  /** Ascending; accounts without data are not in it. */
  sorted: number[];
  /** Mean and standard deviation of log1p(value), for logZscore. */
  logMean: number;
  logStdDev: number;
}

export const NEUTRAL_SCORE = 50;

export function buildPopulation(values: readonly number[]): SegmentPopulation {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { sorted, logMean: 0, logStdDev: 0 };
  const logs = sorted.map(safeLog1p);
  return { sorted, logMean: mean(logs), logStdDev: standardDeviation(logs) };
}

/**
 * Mid-rank percentile: (accounts below + half of the ties) / n. Ties share one score and
 * a segment of one scores 50, instead of the best-possible 100 a "≤ value" rank gives.
 */
export function percentileScore(value: number, population: SegmentPopulation, better: Better): number {
  const { sorted } = population;
  if (sorted.length === 0) return NEUTRAL_SCORE;
  // simple-statistics ranks a present value at the mean of its tie positions counted from 1;
  // shifting by half a position gives the mid-rank. Absent values already rank by count below.
  const rank = quantileRankSorted(sorted, value) - (containsSorted(sorted, value) ? 0.5 / sorted.length : 0);
  const score = clamp(rank, 0, 1) * 100;
  return better === 'higher' ? score : 100 - score;
}

/**
 * Usage counts are heavily skewed (a few huge accounts), so they are compared on a log
 * scale; the normal CDF turns the z-score into 0–100 with 50 at the segment's mean.
 */
export function logZscoreScore(value: number, population: SegmentPopulation, better: Better): number {
  // A spread of floating-point noise (identical values whose mean is not exact) is no spread.
  if (population.sorted.length < 2 || population.logStdDev <= 1e-9 * Math.max(1, Math.abs(population.logMean))) return NEUTRAL_SCORE;
  const z = (safeLog1p(value) - population.logMean) / population.logStdDev;
  const score = normalCdf(z) * 100;
  return better === 'higher' ? score : 100 - score;
}

/** Linear from `bad` (0) to `good` (100), clamped; works in either direction. */
export function thresholdScore(value: number, bad: number, good: number): number {
  if (good === bad) return value >= good ? 100 : 0;
  return clamp((value - bad) / (good - bad), 0, 1) * 100;
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

function safeLog1p(value: number): number {
  return Math.log1p(Math.max(0, value));
}

function containsSorted(sorted: readonly number[], value: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === value;
}

/**
 * The figures a fit report compares on the out-of-time dates: the candidate model, the active
 * config and the best single input, on the same rows. Ranking figures as in a backtest (AUC,
 * top-decile lift, precision@k as the mean over dates); calibration only for scores that are
 * probabilities.
 */

import { mean } from 'simple-statistics';
import { brierScore, calibrationBuckets, expectedCalibrationError, type CalibrationBucket } from './calibration.js';
import type { FitDataset } from './learn-model.js';
import { fastAuc } from './learn-model.js';
import type { RankingSummary } from './backtest-evaluation.js';
import { liftTopDecile, precisionAtK, type ScoredLabel } from './ranking-metrics.js';

/** A backtest's ranking figures (without the base rate), with calibration only for scores that are probabilities. */
export interface FitFigures extends Omit<RankingSummary, 'baseRate'> {
  /** Only for probabilities (null for a single input or a 0–100 readiness blend). */
  brier: number | null;
  calibrationError: number | null;
  calibration: CalibrationBucket[] | null;
}

export function fitFigures(dataset: FitDataset, rows: Int32Array, scores: ArrayLike<number>, k: number, probabilities: boolean): FitFigures {
  const labelled: Array<ScoredLabel & { date: number }> = Array.from(rows, (i, index) => ({ score: scores[index]!, label: dataset.label[i] === 1, date: dataset.rowDate[i]! }));
  const byDate = new Map<number, ScoredLabel[]>();
  for (const row of labelled) {
    const list = byDate.get(row.date) ?? [];
    list.push(row);
    byDate.set(row.date, list);
  }
  const precisions = [...byDate.values()].map((list) => precisionAtK(list, k)).filter((value): value is number => value !== null);
  const calibration = probabilities ? calibrationBuckets(labelled) : null;
  return {
    auc: fastAuc(scores, Uint8Array.from(rows, (i) => dataset.label[i]!)),
    liftTopDecile: liftTopDecile(labelled),
    precisionAtK: precisions.length === 0 ? null : mean(precisions),
    k,
    count: rows.length,
    positives: labelled.filter((row) => row.label).length,
    brier: probabilities ? brierScore(labelled) : null,
    calibrationError: calibration === null ? null : expectedCalibrationError(calibration),
    calibration,
  };
}

export interface SingleInputChoice {
  input: string;
  feature: string;
  /** 'higher' when a higher value means the outcome is more likely. */
  direction: 'higher' | 'lower';
  /** AUC on the rows it was chosen on. */
  fitAuc: number;
}

/** Raw values with missing data at the median of the chosen rows, signed so higher = more likely. */
export function singleInputScores(dataset: FitDataset, candidate: number, rows: Int32Array, direction: 'higher' | 'lower', fill: number): Float64Array {
  const column = dataset.raw[candidate]!;
  return Float64Array.from(rows, (i) => {
    const value = Number.isNaN(column[i]!) ? fill : column[i]!;
    return direction === 'higher' ? value : -value;
  });
}

function medianOf(column: Float64Array, rows: Int32Array): number {
  const values = new Float64Array(rows.length);
  let count = 0;
  for (const i of rows) if (!Number.isNaN(column[i]!)) values[count++] = column[i]!;
  const present = values.subarray(0, count).sort();
  if (present.length === 0) return 0;
  const middle = Math.floor(present.length / 2);
  return present.length % 2 === 1 ? present[middle]! : (present[middle - 1]! + present[middle]!) / 2;
}

/** The one candidate that ranks the outcome best on `rows` (either direction), as a naive benchmark. */
export function bestSingleInput(dataset: FitDataset, rows: Int32Array): (SingleInputChoice & { candidate: number; fill: number }) | null {
  const labels = Uint8Array.from(rows, (i) => dataset.label[i]!);
  let best: (SingleInputChoice & { candidate: number; fill: number }) | null = null;
  dataset.candidates.forEach((candidate, c) => {
    const fill = medianOf(dataset.raw[c]!, rows);
    const auc = fastAuc(singleInputScores(dataset, c, rows, 'higher', fill), labels);
    if (auc === null) return;
    const direction = auc >= 0.5 ? 'higher' : 'lower';
    const fitAuc = Math.max(auc, 1 - auc);
    if (best === null || fitAuc > best.fitAuc) best = { input: candidate.name, feature: candidate.feature, direction, fitAuc, candidate: c, fill };
  });
  return best;
}

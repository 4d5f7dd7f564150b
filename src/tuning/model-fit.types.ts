import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { FitFigures } from './domain/fit-evaluation.js';
import type { DroppedCandidate, GroupReport, PenaltyChoice } from './domain/learn-model.js';

export type FitTarget = 'churn' | 'expansion';

export interface ModelFitRequest {
  asOf: string[];
  horizonDays: number;
  targets: FitTarget[];
  holdoutFrom?: string;
  k: number;
  /** Elastic-net mixing α (1 = lasso). */
  l1Ratio: number;
}

export interface FitProgress {
  phase: 'queued' | 'features' | 'churn' | 'expansion' | 'report' | 'done';
  step: number;
  steps: number;
  message: string;
}

export interface OutOfTimeComparison {
  fitOn: string[];
  testOn: string[];
  /** The model refitted on `fitOn` only (penalty, groups and calibration included), scored on `testOn`. */
  candidate: FitFigures;
  /** The active config's churn risk (or readiness) on the same rows. */
  active: FitFigures;
  /** The single candidate input that ranked best on `fitOn`, scored on `testOn`. */
  bestSingleInput: FitFigures & { input: string; feature: string; direction: 'higher' | 'lower' };
}

export interface TargetReport {
  target: FitTarget;
  /** Account-dates fitted and how many had the outcome within the horizon. */
  rows: number;
  positives: number;
  candidates: number;
  penalty: PenaltyChoice;
  /** Kept groups, most important first: members, coefficient, standardised coefficient and importance. */
  groups: GroupReport[];
  dropped: DroppedCandidate[];
  calibration: { slope: number; offset: number };
  outOfTime: OutOfTimeComparison | null;
  warnings: string[];
}

export interface ModelFitReport {
  /** The active config with `model.<target>` set: never stored or activated by the fit. */
  candidate: ScoringConfig;
  basedOn: { configVersion: number; checksum: string };
  asOf: string[];
  horizonDays: number;
  targets: FitTarget[];
  k: number;
  l1Ratio: number;
  churn: TargetReport | null;
  expansion: TargetReport | null;
  warnings: string[];
  seconds: number;
}

import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { BacktestSummary, RankingSummary } from './domain/backtest-evaluation.js';
import type { FittedCoefficient } from './domain/churn-fit.js';
import type { WeightProposal } from './domain/component-weights.js';

/** The config a backtest or fit ran with and where it came from. */
export interface ResolvedConfig {
  config: ScoringConfig;
  checksum: string;
  /** The stored version with this checksum when it is the active one; null for a candidate. */
  configVersion: number | null;
  candidate: boolean;
}

export interface BacktestReport extends BacktestSummary {
  configVersion: number | null;
  candidate: boolean;
  checksum: string;
  asOf: string[];
  horizonDays: number;
  k: number;
  /** Why some figures may mislead (future dates, outcomes not recorded that far, no positives…). */
  warnings: string[];
}

export type OutOfTimeFigures = Pick<RankingSummary, 'auc' | 'liftTopDecile' | 'precisionAtK' | 'k' | 'count' | 'positives'> & { brier: number | null };

export interface OutOfTimeCheck {
  fitOn: string[];
  testOn: string[];
  /** The config refitted on `fitOn` only, scored on `testOn`. */
  candidate: OutOfTimeFigures;
  active: OutOfTimeFigures;
}

export interface FitReport {
  candidate: ScoringConfig;
  basedOn: { configVersion: number; checksum: string };
  asOf: string[];
  horizonDays: number;
  l2: number;
  model: { rows: number; positives: number; iterations: number; converged: boolean; logLoss: number };
  intercept: { value: number; current: number };
  coefficients: FittedCoefficient[];
  weights: WeightProposal[];
  backtest: { candidate: BacktestSummary; active: BacktestSummary };
  outOfTime: OutOfTimeCheck | null;
  warnings: string[];
}

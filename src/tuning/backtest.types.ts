import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { BacktestSummary } from './domain/backtest-evaluation.js';

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

/**
 * Churn risk: a logistic model over inputs on fixed, documented scales, so coefficients
 * written by hand today and fitted on outcomes later live in the same config keys.
 */

import type { ScoringConfig } from './config/scoring-config.types.js';
import type { LifecycleStage } from './features.types.js';

/** Inputs besides the component scores, with their scales (also documented in scoring.yaml). */
export const CHURN_FIXED_INPUTS: Readonly<Record<string, string>> = {
  health: 'health score / 100 (0–1)',
  coverage: 'share of the component weight that had data (0–1)',
  stale: '1 when the usage data is stale, else 0',
  renewal_soon: '1 when the renewal date is within churn.renewalSoonDays, else 0',
  onboarding: '1 when the lifecycle stage is onboarding, else 0',
  value_gap: 'value gap (0–1)',
  trend_d30: '(health − health about 30 days earlier) / 100 (−1…1); 0 without an earlier run',
};

/** What a component without data contributes: the middle of its scale, so absence is neither good nor bad. */
export const MISSING_COMPONENT_INPUT = 0.5;

export interface ChurnInputSources {
  /** component name → 0–100 score, null without data (every configured component, present or not). */
  components: Record<string, number | null>;
  healthScore: number;
  coverage: number;
  stale: boolean;
  daysToRenewal: number | null;
  stage: LifecycleStage;
  valueGap: number;
  /** Health change vs ~30 days earlier, in points; null without an earlier run. */
  trendD30: number | null;
}

export function buildChurnModelInputs(sources: ChurnInputSources, churn: ScoringConfig['churn']): Record<string, number> {
  const inputs: Record<string, number> = {};
  for (const [name, score] of Object.entries(sources.components)) {
    inputs[name] = score === null ? MISSING_COMPONENT_INPUT : score / 100;
  }
  const renewalSoon = sources.daysToRenewal !== null && sources.daysToRenewal >= 0 && sources.daysToRenewal <= churn.renewalSoonDays;
  inputs['health'] = sources.healthScore / 100;
  inputs['coverage'] = sources.coverage;
  inputs['stale'] = sources.stale ? 1 : 0;
  inputs['renewal_soon'] = renewalSoon ? 1 : 0;
  inputs['onboarding'] = sources.stage === 'onboarding' ? 1 : 0;
  inputs['value_gap'] = sources.valueGap;
  inputs['trend_d30'] = sources.trendD30 === null ? 0 : sources.trendD30 / 100;
  return inputs;
}

/** 1 / (1 + e^−x), written so that neither branch overflows for large |x|. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Log-odds from the config's intercept and coefficients; inputs the model does not name are ignored. */
export function churnLogOdds(churn: Pick<ScoringConfig['churn'], 'intercept' | 'coefficients'>, inputs: Readonly<Record<string, number>>): number {
  let logOdds = churn.intercept;
  for (const [name, coefficient] of Object.entries(churn.coefficients)) {
    logOdds += coefficient * (inputs[name] ?? 0);
  }
  return logOdds;
}

/** Churn probability 0–1 of the hand-written churn model (config `churn` section) for an account's model inputs. */
export function churnProbability(churn: Pick<ScoringConfig['churn'], 'intercept' | 'coefficients'>, inputs: Readonly<Record<string, number>>): number {
  return logistic(churnLogOdds(churn, inputs));
}

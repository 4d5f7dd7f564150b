/**
 * Upgrade readiness 0–100 (limit pressure, paywall hits, growth, healthy engagement) and
 * the ARR an upgrade to the next plan would add.
 */

import type { ScoringConfig } from './config/scoring-config.types.js';
import type { AccountFeatures } from './features.types.js';
import type { ComponentScore } from './health-score.js';
import { round } from './format.js';
import { blendWeighted, scoreInputs, type Blend, type FeatureValues, type InputResult, type PopulationLookup } from './scored-inputs.js';

export interface ReadinessFactorScore {
  name: string;
  weight: number;
  score: number | null;
  /** Inputs of the factor itself, or of the component it borrows. */
  inputs: InputResult[];
  fromComponent: string | null;
}

export interface ReadinessResult {
  /** 0–100, rounded to one decimal. */
  score: number;
  factors: ReadinessFactorScore[];
  blend: Blend;
}

export function scoreReadinessFactors(
  readiness: ScoringConfig['readiness'],
  values: FeatureValues,
  population: PopulationLookup,
  components: readonly ComponentScore[],
): ReadinessFactorScore[] {
  return Object.entries(readiness.factors).map(([name, factor]) => {
    if (factor.fromComponent !== undefined) {
      const component = components.find((candidate) => candidate.name === factor.fromComponent);
      return { name, weight: factor.weight, score: component?.score ?? null, inputs: component?.inputs ?? [], fromComponent: factor.fromComponent };
    }
    const group = scoreInputs(factor.inputs ?? [], values, population);
    return { name, weight: factor.weight, score: group.score, inputs: group.inputs, fromComponent: null };
  });
}

export function computeReadiness(factors: ReadinessFactorScore[]): ReadinessResult {
  const blend = blendWeighted(factors.map(({ name, weight, score }) => ({ name, weight, score })));
  return { score: round(blend.score, 1), factors, blend };
}

export interface ExpansionEstimate {
  recommendedPlan: string | null;
  /** ARR gained by the upgrade, ≥ 0, in the account's currency. */
  expansionArr: number;
  basis: 'per_seat' | 'flat' | 'fallback';
}

/**
 * Next plan priced per seat: seats billed at least at today's usage (an account over its
 * seats will pay for them after the upgrade); flat: the price difference. When that is
 * not positive (discounts, custom deals) or there is no priced next plan, a share of ARR.
 */
export function estimateExpansion(
  account: Pick<AccountFeatures, 'arr' | 'seatsPurchased' | 'nextPlan'>,
  seatsInUse: number | null,
  expansion: ScoringConfig['readiness']['expansion'],
): ExpansionEstimate {
  const next = account.nextPlan;
  const fallback = Math.max(0, account.arr * expansion.fallbackUpliftShare);
  if (next === null) return { recommendedPlan: null, expansionArr: round(fallback, 2), basis: 'fallback' };
  let gain: number | null = null;
  let basis: ExpansionEstimate['basis'] = 'fallback';
  if (next.pricePerSeat !== null) {
    gain = next.pricePerSeat * Math.max(account.seatsPurchased, seatsInUse ?? 0) - account.arr;
    basis = 'per_seat';
  } else if (next.annualPrice !== null) {
    gain = next.annualPrice - account.arr;
    basis = 'flat';
  }
  if (gain === null || gain <= 0) return { recommendedPlan: next.id, expansionArr: round(fallback, 2), basis: 'fallback' };
  return { recommendedPlan: next.id, expansionArr: round(gain, 2), basis };
}

/**
 * Scoring with a learned model of the config's `model` section, and its exact explanation.
 *
 *   zᵢ = clip((T(xᵢ) − centreᵢ) / scaleᵢ, ±clipZ)       frozen per input
 *   g  = mean of its members' z                          one value per group
 *   η  = intercept + Σ coefficient_g · g                 raw log-odds
 *   ℓ  = slope · η + offset                              calibrated log-odds; probability = σ(ℓ)
 *
 * Explanation against the account's segment baseline (the groups' fit-time means in that
 * segment): contribution_g = slope · coefficient_g · (g − baseline_g), and
 * baselineLogit = slope · (intercept + Σ coefficient_g · baseline_g) + offset, so
 * baselineLogit + Σ contribution_g = ℓ exactly. In probability points each contribution is
 * scaled by the secant slope (σ(ℓ) − σ(baselineLogit)) / (ℓ − baselineLogit), which is positive
 * (σ is increasing), keeps every sign and makes the points add up to the probability's distance
 * from the baseline's.
 */

import type { LearnedModelConfig, ModelTransform } from './config/model-config.types.js';
import { logistic } from './churn-model.js';
import type { Driver, ModelContributions, Segment } from './features.types.js';
import { findModelFeature, modelFeatureValue, type ModelFeatureEnv } from './model-features.js';

export function applyTransform(transform: ModelTransform, value: number): number {
  switch (transform) {
    case 'none':
      return value;
    case 'log1p':
      return Math.log1p(Math.max(0, value));
    case 'signedLog1p':
      return Math.sign(value) * Math.log1p(Math.abs(value));
  }
}

export function standardisedInput(input: LearnedModelConfig['inputs'][string], raw: number | null, clipZ: number): number {
  const value = applyTransform(input.transform, raw ?? input.missing);
  const z = (value - input.center) / input.scale;
  return Math.max(-clipZ, Math.min(clipZ, z));
}

export interface ModelTerm {
  group: string;
  /** The group's value (mean standardised member value). */
  value: number;
  /** Log-odds against the segment baseline (calibrated scale). */
  contribution: number;
  /** The member whose raw value is described in the explanation, with that value (null = no data). */
  lead: { input: string; feature: string; raw: number | null };
}

export interface ModelEvaluation {
  /** Calibrated log-odds. */
  logit: number;
  probability: number;
  baselineLogit: number;
  baselineProbability: number;
  /** One per group, in config order; baselineLogit + Σ contribution = logit. */
  terms: ModelTerm[];
}

/** Every input's raw value for one account (null = no data), read once per account. */
export function modelRawInputs(model: LearnedModelConfig, env: ModelFeatureEnv): Map<string, number | null> {
  return new Map(Object.entries(model.inputs).map(([name, input]) => [name, modelFeatureValue(input.feature, env)]));
}

export function evaluateModel(model: LearnedModelConfig, raw: ReadonlyMap<string, number | null>, segment: Segment): ModelEvaluation {
  const { slope, offset } = model.calibration;
  let eta = model.intercept;
  let baselineEta = model.intercept;
  const terms: ModelTerm[] = [];
  for (const [group, definition] of Object.entries(model.groups)) {
    let sum = 0;
    let lead: ModelTerm['lead'] | null = null;
    let leadPull = -Infinity;
    for (const member of definition.members) {
      const input = model.inputs[member]!;
      const z = standardisedInput(input, raw.get(member) ?? null, model.clipZ);
      sum += z;
      // The member that moves the group most is the one the sentence names.
      const pull = Math.abs(z);
      if (pull > leadPull) {
        leadPull = pull;
        lead = { input: member, feature: input.feature, raw: raw.get(member) ?? null };
      }
    }
    const value = definition.members.length === 0 ? 0 : sum / definition.members.length;
    const baseline = definition.baseline[segment] ?? 0;
    eta += definition.coefficient * value;
    baselineEta += definition.coefficient * baseline;
    terms.push({ group, value, contribution: slope * definition.coefficient * (value - baseline), lead: lead ?? { input: group, feature: group, raw: null } });
  }
  const logit = slope * eta + offset;
  const baselineLogit = slope * baselineEta + offset;
  return { logit, probability: logistic(logit), baselineLogit, baselineProbability: logistic(baselineLogit), terms };
}

/** Points per unit of log-odds between the baseline and the account: the secant slope of σ (its derivative when they meet). */
export function pointsPerLogOdds(evaluation: Pick<ModelEvaluation, 'logit' | 'baselineLogit' | 'probability' | 'baselineProbability'>, scale: number): number {
  const gap = evaluation.logit - evaluation.baselineLogit;
  if (Math.abs(gap) < 1e-9) return scale * evaluation.probability * (1 - evaluation.probability);
  return (scale * (evaluation.probability - evaluation.baselineProbability)) / gap;
}

export interface ModelDriverOptions {
  /** 100 for churn risk in percentage points and for readiness 0–100. */
  scale: number;
  /** "churn risk" or "upgrade readiness", for the sentences. */
  what: string;
  /** Churn: a term that raises the score is bad news ('negative'); readiness: good news. */
  higherIsWorse: boolean;
  env: ModelFeatureEnv;
}

const signed = (points: number): string => `${points >= 0 ? 'adds' : 'takes off'} ${Math.abs(points) >= 10 ? Math.round(Math.abs(points)) : Math.abs(points).toFixed(1)} points`;

/**
 * Drivers of a learned model, largest pull first. `impact` is in points of the score (churn risk
 * × 100 or readiness) and `logOdds` the exact contribution; both add up (with the baseline) to
 * the account's value. Groups with no pull at all are left out.
 */
export function modelDrivers(evaluation: ModelEvaluation, options: ModelDriverOptions): Driver[] {
  const perLogOdds = pointsPerLogOdds(evaluation, options.scale);
  return evaluation.terms
    .filter((term) => term.contribution !== 0)
    .map((term) => {
      const points = term.contribution * perLogOdds;
      const described = term.lead.raw === null ? `${term.lead.feature}: no data` : (findModelFeature(term.lead.feature)?.describe(term.lead.raw, options.env) ?? `${term.lead.feature} ${term.lead.raw}`);
      const driver: Driver = {
        factor: term.group,
        direction: (term.contribution > 0) !== options.higherIsWorse ? 'positive' : 'negative',
        impact: points,
        logOdds: term.contribution,
        text: `${described} — ${signed(points)} of ${options.what}`,
      };
      return driver;
    })
    .sort((a, b) => Math.abs(b.logOdds ?? 0) - Math.abs(a.logOdds ?? 0) || a.factor.localeCompare(b.factor));
}

/** What is stored per score so two days can be compared term by term (GET …/health/changes). */
export type StoredContributions = ModelContributions;

export function storedContributions(evaluation: ModelEvaluation): StoredContributions {
  return { logit: evaluation.logit, baselineLogit: evaluation.baselineLogit, terms: Object.fromEntries(evaluation.terms.map((term) => [term.group, term.contribution])) };
}

/**
 * The `model` section of the scoring config: learned churn and expansion models written by
 * `POST /v1/config/fit` (or by hand). Everything a run needs to score with the model is frozen
 * here — which feature each input reads, its transform, the value used when it has no data,
 * its centre and scale, the groups of correlated inputs and their coefficients, the
 * calibration — so a later run gives the same number for the same account whatever the rest
 * of the day's population looks like.
 */

import type { Segment } from '../features.types.js';

/**
 * How a raw feature value is bent before it is standardised: `log1p` for non-negative counts
 * with a long right tail, `signedLog1p` (sign(x)·log(1+|x|)) for signed values with fat tails,
 * `none` for values already on a tame scale (shares, flags, scores).
 */
export type ModelTransform = 'none' | 'log1p' | 'signedLog1p';

export interface ModelInputConfig {
  /** A model feature expression (see README "Model features"), e.g. `metric.feature.posts.sum.recent`. */
  feature: string;
  transform: ModelTransform;
  /** Raw value used when the account has no data for the feature (the fit-time median). */
  missing: number;
  /** Mean of the transformed value at fit time. */
  center: number;
  /** Standard deviation of the transformed value at fit time (> 0). */
  scale: number;
}

export interface ModelGroupConfig {
  /** Input names; the group's value is the mean of their standardised values. */
  members: string[];
  /** Log-odds per unit of the group value (a unit is about one standard deviation). */
  coefficient: number;
  /** The group's mean value per segment at fit time: the baseline explanations are measured against. */
  baseline: Record<Segment, number>;
}

export interface LearnedModelConfig {
  /** input name → definition. */
  inputs: Record<string, ModelInputConfig>;
  /** group name → members and coefficient. Inputs in no group are not used. */
  groups: Record<string, ModelGroupConfig>;
  intercept: number;
  /** Standardised values are clipped to ±clipZ, so one extreme account cannot swing its score without bound. */
  clipZ: number;
  /** Platt scaling of the log-odds: probability = 1 / (1 + e^−(slope · logOdds + offset)). */
  calibration: { slope: number; offset: number };
  /** Where the numbers came from (informational; the fit fills it in). */
  fittedOn?: { asOf: string[]; horizonDays: number; penalty: number; l1Ratio: number };
}

export interface ModelSection {
  /** Replaces the churn section's hand-written logistic model when present. */
  churn?: LearnedModelConfig;
  /** Drives upgrade readiness (100 × the expansion probability) when present. */
  expansion?: LearnedModelConfig;
}

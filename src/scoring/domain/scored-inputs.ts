/**
 * The machinery health components and readiness factors share: score each configured
 * input, average the inputs that have data, then blend the groups by weight — leaving
 * out groups without data and rescaling the rest, so missing data never counts as 0.
 */

import type { ScoredInput } from './config/scoring-config.types.js';
import { logZscoreScore, percentileScore, thresholdScore, type SegmentPopulation } from './normalisation.js';

/** Derived feature name → value for one account; null = no data. */
export type FeatureValues = ReadonlyMap<string, number | null>;
/** The account's segment population for a feature (only needed by percentile / logZscore). */
export type PopulationLookup = (feature: string) => SegmentPopulation;

export interface InputResult {
  feature: string;
  value: number;
  /** 0–100. */
  score: number;
  weight: number;
}

export interface ScoredGroup {
  /** Weighted mean of the inputs with data; null when none has data. */
  score: number | null;
  inputs: InputResult[];
}

export function scoreInput(input: ScoredInput, value: number, population: PopulationLookup): number {
  switch (input.method) {
    case 'thresholds':
      return thresholdScore(value, input.bad, input.good);
    case 'percentile':
      return percentileScore(value, population(input.feature), input.better);
    case 'logZscore':
      return logZscoreScore(value, population(input.feature), input.better);
  }
}

export function scoreInputs(inputs: readonly ScoredInput[], values: FeatureValues, population: PopulationLookup): ScoredGroup {
  const results: InputResult[] = [];
  for (const input of inputs) {
    const value = values.get(input.feature) ?? null;
    if (value === null || !Number.isFinite(value)) continue;
    results.push({ feature: input.feature, value, score: scoreInput(input, value, population), weight: input.weight });
  }
  const totalWeight = results.reduce((sum, result) => sum + result.weight, 0);
  if (totalWeight <= 0) return { score: null, inputs: results };
  const score = results.reduce((sum, result) => sum + result.weight * result.score, 0) / totalWeight;
  return { score, inputs: results };
}

export interface BlendPart {
  name: string;
  /** Configured weight (before rescaling). */
  weight: number;
  /** 0–100, or null without data. */
  score: number | null;
}

export interface BlendedPart {
  name: string;
  score: number;
  /** Weight after rescaling over the parts with data; the shares sum to 1. */
  share: number;
}

export interface Blend {
  /** Σ share × score; 0 when no part has data. */
  score: number;
  parts: BlendedPart[];
  /** Configured weight with data / all configured weight (0–1). */
  coverage: number;
}

export function blendWeighted(parts: readonly BlendPart[]): Blend {
  const totalWeight = parts.reduce((sum, part) => sum + Math.max(0, part.weight), 0);
  const present = parts.filter((part): part is BlendPart & { score: number } => part.score !== null && part.weight > 0);
  const presentWeight = present.reduce((sum, part) => sum + part.weight, 0);
  if (presentWeight <= 0) return { score: 0, parts: [], coverage: 0 };
  const blended = present.map((part) => ({ name: part.name, score: part.score, share: part.weight / presentWeight }));
  return {
    score: blended.reduce((sum, part) => sum + part.share * part.score, 0),
    parts: blended,
    coverage: presentWeight / totalWeight,
  };
}

/**
 * What an account's health was computed without: the components the config weighs for its
 * segment that had no data (a component without data gets no weight and the others are
 * rescaled, README "How an account is scored"), each with the inputs it reads, so a CSM can see
 * which feeds to ask for instead of guessing why coverage is below 100 %.
 */

import type { ScoringConfig } from './config/scoring-config.types.js';
import type { Segment } from './features.types.js';
import { segmentComponentWeights } from './health-score.js';

export interface MissingComponent {
  component: string;
  /** Its share of the segment's configured weight: what coverage lacks because of it. */
  weightShare: number;
  /** The derived features it reads (scoring config `health.components.<name>.inputs[].feature`). */
  inputs: string[];
}

/** `components` as scored (component → 0–100, absent without data); largest missing weight first. */
export function missingComponents(health: ScoringConfig['health'], segment: Segment, components: Readonly<Record<string, number>>): MissingComponent[] {
  const weights = segmentComponentWeights(health, segment);
  const total = Object.values(weights).reduce((sum, weight) => sum + Math.max(0, weight), 0);
  if (total <= 0) return [];
  return Object.entries(weights)
    .filter(([name, weight]) => weight > 0 && components[name] === undefined)
    .map(([name, weight]) => ({ component: name, weightShare: weight / total, inputs: health.components[name]!.inputs.map((input) => input.feature) }))
    .sort((a, b) => b.weightShare - a.weightShare || a.component.localeCompare(b.component));
}

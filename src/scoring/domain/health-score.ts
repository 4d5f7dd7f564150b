/**
 * Health score 0–100: components (each the weighted mean of its scored inputs) blended by
 * the segment's weights. Components without data are left out and the remaining weights
 * rescaled; `coverage` says how much of the configured weight that left.
 */

import { daysBetween } from '../../common/dates.js';
import type { ScoringConfig } from './config/scoring-config.types.js';
import type { Grade, Segment } from './features.types.js';
import { round } from './format.js';
import { blendWeighted, scoreInputs, type Blend, type FeatureValues, type InputResult, type PopulationLookup } from './scored-inputs.js';

export interface ComponentScore {
  name: string;
  /** Weight for the account's segment, before rescaling. */
  weight: number;
  /** 0–100, or null without data. */
  score: number | null;
  inputs: InputResult[];
}

export interface DataFreshness {
  stale: boolean;
  /** Days since the last usage row; null when there is none. */
  staleDays: number | null;
}

export interface HealthResult {
  /** Rounded to one decimal, as shown. */
  score: number;
  grade: Grade;
  components: ComponentScore[];
  blend: Blend;
  coverage: number;
  freshness: DataFreshness;
}

/** Each config's weights by segment, built once: asked for every account scored (a third of a second of a 12-date backtest, profiled). */
const weightsByConfig = new WeakMap<ScoringConfig['health'], Map<Segment, Readonly<Record<string, number>>>>();

/** Base component weights with the segment's overrides applied (shared: read, never change). */
export function segmentComponentWeights(health: ScoringConfig['health'], segment: Segment): Readonly<Record<string, number>> {
  let bySegment = weightsByConfig.get(health);
  if (!bySegment) weightsByConfig.set(health, (bySegment = new Map()));
  let weights = bySegment.get(segment);
  if (!weights) {
    const overrides = health.segments[segment]?.weights ?? {};
    weights = Object.freeze(Object.fromEntries(Object.entries(health.components).map(([name, component]) => [name, overrides[name] ?? component.weight])));
    bySegment.set(segment, weights);
  }
  return weights;
}

export function dataFreshness(lastUsageDay: string | null, asOf: string, staleAfterDays: number): DataFreshness {
  if (lastUsageDay === null) return { stale: true, staleDays: null };
  const staleDays = Math.max(0, daysBetween(lastUsageDay, asOf));
  return { stale: staleDays > staleAfterDays, staleDays };
}

/**
 * Stale data can look healthy (last month's numbers, or components without usage), so it
 * is never green; with no component data at all there is nothing to vouch for the account.
 */
export function gradeFor(score: number, coverage: number, stale: boolean, grades: ScoringConfig['health']['grades']): Grade {
  if (coverage <= 0) return 'red';
  if (score >= grades.green && !stale) return 'green';
  if (score >= grades.yellow) return 'yellow';
  return 'red';
}

export function scoreComponents(
  health: ScoringConfig['health'],
  segment: Segment,
  values: FeatureValues,
  population: PopulationLookup,
): ComponentScore[] {
  const weights = segmentComponentWeights(health, segment);
  return Object.entries(health.components).map(([name, component]) => {
    const group = scoreInputs(component.inputs, values, population);
    return { name, weight: weights[name] ?? 0, score: group.score, inputs: group.inputs };
  });
}

export function computeHealth(components: ComponentScore[], freshness: DataFreshness, grades: ScoringConfig['health']['grades']): HealthResult {
  const blend = blendWeighted(components.map(({ name, weight, score }) => ({ name, weight, score })));
  const score = round(blend.score, 1);
  return {
    score,
    grade: gradeFor(score, blend.coverage, freshness.stale, grades),
    components,
    blend,
    coverage: blend.coverage,
    freshness,
  };
}

/**
 * Component weights proposed from a fitted churn model — a heuristic, documented here because
 * RevOps will ask where the numbers come from.
 *
 * Each component's fitted raw coefficient is the change in churn log-odds per unit of its score
 * / 100, and every component is on that same scale. So weights proportional to −coefficient
 * make the health score rank accounts the way the fitted model's component part does: a
 * component that protects twice as strongly against churn gets twice the weight.
 *
 *   1. Components whose input never varied (no data) keep their weight: nothing was learned.
 *   2. Sign check: a component fitted with a coefficient ≥ 0 (a higher score did not lower the
 *      risk — usually overlap with another component, or noise) gets its floor, a quarter of its
 *      current weight, instead of dropping out on the evidence of one fit.
 *   3. The rest of the current total is shared among the protective components (coefficient
 *      < 0) in proportion to |coefficient|, so the weights still sum to the current total. A
 *      protective component whose share would fall below its floor is pinned at the floor and
 *      the rest re-shared, so a weakly protective component never ends below a wrong-signed one.
 *   4. Segment overrides are scaled by each component's ratio proposed / current, so a segment's
 *      emphasis (e.g. engagement counts more for self-serve) survives the change.
 * Weights are rounded to 3 decimals.
 */

import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';
import type { FittedCoefficient } from './churn-fit.js';

/** Share of its weight a component keeps when its fitted coefficient has the wrong sign. */
export const WRONG_SIGN_SHARE = 0.25;

export interface WeightProposal {
  component: string;
  current: number;
  proposed: number;
  /** The fitted raw coefficient; null when the component's input never varied. */
  coefficient: number | null;
  /** Why the weight did not follow the coefficient, when it did not. */
  note: string | null;
}

export interface ProposedWeights {
  components: WeightProposal[];
  segments: ScoringConfig['health']['segments'];
  warnings: string[];
}

const round3 = (value: number) => Number(value.toFixed(3));

export function proposeComponentWeights(config: ScoringConfig, coefficients: readonly FittedCoefficient[]): ProposedWeights {
  const fitted = new Map(coefficients.map((c) => [c.input, c]));
  const entries = Object.entries(config.health.components).map(([component, definition]) => {
    const coefficient = fitted.get(component);
    return { component, current: definition.weight, coefficient: coefficient?.fitted ? coefficient.value : null };
  });
  const total = entries.reduce((sum, entry) => sum + entry.current, 0);
  const protective = entries.filter((entry) => entry.coefficient !== null && entry.coefficient < 0);
  const strength = protective.reduce((sum, entry) => sum + -entry.coefficient!, 0);
  const warnings: string[] = [];

  if (strength === 0) {
    warnings.push('no component lowered the churn risk in the fit; component weights are left unchanged');
    return {
      components: entries.map((entry) => ({ ...entry, proposed: entry.current, note: 'unchanged: no component was protective in the fit' })),
      segments: structuredClone(config.health.segments),
      warnings,
    };
  }

  // Water-filling: share the budget by strength, pin whoever falls below its floor, repeat.
  const floor = (entry: (typeof entries)[number]) => entry.current * WRONG_SIGN_SHARE;
  const pinned = new Set(entries.filter((entry) => entry.coefficient !== null && entry.coefficient >= 0).map((entry) => entry.component));
  let shares = new Map<string, number>();
  for (let round = 0; round <= entries.length; round++) {
    const free = protective.filter((entry) => !pinned.has(entry.component));
    const fixed = entries.reduce((sum, entry) => sum + (entry.coefficient === null ? entry.current : pinned.has(entry.component) ? floor(entry) : 0), 0);
    const freeStrength = free.reduce((sum, entry) => sum + -entry.coefficient!, 0);
    shares = new Map(free.map((entry) => [entry.component, ((total - fixed) * -entry.coefficient!) / freeStrength]));
    const below = free.filter((entry) => shares.get(entry.component)! < floor(entry));
    if (below.length === 0 || below.length === free.length) break;
    for (const entry of below) pinned.add(entry.component);
  }

  const components: WeightProposal[] = entries.map((entry) => {
    if (entry.coefficient === null) {
      return { ...entry, proposed: entry.current, note: 'kept: the component never varied in the fitted rows' };
    }
    if (entry.coefficient >= 0) {
      warnings.push(`${entry.component}: fitted coefficient ${entry.coefficient} is not negative (a higher score did not lower the risk); weight cut to a quarter`);
      return { ...entry, proposed: round3(floor(entry)), note: 'sign check failed: a higher score did not lower the risk; kept at a quarter of its weight' };
    }
    if (pinned.has(entry.component)) {
      return { ...entry, proposed: round3(floor(entry)), note: 'weakly protective: kept at its floor, a quarter of its weight' };
    }
    return { ...entry, proposed: round3(shares.get(entry.component)!), note: null };
  });

  const ratio = new Map(components.map((c) => [c.component, c.current > 0 ? c.proposed / c.current : null]));
  const segments: ScoringConfig['health']['segments'] = {};
  for (const [segment, override] of Object.entries(config.health.segments) as Array<[keyof ScoringConfig['health']['segments'], { weights: Record<string, number> } | undefined]>) {
    if (override === undefined) continue;
    segments[segment] = {
      weights: Object.fromEntries(
        Object.entries(override.weights).map(([component, weight]) => {
          const factor = ratio.get(component);
          return [component, factor == null ? weight : round3(weight * factor)];
        }),
      ),
    };
  }
  return { components, segments, warnings };
}

/** The base config with the fitted churn section and the proposed weights; everything else unchanged. */
export function buildCandidateConfig(base: ScoringConfig, churn: ScoringConfig['churn'], weights: ProposedWeights): ScoringConfig {
  const candidate = structuredClone(base);
  candidate.churn = structuredClone(churn);
  for (const proposal of weights.components) candidate.health.components[proposal.component]!.weight = proposal.proposed;
  candidate.health.segments = structuredClone(weights.segments);
  return candidate;
}

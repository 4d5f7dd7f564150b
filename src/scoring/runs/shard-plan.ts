import type { Segment } from '../domain/features.types.js';
import type { Populations, RunContext } from '../domain/score-accounts.js';
import type { SegmentPopulation } from '../domain/normalisation.js';

/**
 * What every shard of a run needs besides its own accounts, stored on the run as JSON: which
 * feeds exist and the populations accounts are compared with. JSON keeps every number exactly
 * (shortest round-trip form), so a shard scores exactly as a run in one piece.
 */
export interface ShardPlan {
  configVersion: number;
  knownMetrics: string[];
  hasMilestoneData: boolean;
  populations: Record<string, Record<string, SegmentPopulation>>;
  /** The coordinator's timings (reading the run's accounts, the first pass), added to the shards' on completion. */
  timings?: Record<string, number>;
}

export function toShardPlan(configVersion: number, context: RunContext, populations: Populations, timings: Record<string, number> = {}): ShardPlan {
  return {
    configVersion,
    timings,
    knownMetrics: [...context.knownMetrics].sort(),
    hasMilestoneData: context.hasMilestoneData,
    populations: Object.fromEntries([...populations].map(([segment, byFeature]) => [segment, Object.fromEntries(byFeature)])),
  };
}

export function fromShardPlan(plan: ShardPlan): { context: RunContext; populations: Populations } {
  return {
    context: { knownMetrics: new Set(plan.knownMetrics), hasMilestoneData: plan.hasMilestoneData },
    populations: new Map(Object.entries(plan.populations).map(([segment, byFeature]) => [segment as Segment, new Map(Object.entries(byFeature))])),
  };
}

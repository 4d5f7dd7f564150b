/**
 * Value gap 0–1: how far the value an account gets falls short of what its plan and
 * lifecycle stage lead one to expect. Each named gap applies only when its data exists;
 * the value gap is the weighted mean of the gaps that apply.
 */

import type { ScoringConfig } from './config/scoring-config.types.js';
import type { AccountFeatures, ValueGapItem } from './features.types.js';
import {
  expectedMilestones,
  firstValue,
  includedFeaturesUsed,
  seatsInUse,
  type FeatureContext,
} from './derived-features.js';
import { clamp, countOf, formatShare, metricLabel, round } from './format.js';

export interface ValueGapResult {
  /** 0–1, rounded to three decimals. */
  valueGap: number;
  /** Every gap that applied, including those below the listing threshold. */
  gaps: ValueGapItem[];
  /** The gaps at or above `valueGap.listThreshold`, largest first: what the score names. */
  listed: ValueGapItem[];
}

interface WeightedGap extends ValueGapItem {
  weight: number;
}

function shortfall(actual: number, expected: number): number {
  return expected <= 0 ? 0 : clamp((expected - actual) / expected, 0, 1);
}

function unusedSeats(account: AccountFeatures, ctx: FeatureContext, config: ScoringConfig['valueGap']): WeightedGap | null {
  const used = seatsInUse(account, ctx);
  const expected = config.gaps.unused_seats.expectedUtilisation[ctx.stage];
  if (used === null || account.seatsPurchased <= 0 || expected <= 0) return null;
  const unused = Math.max(0, account.seatsPurchased - used);
  return {
    name: 'unused_seats',
    weight: config.gaps.unused_seats.weight,
    gap: shortfall(used / account.seatsPurchased, expected),
    text: `${unused} of ${countOf(account.seatsPurchased, 'paid seat')} unused (${formatShare(expected)} expected in use in ${ctx.stage})`,
  };
}

function unusedFeatures(account: AccountFeatures, ctx: FeatureContext, config: ScoringConfig['valueGap']): WeightedGap | null {
  const included = account.plan.features.length;
  const expected = config.gaps.unused_features.expectedBreadth[ctx.stage];
  if (included === 0 || expected <= 0 || !ctx.hasFeatureData) return null;
  const used = includedFeaturesUsed(account).length;
  return {
    name: 'unused_features',
    weight: config.gaps.unused_features.weight,
    gap: shortfall(used / included, expected),
    text: `uses ${used} of ${countOf(included, 'included feature')} (${formatShare(expected)} expected in ${ctx.stage})`,
  };
}

function timeToFirstValue(account: AccountFeatures, ctx: FeatureContext, config: ScoringConfig['valueGap']): WeightedGap | null {
  if (!ctx.hasMilestoneData) return null;
  const settings = config.gaps.time_to_first_value;
  const { milestone, reachedAfterDays } = firstValue(account, ctx);
  const label = metricLabel(milestone);
  if (reachedAfterDays !== null) {
    return { name: 'time_to_first_value', weight: settings.weight, gap: 0, text: `${label} reached after ${countOf(reachedAfterDays, 'day')}` };
  }
  const tenure = Math.max(0, account.tenureDays);
  const span = settings.fullGapAfterDays - settings.expectedWithinDays;
  const gap = span > 0 ? clamp((tenure - settings.expectedWithinDays) / span, 0, 1) : tenure > settings.expectedWithinDays ? 1 : 0;
  return {
    name: 'time_to_first_value',
    weight: settings.weight,
    gap,
    text: `no ${label} after ${countOf(tenure, 'day')} (expected within ${settings.expectedWithinDays})`,
  };
}

function missedMilestones(account: AccountFeatures, ctx: FeatureContext, config: ScoringConfig['valueGap']): WeightedGap | null {
  const expected = expectedMilestones(ctx);
  if (expected.length === 0 || !ctx.hasMilestoneData) return null;
  const missed = expected.filter((name) => account.milestones[name] === undefined);
  const base = `missed ${missed.length} of ${countOf(expected.length, 'milestone')} expected by the ${ctx.stage} stage`;
  return {
    name: 'missed_milestones',
    weight: config.gaps.missed_milestones.weight,
    gap: missed.length / expected.length,
    text: missed.length === 0 ? base : `${base}: ${missed.map(metricLabel).join(', ')}`,
  };
}

export function computeValueGap(account: AccountFeatures, ctx: FeatureContext, config: ScoringConfig['valueGap']): ValueGapResult {
  const applicable = [unusedSeats, unusedFeatures, timeToFirstValue, missedMilestones]
    .map((gapOf) => gapOf(account, ctx, config))
    .filter((gap): gap is WeightedGap => gap !== null && gap.weight > 0);
  const totalWeight = applicable.reduce((sum, gap) => sum + gap.weight, 0);
  const valueGap = totalWeight > 0 ? applicable.reduce((sum, gap) => sum + gap.weight * gap.gap, 0) / totalWeight : 0;
  const gaps = applicable.map(({ name, gap, text }) => ({ name, gap: round(gap, 3), text }));
  const listed = gaps
    .filter((gap) => gap.gap > 0 && gap.gap >= config.listThreshold)
    .sort((a, b) => b.gap - a.gap || a.name.localeCompare(b.name));
  return { valueGap: round(valueGap, 3), gaps, listed };
}

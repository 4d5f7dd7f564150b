/**
 * Model features: what a learned model's inputs may read. Every derived feature of the health
 * config (catalogue names and `metric.<name>.…`) plus the numbers a fit derives for every metric
 * a tenant sends and the score's own parts:
 *
 *   metric.<m>.logTrend        log(1 + recent daily average) − log(1 + previous daily average)
 *   metric.<m>.perActiveUser   recent total ÷ recent active-user total
 *   metric.<m>.perSeat         recent total ÷ seats purchased
 *   limit.<name>.utilisation   used ÷ limit of one plan limit
 *   component.<name>           a health component's score (0–100)
 *   health, value_gap, arr, segment.<segment>, lifecycle.<stage>
 *
 * Each resolves to a value (null = no data) and a sentence with the number, for explanations.
 */

import type { AccountFeatures, LifecycleStage, Segment } from './features.types.js';
import { countAggregates, describeLimit, findDerivedFeature, limitUtilisations, type FeatureContext } from './derived-features.js';
import { countOf, formatNumber, formatShare, metricLabel } from './format.js';

/** What a model feature can read about one account on one day. */
export interface ModelFeatureEnv {
  account: AccountFeatures;
  ctx: FeatureContext;
  /** Health component name → 0–100, null without data. */
  components: Readonly<Record<string, number | null>>;
  healthScore: number;
  valueGap: number;
}

export interface ModelFeature {
  name: string;
  value(env: ModelFeatureEnv): number | null;
  describe(value: number, env: ModelFeatureEnv): string;
}

const METRIC = '([a-z0-9_.]{1,64})';
const SEGMENTS: readonly Segment[] = ['self_serve', 'sales_assisted'];
const STAGES: readonly LifecycleStage[] = ['onboarding', 'adoption', 'mature', 'renewal'];

function feature(name: string, value: ModelFeature['value'], describe: ModelFeature['describe']): ModelFeature {
  return { name, value, describe };
}

function logTrend(metric: string, name: string): ModelFeature {
  return feature(
    name,
    ({ account, ctx }) => {
      const { recentDays, previousDays } = ctx.windows;
      // Too young for both windows: a partly empty previous window would read as growth.
      if (account.tenureDays + 1 < recentDays + previousDays) return null;
      const aggregates = countAggregates(account, ctx, metric);
      if (aggregates === null) return null;
      return Math.log1p(aggregates.recentSum / recentDays) - Math.log1p(aggregates.previousSum / previousDays);
    },
    (_value, { account, ctx }) => {
      const aggregates = countAggregates(account, ctx, metric);
      return `${metricLabel(metric)} in ${ctx.windows.recentDays} days: ${formatNumber(aggregates?.recentSum ?? 0)}, was ${formatNumber(aggregates?.previousSum ?? 0)}`;
    },
  );
}

function perActiveUser(metric: string, name: string): ModelFeature {
  return feature(
    name,
    ({ account, ctx }) => {
      const aggregates = countAggregates(account, ctx, metric);
      const users = countAggregates(account, ctx, 'active_users');
      if (aggregates === null || users === null || users.recentSum <= 0) return null;
      return aggregates.recentSum / users.recentSum;
    },
    (value, { ctx }) => `${formatNumber(Number(value.toPrecision(3)))} ${metricLabel(metric)} per active user a day over ${ctx.windows.recentDays} days`,
  );
}

function perSeat(metric: string, name: string): ModelFeature {
  return feature(
    name,
    ({ account, ctx }) => {
      const aggregates = countAggregates(account, ctx, metric);
      if (aggregates === null || account.seatsPurchased <= 0) return null;
      return aggregates.recentSum / account.seatsPurchased;
    },
    (value, { account, ctx }) =>
      `${formatNumber(Number(value.toPrecision(3)))} ${metricLabel(metric)} per seat in ${ctx.windows.recentDays} days (${countOf(account.seatsPurchased, 'seat')})`,
  );
}

function limitUtilisation(limitName: string, name: string): ModelFeature {
  return feature(
    name,
    ({ account }) => limitUtilisations(account).find((usage) => usage.limitName === limitName)?.utilisation ?? null,
    (value, { account }) => {
      const usage = limitUtilisations(account).find((candidate) => candidate.limitName === limitName);
      return usage === undefined ? `${metricLabel(limitName)} at ${formatShare(value)} of the plan limit` : describeLimit(usage);
    },
  );
}

/** A recent total reads best beside the window before it: "posts in 28 days: 3, was 41". */
function recentTotal(metric: string, name: string): ModelFeature {
  return feature(
    name,
    ({ account, ctx }) => countAggregates(account, ctx, metric)?.recentSum ?? null,
    (value, { account, ctx }) => `${metricLabel(metric)} in ${ctx.windows.recentDays} days: ${formatNumber(value)}, was ${formatNumber(countAggregates(account, ctx, metric)?.previousSum ?? 0)}`,
  );
}

function resolve(name: string): ModelFeature | null {
  let match = new RegExp(`^metric\\.${METRIC}\\.sum\\.recent$`).exec(name);
  if (match !== null) return recentTotal(match[1]!, name);
  match = new RegExp(`^metric\\.${METRIC}\\.logTrend$`).exec(name);
  if (match !== null) return logTrend(match[1]!, name);
  match = new RegExp(`^metric\\.${METRIC}\\.perActiveUser$`).exec(name);
  if (match !== null) return perActiveUser(match[1]!, name);
  match = new RegExp(`^metric\\.${METRIC}\\.perSeat$`).exec(name);
  if (match !== null) return perSeat(match[1]!, name);
  match = /^limit\.([a-z][a-z0-9_]{0,39})\.utilisation$/.exec(name);
  if (match !== null) return limitUtilisation(match[1]!, name);
  match = /^component\.([a-z][a-z0-9_]{0,39})$/.exec(name);
  if (match !== null) {
    const component = match[1]!;
    return feature(name, ({ components }) => components[component] ?? null, (value) => `${metricLabel(component)} score ${Math.round(value)}`);
  }
  match = /^segment\.([a-z_]+)$/.exec(name);
  if (match !== null && SEGMENTS.includes(match[1] as Segment)) {
    const segment = match[1] as Segment;
    return feature(name, ({ account }) => (account.segment === segment ? 1 : 0), (value) => (value === 1 ? `${metricLabel(segment)} account` : `not ${metricLabel(segment)}`));
  }
  match = /^lifecycle\.([a-z]+)$/.exec(name);
  if (match !== null && STAGES.includes(match[1] as LifecycleStage)) {
    const stage = match[1] as LifecycleStage;
    return feature(name, ({ ctx }) => (ctx.stage === stage ? 1 : 0), (value, { ctx }) => (value === 1 ? `in the ${stage} stage` : `in the ${ctx.stage} stage, not ${stage}`));
  }
  switch (name) {
    case 'health':
      return feature(name, ({ healthScore }) => healthScore, (value) => `health score ${Math.round(value)}`);
    case 'value_gap':
      return feature(name, ({ valueGap }) => valueGap, (value) => `value gap ${formatShare(value)}`);
    case 'arr':
      return feature(name, ({ account }) => account.arr, (value, { account }) => `ARR ${formatNumber(Math.round(value))} ${account.currency}`);
  }
  const derived = findDerivedFeature(name);
  if (derived === undefined) return null;
  return feature(name, ({ account, ctx }) => derived.compute(account, ctx), (value, { account, ctx }) => derived.describe(value, account, ctx));
}

const cache = new Map<string, ModelFeature>();

/** The model feature of that name, or undefined for a name the config language does not know. */
export function findModelFeature(name: string): ModelFeature | undefined {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const found = resolve(name);
  // Only valid names are cached, so probing with arbitrary strings cannot grow the cache.
  if (found !== null) cache.set(name, found);
  return found ?? undefined;
}

/** Value of a finite number, or null (NaN and ±Infinity count as no data). */
export function modelFeatureValue(name: string, env: ModelFeatureEnv): number | null {
  const value = findModelFeature(name)?.value(env) ?? null;
  return value === null || !Number.isFinite(value) ? null : value;
}

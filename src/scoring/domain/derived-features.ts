/**
 * The catalogue of derived features: the named numbers the config can score, each with
 * a `describe` that turns its value into a sentence a CSM can read on a call.
 *
 * Missing data: count-like aggregates (sum, active days, max) treat a metric the account
 * has no rows for as 0 — as long as some account in the run has that metric, which
 * shows the feed exists. Survey-like values (mean, last) are missing (null) without
 * rows, because no answer is not an answer of 0.
 */

import { daysBetween } from '../../common/dates.js';
import type { ScoringConfig } from './config/scoring-config.types.js';
import type { AccountFeatures, LifecycleStage, MetricAggregates } from './features.types.js';
import { clamp, countOf, formatNumber, formatOneDecimal, formatShare, metricLabel } from './format.js';
import { METRIC_NAME_PATTERN } from '../../common/metric-name.js';

export interface FeatureContext {
  windows: ScoringConfig['windows'];
  valueGap: ScoringConfig['valueGap'];
  stage: LifecycleStage;
  /** Metric names with at least one row for any account of the run. */
  knownMetrics: ReadonlySet<string>;
  /** Whether any account of the run has reached any milestone (the milestone feed exists). */
  hasMilestoneData: boolean;
  /** Whether any account of the run sent a `feature.*` metric (the feature feed exists). */
  hasFeatureData: boolean;
}

export interface DerivedFeature {
  name: string;
  /** Trends can be negative; logZscore (log1p) only takes features that cannot. */
  signed: boolean;
  compute(account: AccountFeatures, ctx: FeatureContext): number | null;
  describe(value: number, account: AccountFeatures, ctx: FeatureContext): string;
}

const EMPTY_AGGREGATES: MetricAggregates = {
  recentSum: 0,
  recentActiveDays: 0,
  recentMax: 0,
  recentMean: null,
  last: null,
  lastDay: null,
  previousSum: 0,
  previousActiveDays: 0,
  previousMax: 0,
  previousMean: null,
};

/** The account's aggregates of a count-like metric; zeros when the feed exists but this account sent none. */
export function countAggregates(account: AccountFeatures, ctx: FeatureContext, metric: string): MetricAggregates | null {
  const aggregates = account.metrics[metric];
  if (aggregates !== undefined) return aggregates;
  return ctx.knownMetrics.has(metric) ? EMPTY_AGGREGATES : null;
}

/** Days of the recent window the account existed for, so a two-week-old account is not averaged over four weeks. */
export function recentCoveredDays(account: AccountFeatures, ctx: FeatureContext): number {
  return clamp(account.tenureDays + 1, 1, ctx.windows.recentDays);
}

export function recentDailyAverage(account: AccountFeatures, ctx: FeatureContext, metric: string): number | null {
  const aggregates = countAggregates(account, ctx, metric);
  return aggregates === null ? null : aggregates.recentSum / recentCoveredDays(account, ctx);
}

export interface MetricTrend {
  /** % change of the daily average, recent vs previous window. */
  changePct: number;
  recentDailyAverage: number;
  previousDailyAverage: number;
}

/**
 * Null without a baseline: when the previous window is empty, or when the account is too
 * young for both windows to lie inside its contract (a partial window would read as growth).
 */
export function metricTrend(account: AccountFeatures, ctx: FeatureContext, metric: string): MetricTrend | null {
  const { recentDays, previousDays } = ctx.windows;
  if (account.tenureDays + 1 < recentDays + previousDays) return null;
  const aggregates = countAggregates(account, ctx, metric);
  if (aggregates === null || aggregates.previousSum <= 0) return null;
  const recent = aggregates.recentSum / recentDays;
  const previous = aggregates.previousSum / previousDays;
  return { changePct: ((recent - previous) / previous) * 100, recentDailyAverage: recent, previousDailyAverage: previous };
}

export function describeTrend(metric: string, changePct: number, previousDays: number): string {
  const rounded = Math.round(changePct);
  if (rounded === 0) return `${metricLabel(metric)} flat vs the previous ${previousDays} days`;
  const direction = rounded < 0 ? 'down' : 'up';
  return `${metricLabel(metric)} ${direction} ${Math.abs(rounded)}% vs the previous ${previousDays} days`;
}

/** Seats assigned: the measured `seats` limit when the run has one, else the peak of `seats_used`. */
export function seatsInUse(account: AccountFeatures, ctx: FeatureContext): number | null {
  const seatLimit = account.limits.find((limit) => limit.limitName === 'seats');
  if (seatLimit !== undefined) return seatLimit.used;
  return countAggregates(account, ctx, 'seats_used')?.recentMax ?? null;
}

export interface LimitUtilisation {
  limitName: string;
  used: number;
  limit: number;
  utilisation: number;
}

/** Limits with a positive limit value, most used first (ties by name, for determinism). */
export function limitUtilisations(account: AccountFeatures): LimitUtilisation[] {
  return account.limits
    .filter((usage): usage is typeof usage & { limit: number } => usage.limit !== null && usage.limit > 0)
    .map((usage) => ({ limitName: usage.limitName, used: usage.used, limit: usage.limit, utilisation: usage.used / usage.limit }))
    .sort((a, b) => b.utilisation - a.utilisation || a.limitName.localeCompare(b.limitName));
}

export function describeLimit(usage: LimitUtilisation): string {
  return `${metricLabel(usage.limitName)} at ${formatShare(usage.utilisation)} of the plan limit (${formatNumber(usage.used)} of ${formatNumber(usage.limit)})`;
}

export function includedFeaturesUsed(account: AccountFeatures): string[] {
  const used = new Set(account.featuresUsed);
  return account.plan.features.filter((name) => used.has(name));
}

export function expectedMilestones(ctx: FeatureContext): string[] {
  return ctx.valueGap.gaps.missed_milestones.expectedByStage[ctx.stage];
}

export interface FirstValue {
  milestone: string;
  /** Days from contract start to the milestone, or null when not reached. */
  reachedAfterDays: number | null;
}

export function firstValue(account: AccountFeatures, ctx: FeatureContext): FirstValue {
  const milestone = ctx.valueGap.gaps.time_to_first_value.milestone;
  const reachedOn = account.milestones[milestone];
  if (reachedOn === undefined) return { milestone, reachedAfterDays: null };
  return { milestone, reachedAfterDays: Math.max(0, daysBetween(account.contractStart, reachedOn)) };
}

function named(
  name: string,
  compute: DerivedFeature['compute'],
  describe: DerivedFeature['describe'],
  signed = false,
): DerivedFeature {
  return { name, signed, compute, describe };
}

const CATALOGUE: DerivedFeature[] = [
  named(
    'active_users_avg',
    (account, ctx) => recentDailyAverage(account, ctx, 'active_users'),
    (value, account, ctx) => `${formatNumber(value)} active users a day on average over the last ${recentCoveredDays(account, ctx)} days`,
  ),
  named(
    'active_users_per_seat',
    (account, ctx) => {
      const average = recentDailyAverage(account, ctx, 'active_users');
      return average === null || account.seatsPurchased <= 0 ? null : average / account.seatsPurchased;
    },
    (value, account) =>
      `${formatNumber(value * account.seatsPurchased)} daily active users on average for ${countOf(account.seatsPurchased, 'seat')}`,
  ),
  named(
    'active_days_ratio',
    (account, ctx) => {
      const aggregates = countAggregates(account, ctx, 'active_users');
      return aggregates === null ? null : aggregates.recentActiveDays / recentCoveredDays(account, ctx);
    },
    (_value, account, ctx) =>
      `active on ${countAggregates(account, ctx, 'active_users')?.recentActiveDays ?? 0} of the last ${recentCoveredDays(account, ctx)} days`,
  ),
  named(
    'logins_per_active_user',
    (account, ctx) => {
      const logins = countAggregates(account, ctx, 'logins');
      const users = countAggregates(account, ctx, 'active_users');
      if (logins === null || users === null || users.recentSum <= 0) return null;
      return logins.recentSum / users.recentSum;
    },
    (value) => `${formatNumber(value)} logins per active user per day`,
  ),
  named(
    'active_users_trend',
    (account, ctx) => metricTrend(account, ctx, 'active_users')?.changePct ?? null,
    (value, _account, ctx) => describeTrend('active_users', value, ctx.windows.previousDays),
    true,
  ),
  named(
    'seats_in_use',
    (account, ctx) => seatsInUse(account, ctx),
    (value) => `${countOf(value, 'seat')} in use`,
  ),
  named(
    'seat_utilisation',
    (account, ctx) => {
      const used = seatsInUse(account, ctx);
      return used === null || account.seatsPurchased <= 0 ? null : used / account.seatsPurchased;
    },
    (value, account) => `${formatNumber(Math.round(value * account.seatsPurchased))} of ${countOf(account.seatsPurchased, 'seat')} used`,
  ),
  named(
    'feature_breadth',
    (account, ctx) => {
      if (account.plan.features.length === 0 || !ctx.hasFeatureData) return null;
      return includedFeaturesUsed(account).length / account.plan.features.length;
    },
    (_value, account) => `uses ${includedFeaturesUsed(account).length} of ${account.plan.features.length} included features`,
  ),
  named(
    'features_used',
    (account, ctx) => (ctx.hasFeatureData ? account.featuresUsed.length : null),
    (value) => `uses ${countOf(value, 'feature')}`,
  ),
  named(
    'limit_utilisation_max',
    (account) => limitUtilisations(account)[0]?.utilisation ?? null,
    (_value, account) => {
      const top = limitUtilisations(account)[0];
      return top === undefined ? 'no plan limits measured' : describeLimit(top);
    },
  ),
  named(
    'paywall_hits',
    (account, ctx) => countAggregates(account, ctx, 'paywall_hits')?.recentSum ?? null,
    (value, _account, ctx) => `${countOf(value, 'paywall hit')} in ${ctx.windows.recentDays} days`,
  ),
  named(
    'nps_latest',
    (account) => account.metrics['nps']?.last ?? null,
    (value) => `NPS ${formatOneDecimal(value)} at last response`,
  ),
  named(
    'nps_mean',
    (account) => account.metrics['nps']?.recentMean ?? null,
    (value, _account, ctx) => `NPS ${formatOneDecimal(value)} on average over ${ctx.windows.recentDays} days`,
  ),
  named(
    'support_tickets',
    (account, ctx) => countAggregates(account, ctx, 'support_tickets')?.recentSum ?? null,
    (value, _account, ctx) => `${countOf(value, 'support ticket')} in ${ctx.windows.recentDays} days`,
  ),
  named(
    'tickets_per_active_user',
    (account, ctx) => {
      const tickets = countAggregates(account, ctx, 'support_tickets');
      const users = recentDailyAverage(account, ctx, 'active_users');
      if (tickets === null || users === null || users <= 0) return null;
      return tickets.recentSum / users;
    },
    (value, account, ctx) => {
      const tickets = countAggregates(account, ctx, 'support_tickets')?.recentSum ?? 0;
      return `${countOf(tickets, 'support ticket')} in ${ctx.windows.recentDays} days (${value.toFixed(2)} per active user)`;
    },
  ),
  named(
    'urgent_tickets',
    (account, ctx) => countAggregates(account, ctx, 'support_tickets.urgent')?.recentSum ?? null,
    (value, _account, ctx) => `${countOf(value, 'urgent ticket')} in ${ctx.windows.recentDays} days`,
  ),
  named(
    'milestones_reached_ratio',
    (account, ctx) => {
      const expected = expectedMilestones(ctx);
      if (expected.length === 0 || !ctx.hasMilestoneData) return null;
      return expected.filter((name) => account.milestones[name] !== undefined).length / expected.length;
    },
    (_value, account, ctx) => {
      const expected = expectedMilestones(ctx);
      const missing = expected.filter((name) => account.milestones[name] === undefined);
      const reached = expected.length - missing.length;
      const base = `reached ${reached} of ${countOf(expected.length, 'milestone')} expected by the ${ctx.stage} stage`;
      return missing.length === 0 ? base : `${base} (missing ${missing.join(', ')})`;
    },
  ),
  named(
    'days_to_first_value',
    (account, ctx) => {
      if (!ctx.hasMilestoneData) return null;
      // Not reached yet: the days so far are a lower bound, which is what makes a stalled start score badly.
      return firstValue(account, ctx).reachedAfterDays ?? Math.max(0, account.tenureDays);
    },
    (value, account, ctx) => {
      const { milestone, reachedAfterDays } = firstValue(account, ctx);
      return reachedAfterDays === null
        ? `no ${metricLabel(milestone)} yet after ${countOf(value, 'day')}`
        : `${metricLabel(milestone)} reached after ${countOf(reachedAfterDays, 'day')}`;
    },
  ),
  named(
    'tenure_days',
    (account) => Math.max(0, account.tenureDays),
    (value) => `customer for ${countOf(value, 'day')}`,
  ),
  named(
    'days_to_renewal',
    (account) => account.daysToRenewal,
    (value) => (value >= 0 ? `renews in ${countOf(value, 'day')}` : `renewal date passed ${countOf(-value, 'day')} ago`),
    true,
  ),
];

const BY_NAME = new Map(CATALOGUE.map((feature) => [feature.name, feature]));

/** The named catalogue entries (generic `metric.*` features are resolved on demand). */
export const DERIVED_FEATURE_NAMES: readonly string[] = CATALOGUE.map((feature) => feature.name);

type WindowAggregate = 'sum' | 'activeDays' | 'max' | 'mean';
type WindowName = 'recent' | 'previous';

function windowValue(aggregates: MetricAggregates, aggregate: WindowAggregate, window: WindowName): number | null {
  const recent = window === 'recent';
  switch (aggregate) {
    case 'sum':
      return recent ? aggregates.recentSum : aggregates.previousSum;
    case 'activeDays':
      return recent ? aggregates.recentActiveDays : aggregates.previousActiveDays;
    case 'max':
      return recent ? aggregates.recentMax : aggregates.previousMax;
    case 'mean':
      return recent ? aggregates.recentMean : aggregates.previousMean;
  }
}

function windowPhrase(window: WindowName, ctx: FeatureContext): string {
  return window === 'recent' ? `in the last ${ctx.windows.recentDays} days` : `in the ${ctx.windows.previousDays} days before`;
}

function genericMetricFeature(name: string): DerivedFeature | null {
  const trend = /^metric\.(.+)\.trend$/.exec(name);
  if (trend !== null && METRIC_NAME_PATTERN.test(trend[1])) {
    const metric = trend[1];
    return named(
      name,
      (account, ctx) => metricTrend(account, ctx, metric)?.changePct ?? null,
      (value, _account, ctx) => describeTrend(metric, value, ctx.windows.previousDays),
      true,
    );
  }
  const last = /^metric\.(.+)\.last$/.exec(name);
  if (last !== null && METRIC_NAME_PATTERN.test(last[1])) {
    const metric = last[1];
    return named(
      name,
      (account) => account.metrics[metric]?.last ?? null,
      (value, account) => {
        const day = account.metrics[metric]?.lastDay;
        return `${metricLabel(metric)} ${formatNumber(value)}${day ? ` on ${day}` : ''}`;
      },
    );
  }
  const windowed = /^metric\.(.+)\.(sum|activeDays|max|mean)\.(recent|previous)$/.exec(name);
  if (windowed !== null && METRIC_NAME_PATTERN.test(windowed[1])) {
    const metric = windowed[1];
    const aggregate = windowed[2] as WindowAggregate;
    const window = windowed[3] as WindowName;
    const surveyLike = aggregate === 'mean';
    return named(
      name,
      (account, ctx) => {
        const aggregates = surveyLike ? (account.metrics[metric] ?? null) : countAggregates(account, ctx, metric);
        return aggregates === null ? null : windowValue(aggregates, aggregate, window);
      },
      (value, _account, ctx) => {
        const label = metricLabel(metric);
        const when = windowPhrase(window, ctx);
        switch (aggregate) {
          case 'sum':
            return `${formatNumber(value)} ${label} ${when}`;
          case 'activeDays':
            return `${label} on ${countOf(value, 'day')} ${when}`;
          case 'max':
            return `${label} peaking at ${formatNumber(value)} a day ${when}`;
          case 'mean':
            return `${label} averaging ${formatNumber(value)} ${when}`;
        }
      },
    );
  }
  return null;
}

const genericCache = new Map<string, DerivedFeature>();

/** A catalogue entry, or a generic `metric.*` feature; undefined for unknown names. */
export function findDerivedFeature(name: string): DerivedFeature | undefined {
  const fromCatalogue = BY_NAME.get(name);
  if (fromCatalogue !== undefined) return fromCatalogue;
  const cached = genericCache.get(name);
  if (cached !== undefined) return cached;
  // Only valid names are cached, so probing with arbitrary strings cannot grow the cache.
  const generic = genericMetricFeature(name);
  if (generic !== null) genericCache.set(name, generic);
  return generic ?? undefined;
}

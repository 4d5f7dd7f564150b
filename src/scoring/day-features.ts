/**
 * A day's features built from rows already read: the accounts' versions, their milestones and
 * their usage figures (UsageSeries.figuresOf). Pure, so that the calling thread and the usage
 * read threads (usage-read.worker.ts, a backtest date replayed there) build the same features.
 */
import { addDays, daysBetween } from '../common/dates.js';
import { FEATURE_METRIC_PREFIX } from '../common/metric-name.js';
import { FEATURES_SLICE, slicesOf } from '../common/slices.js';
import { USAGE_VALUE } from '../common/value-ranges.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { AccountFeatures, LifecycleStage, LimitUsage, MetricAggregates, PlanInfo, Segment } from './domain/features.types.js';
import type { WindowShape } from './domain/window-figures.js';
import { limitColumn, windowShapeOf } from './domain/window-shape.js';
import { DAY_NUMBER_EPOCH, type MetricFigures } from './usage-day-blocks.js';

/** One account as of a day (its version then), as features are built from it. */
export interface AccountRow {
  account_id: number;
  external_id: string;
  name: string;
  segment: Segment;
  plan_id: string;
  arr: number;
  currency: string;
  seats_purchased: number;
  contract_start: string;
  renewal_date: string | null;
  lifecycle_stage: LifecycleStage | null;
  csm_owner: string | null;
  sales_owner: string | null;
}

/** The first day an account reached a milestone (the metric `milestone.<name>` above 0). */
export interface Milestone {
  account_id: number;
  milestone: string;
  first_day: string;
}

/** An account a run could not score because of its own data, and why (named on the run). */
export interface InvalidAccount {
  accountId: number;
  externalId: string;
  reason: string;
}

/** Features of the accounts that can be scored, and the accounts set aside for invalid data. */
export interface LoadedFeatures {
  features: AccountFeatures[];
  invalid: InvalidAccount[];
}

/** What every day's features are built with, besides its accounts and usage. */
export interface FeaturesContext {
  plans: Map<string, PlanInfo>;
  metricNames: ReadonlyMap<number, string>;
  config: ScoringConfig;
  shape: WindowShape;
}

/**
 * A FeaturesContext as a usage read thread is sent it (structured clone): plans and metric names
 * as lists; the window shape is derived again there (receivedFeaturesContext).
 */
export interface SentFeaturesContext {
  plans: PlanInfo[];
  metricNames: Array<[number, string]>;
  config: ScoringConfig;
}

export function sentFeaturesContext(context: FeaturesContext): SentFeaturesContext {
  return { plans: [...context.plans.values()], metricNames: [...context.metricNames], config: context.config };
}

export function receivedFeaturesContext(sent: SentFeaturesContext): FeaturesContext {
  return {
    plans: new Map(sent.plans.map((plan) => [plan.id, plan])),
    metricNames: new Map(sent.metricNames),
    config: sent.config,
    shape: windowShapeOf(sent.config),
  };
}

/**
 * Builds a day's features from its accounts, their usage figures and milestones, a slice of
 * accounts at a time with a turn of the event loop in between: built in one go, a run's or
 * shard's accounts held every HTTP request of the process for a quarter of a second or more.
 */
export async function featuresOfDay(
  asOf: string,
  accounts: readonly AccountRow[],
  figuresOf: (account: number) => MetricFigures[],
  milestonesByAccount: ReadonlyMap<number, Milestone[]>,
  context: FeaturesContext,
): Promise<LoadedFeatures> {
  const { plans, metricNames, config, shape } = context;
  const scanStart = addDays(asOf, -shape.scanDays); // exclusive
  const limitReads = limitReadsOf(config, shape);
  const features: AccountFeatures[] = [];
  const invalid: InvalidAccount[] = [];
  for await (const slice of slicesOf(accounts, FEATURES_SLICE)) {
    for (const account of slice) {
      const metrics = figuresOf(account.account_id);
      if (metrics.some((m) => !(m.figures.scanMax <= USAGE_VALUE.max))) {
        invalid.push({
          accountId: account.account_id,
          externalId: account.external_id,
          reason: `usage values above ${USAGE_VALUE.max} (or not a number) between ${addDays(scanStart, 1)} and ${asOf}; correct them with POST /v1/usage (mode replace)`,
        });
        continue;
      }
      const plan = plans.get(account.plan_id);
      if (!plan) continue;
      features.push(buildFeatures(asOf, account, plan, plans, metrics, metricNames, milestonesByAccount.get(account.account_id) ?? [], limitReads));
    }
  }
  return { features, invalid };
}

/** A plan limit of the config as features read it: its place among the shape's limit windows (−1: none). */
interface LimitRead {
  limitName: string;
  metric: string;
  place: number;
}

/** The config's plan limits, each with its window's place in the shape, found once per day rather than once per account. */
function limitReadsOf(config: ScoringConfig, shape: WindowShape): LimitRead[] {
  return Object.entries(config.limits).map(([limitName, window]) => {
    const column = limitColumn(window.aggregate, window.windowDays);
    return { limitName, metric: window.metric, place: shape.limits.findIndex((limit) => limit.column === column) };
  });
}

/**
 * One account's features. The used features and the plan limits are gathered in plain loops
 * rather than chains of entries, filters and maps: this runs for every account of a run on each
 * read thread, and the chains built arrays and closures per account that only the garbage
 * collector used (docs/performance.md).
 */
function buildFeatures(
  asOf: string,
  account: AccountRow,
  plan: PlanInfo,
  plans: Map<string, PlanInfo>,
  figures: readonly MetricFigures[],
  metricNames: ReadonlyMap<number, string>,
  milestones: Array<{ milestone: string; first_day: string }>,
  limitReads: readonly LimitRead[],
): AccountFeatures {
  const metrics: Record<string, MetricAggregates> = {};
  const limitUseByMetric = new Map<string, number[]>();
  const featuresUsed: string[] = [];
  let lastUsageDay: string | null = null;
  for (const { metricId, figures: found, lastDay: lastDayNumber } of figures) {
    const metric = metricNames.get(metricId);
    if (metric === undefined) continue; // a metric created after the names were read: next run
    const lastDay = addDays(DAY_NUMBER_EPOCH, lastDayNumber);
    limitUseByMetric.set(metric, found.limitUse);
    found.aggregates.lastDay = lastDay; // the figures are this day's own: completed, not copied
    metrics[metric] = found.aggregates;
    if (found.aggregates.recentSum > 0 && metric.startsWith(FEATURE_METRIC_PREFIX)) featuresUsed.push(metric.slice(FEATURE_METRIC_PREFIX.length));
    if (lastUsageDay === null || lastDay > lastUsageDay) lastUsageDay = lastDay;
  }
  const limits: LimitUsage[] = [];
  for (const { limitName, metric, place } of limitReads) {
    const used = limitUseByMetric.get(metric)?.[place] ?? 0;
    // Seats run out at whichever comes first: the seats bought or the plan's cap.
    const planLimit = plan.limits[limitName] ?? null;
    const bought = limitName === 'seats' && account.seats_purchased > 0 ? account.seats_purchased : null;
    const limit = planLimit !== null && bought !== null ? Math.min(planLimit, bought) : (planLimit ?? bought);
    limits.push({ limitName, metric, used, limit });
  }
  return {
    accountId: account.account_id,
    externalId: account.external_id,
    name: account.name,
    segment: account.segment,
    plan,
    nextPlan: plan.nextPlan ? (plans.get(plan.nextPlan) ?? null) : null,
    arr: account.arr,
    currency: account.currency,
    seatsPurchased: account.seats_purchased,
    contractStart: account.contract_start,
    renewalDate: account.renewal_date,
    lifecycleStage: account.lifecycle_stage,
    csmOwner: account.csm_owner,
    salesOwner: account.sales_owner,
    tenureDays: daysBetween(account.contract_start, asOf),
    daysToRenewal: account.renewal_date ? daysBetween(asOf, account.renewal_date) : null,
    lastUsageDay,
    metrics,
    featuresUsed: featuresUsed.sort(),
    milestones: Object.fromEntries(milestones.map((row) => [row.milestone, row.first_day])),
    limits,
  };
}
